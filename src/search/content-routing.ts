/**
 * ContentRouting on top of any FileSearch (napster's server, gnutella's flood, fasttrack's supernodes):
 * `provide(key)` shares a virtual, zero-byte file named `provide-<key hex>` whose content hash is
 * SHA-256(key); `findProviders(key)` searches for that name and yields the peers whose hit carries that
 * hash. So BitTorrent can find peers for an info hash through a search overlay. The virtual file has no
 * bytes: fetching it fails with ERR_NOT_FOUND.
 */
import type { ContentRouting, FileSearch, SearchHit, SharedFile } from '../overlay/capabilities.js'
import { sha256Bytes, toHex } from '../overlay/ids.js'
import type { PeerRef } from '../overlay/types.js'

/** The virtual file that announces `key`. */
export function providerRecord (key: Uint8Array): SharedFile {
  const hex = toHex(key)
  const name = `provide-${hex}`
  return { name, size: 0, hash: toHex(sha256Bytes(key)), keywords: ['provide', hex.slice(0, 32)] }
}

export class SearchContentRouting implements ContentRouting {
  constructor (private readonly files: Pick<FileSearch, 'share' | 'search'>, private readonly options: { timeoutMs?: number } = {}) {}

  async provide (key: Uint8Array): Promise<void> {
    await this.files.share({ ...providerRecord(key), store: `provide/${toHex(key)}` } as SharedFile)
  }

  async * findProviders (key: Uint8Array, options: { signal?: AbortSignal, limit?: number } = {}): AsyncIterable<PeerRef> {
    const rec = providerRecord(key)
    const seen = new Set<string>()
    const limit = options.limit ?? 20
    for await (const hit of this.files.search(`provide ${toHex(key)}`, { signal: options.signal, limit: 100, timeoutMs: this.options.timeoutMs ?? 3000 }) as AsyncIterable<SearchHit>) {
      if (hit.hash !== rec.hash || seen.has(hit.peer.id)) continue
      seen.add(hit.peer.id)
      yield hit.peer
      if (seen.size >= limit) return
    }
  }
}
