/**
 * The holder side of the direct-transfer protocol: answers `xfer-get {hash, offset, length}` by
 * reading the catalog's store through env.io (stateless per request, at most `maxReads` reads at once;
 * beyond it `busy`), and offers a file to a downloader after a push request. Split from transfer.ts,
 * which keeps the downloader side; `Transfers` owns one and routes `xfer-get` and `xfer:u:` io to it.
 */
import type { Env, IoResult, PeerRef } from '../overlay/types.js'
import type { CatalogEntry } from './catalog.js'
import type { XferMsg } from './transfer-codec.js'

/** One chunk read in progress, answered when the io completes. */
interface Upload { to: PeerRef, req: number, offset: number, total: number }

export class Uploads {
  private readonly reads = new Map<number, Upload>()
  private seq = 0

  constructor (
    private readonly env: Env<any>,
    private readonly send: (to: PeerRef, msg: XferMsg) => void,
    private readonly lookup: (hash: string) => CatalogEntry | undefined,
    private readonly maxReads: number
  ) {}

  get size (): number { return this.reads.size }

  /** After a push request: connect out to the downloader and offer the file. */
  pushTo (downloader: PeerRef, hash: string): boolean {
    if (this.lookup(hash) === undefined) { this.env.stats.inc('xfer:push-unknown-file'); return false }
    this.env.stats.inc('xfer:push-answered')
    this.send(downloader, { type: 'xfer-offer', hash })
    return true
  }

  onGet (from: PeerRef, msg: Extract<XferMsg, { type: 'xfer-get' }>): void {
    const entry = this.lookup(msg.hash)
    if (entry === undefined) { this.env.stats.inc('xfer:get-not-found'); this.send(from, { type: 'xfer-err', req: msg.req, code: 'not-found', total: 0 }); return }
    if (msg.length === 0 || msg.offset + msg.length > entry.size) {
      this.env.stats.inc('xfer:get-bad-range')
      this.send(from, { type: 'xfer-err', req: msg.req, code: 'range', total: entry.size })
      return
    }
    if (this.reads.size >= this.maxReads) {
      this.env.stats.inc('xfer:get-busy')
      this.send(from, { type: 'xfer-err', req: msg.req, code: 'busy', total: entry.size })
      return
    }
    const u = ++this.seq
    this.reads.set(u, { to: from, req: msg.req, offset: msg.offset, total: entry.size })
    this.env.io?.({ op: 'read', store: entry.store, offset: msg.offset, length: msg.length, token: `xfer:u:${u}` })
  }

  onRead (u: number, result: IoResult): void {
    const up = this.reads.get(u)
    if (up === undefined) return
    this.reads.delete(u)
    if (!result.ok || result.data === undefined) {
      this.env.stats.inc('xfer:upload-io-errors')
      this.send(up.to, { type: 'xfer-err', req: up.req, code: 'io', total: up.total })
      return
    }
    this.env.stats.inc('xfer:bytes-up', result.data.byteLength)
    this.send(up.to, { type: 'xfer-data', req: up.req, offset: up.offset, total: up.total, data: result.data })
  }

  /** The downloader is gone: its reads in progress are answered to nobody. */
  peerGone (id: string): void {
    for (const [k, u] of this.reads) if (u.to.id === id) this.reads.delete(k)
  }

  clear (): void { this.reads.clear() }
}
