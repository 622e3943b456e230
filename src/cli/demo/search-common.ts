/**
 * The search acts (napster, gnutella, fasttrack) share one scenario: a few nodes share the same real
 * file, another node searches for it by keywords, downloads it from a hit and checks its hash; the
 * message cost is the sum of every node's overlay messages sent during the search.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { MemoryBlobStorage } from '../../runtime/libp2p/index.js'
import { toHex } from '../../overlay/ids.js'
import { Rng } from '../../overlay/rng.js'
import type { SearchHit } from '../../overlay/capabilities.js'
import type { Stats } from '../../overlay/stats.js'
import type { DemoContext, DemoRow } from './types.js'
import { round, waitFor } from './util.js'

export const SHARED_NAME = 'overlaykit demo song.mp3'
export const QUERY = 'demo song'
export const STORE = 'share/overlaykit-demo-song.mp3'
/**
 * How long a search collects hits. A flooded query (Gnutella, FastTrack) has no end the asker can
 * see, so its search lasts exactly this long; hits on a 24-node swarm arrive within a few hundred ms
 * even on a busy machine (a Napster search ends when the server answers).
 */
export const SEARCH_WINDOW_MS = 2000

/** The shared file: 256 KiB of seeded bytes (the same on every sharer). */
export function demoFile (seed: number | string): Uint8Array {
  return new Rng(`demo-file/${String(seed)}`).bytes(256 * 1024)
}

/** One storage per node, so shareStored/fetchFile work in memory. */
export const storages = new Map<string, MemoryBlobStorage>()
export function storageFor (act: string, i: number): MemoryBlobStorage {
  const key = `${act}/${i}`
  let s = storages.get(key)
  if (s === undefined) { s = new MemoryBlobStorage(); storages.set(key, s) }
  return s
}

export interface SearchPeer {
  stats: Stats
  shareStored (store: string, name?: string): Promise<unknown>
  search (query: string, options?: { signal?: AbortSignal, limit?: number, timeoutMs?: number }): AsyncIterable<SearchHit>
  fetchFile (hit: SearchHit, options?: { signal?: AbortSignal, collect?: boolean }): Promise<{ hash: string, size: number, from: string, bytes?: Uint8Array }>
}

const sentTotal = (peers: Array<{ stats: Stats }>): number => peers.reduce((a, p) => a + p.stats.totals().sent, 0)

/**
 * Share the file on `sharers`, search from `asker`, download from the first hit. `extra` are peers
 * outside the swarm whose messages count too (e.g. the Napster server).
 */
export async function searchScenario (ctx: DemoContext, overlay: string, peers: SearchPeer[], sharers: number[], asker: number, extra: Array<{ stats: Stats }> = [], ready?: () => boolean): Promise<DemoRow[]> {
  const file = demoFile(ctx.seed)
  const wantHash = toHex(sha256(file))
  for (const i of sharers) {
    storageFor(overlay, i).put(STORE, file)
    await peers[i].shareStored(STORE, SHARED_NAME)
  }
  // share lists reach the index (server, supernodes) asynchronously: wait for it where it can be seen
  if (ready !== undefined) await waitFor(ready, 15_000, 100, ctx.signal)
  const everyone = [...peers, ...extra]
  const before = sentTotal(everyone)
  let hits: SearchHit[] = []
  let firstHitMs = 0
  let searchMs = 0
  let attempts = 0
  // where readiness cannot be observed, search again (at most 3 times) rather than report a miss
  // caused by a share upload still in flight
  while (attempts < 3) {
    attempts++
    hits = []
    const t0 = performance.now()
    for await (const hit of peers[asker].search(QUERY, { signal: ctx.signal, timeoutMs: SEARCH_WINDOW_MS, limit: 50 })) {
      if (hits.length === 0) firstHitMs = performance.now() - t0
      hits.push(hit)
    }
    searchMs = performance.now() - t0
    if (hits.some(h => h.hash === wantHash)) break
  }
  const messages = sentTotal(everyone) - before
  const matching = hits.filter(h => h.hash === wantHash)
  const rows: DemoRow[] = [{
    overlay,
    action: `node ${asker} searches "${QUERY}" (${sharers.length} of ${peers.length} nodes share it)`,
    result: `${matching.length} hits from ${new Set(matching.map(h => h.peer.id)).size} peers; first after ${Math.round(firstHitMs)} ms${attempts > 1 ? ` (search #${attempts})` : ''}`,
    hops: matching.length > 0 ? `first hit ${matching[0].hops}, max ${Math.max(...matching.map(h => h.hops))}` : '-',
    messages,
    timeMs: Math.round(searchMs)
  }]
  if (matching.length > 0) {
    const td = performance.now()
    try {
      const r = await peers[asker].fetchFile(matching[0], { signal: ctx.signal, collect: true })
      const ok = r.hash === wantHash && r.bytes !== undefined && toHex(sha256(r.bytes)) === wantHash
      rows.push({
        overlay,
        action: `download it from the first hit (${Math.round(file.length / 1024)} KiB)`,
        result: ok ? `hash verified (${round(r.size / 1024 / Math.max((performance.now() - td) / 1000, 1e-3) / 1024, 2)} MiB/s)` : 'HASH MISMATCH',
        timeMs: Math.round(performance.now() - td)
      })
    } catch (err) {
      rows.push({ overlay, action: 'download from the first hit', result: `FAILED: ${(err as Error).message}`, timeMs: Math.round(performance.now() - td) })
    }
  }
  return rows
}

/** k distinct random indexes in [0, n), excluding `not`. */
export function pickDistinct (ctx: DemoContext, n: number, k: number, not: number[] = []): number[] {
  const out = new Set<number>()
  while (out.size < Math.min(k, n - not.length)) {
    const i = ctx.rng.int(n)
    if (!not.includes(i)) out.add(i)
  }
  return [...out]
}
