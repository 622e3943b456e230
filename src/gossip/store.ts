/**
 * The updates a node keeps for relaying and repair, and which of them are hot rumors. Bounded by
 * count (`maxStored`) and bytes (`maxStoredBytes`), the oldest going first, by bytes per origin peer
 * (`maxStoredBytesPerOrigin`: `room` refuses more), and by the TTL (`expire`).
 */
import type { ResolvedOptions } from './options.js'
import { digestHas, type indexDigest } from './seen.js'
import { originPeer, payloadHash } from './auth.js'
import { idKey, type Update } from './types.js'

/** What an update costs besides its payload (ids, maps, the record itself), so tiny updates count too. */
const OVERHEAD_BYTES = 256
const cost = (u: Update): number => u.size + OVERHEAD_BYTES

export interface Stored {
  readonly u: Update
  /** What goes on the wire: the update itself, or its announcement when the payload is large. */
  readonly wire: Update
  hot: boolean
  counter: number
  /** When we got it (for the synchronous-round rule of feedback). */
  readonly at: number
  /** Feedback collected this round, settled at the next round (feedback-counter). */
  useful: number
  useless: number
  /** The origin's peer id and the bytes charged to it. */
  readonly peer: string
  readonly cost: number
}

export class UpdateStore {
  private readonly items = new Map<string, Stored>()
  /** Keys of the hot rumors, in the order they became hot. */
  readonly hot = new Set<string>()
  private readonly perPeer = new Map<string, number>()
  /** Bytes charged for everything stored. */
  bytes = 0
  /** `onEvict` counts an update evicted for room before it expired. */
  constructor (private readonly o: ResolvedOptions, private readonly onEvict: () => void) {}

  get size (): number { return this.items.size }
  get (key: string): Stored | undefined { return this.items.get(key) }
  values (): IterableIterator<Stored> { return this.items.values() }

  /** Bytes charged to one origin peer. */
  bytesOf (peer: string): number { return this.perPeer.get(peer) ?? 0 }

  /** Does the origin of `u` have room for it under its per-origin quota? */
  room (u: Update): boolean {
    return (this.perPeer.get(originPeer(u.origin)) ?? 0) + cost(u) <= this.o.maxStoredBytesPerOrigin
  }

  keep (u: Update, hot: boolean, now: number): Stored {
    const key = idKey(u.origin, u.seq)
    if (this.items.size >= this.o.maxStored) this.evictOldest()
    const c = cost(u)
    while (this.bytes + c > this.o.maxStoredBytes && this.items.size > 0) this.evictOldest()
    const large = u.size > this.o.maxInlineBytes
    const wire: Update = large
      ? { ...u, data: undefined, hash: payloadHash(u) }
      : u
    const peer = originPeer(u.origin)
    const s: Stored = { u, wire, hot: hot && this.o.mode !== 'none', counter: 0, at: now, useful: 0, useless: 0, peer, cost: c }
    this.items.set(key, s)
    this.charge(peer, c)
    if (s.hot) this.hot.add(key)
    return s
  }

  /** No longer spread `key` (it stays stored for repair). */
  cool (key: string): void {
    const s = this.items.get(key)
    if (s !== undefined) s.hot = false
    this.hot.delete(key)
  }

  /** The hot rumors to send in one message (at most maxUpdatesPerMessage). */
  hotList (): Stored[] {
    const out: Stored[] = []
    for (const key of this.hot) {
      const s = this.items.get(key)
      if (s === undefined) { this.hot.delete(key); continue }
      out.push(s)
      if (out.length >= this.o.maxUpdatesPerMessage) break
    }
    return out
  }

  /** Stored, unexpired updates the digest's owner lacks (at most maxUpdatesPerMessage). */
  missingFrom (index: ReturnType<typeof indexDigest>, since: number): Update[] {
    const out: Update[] = []
    for (const s of this.items.values()) {
      if (s.u.time <= since) continue
      if (digestHas(index, s.u.origin, s.u.seq)) continue
      out.push(s.wire)
      if (out.length >= this.o.maxUpdatesPerMessage) break
    }
    return out
  }

  /** Drop what was published at or before `before`. */
  expire (before: number): void {
    for (const [key, s] of this.items) {
      if (s.u.time <= before) this.remove(key, s)
    }
  }

  private charge (peer: string, c: number): void {
    const left = (this.perPeer.get(peer) ?? 0) + c
    if (left > 0) this.perPeer.set(peer, left); else this.perPeer.delete(peer)
    this.bytes += c
  }

  private remove (key: string, s: Stored): void {
    this.items.delete(key)
    this.hot.delete(key)
    this.charge(s.peer, -s.cost)
  }

  private evictOldest (): void {
    const first = this.items.entries().next()
    if (first.done === true) return
    this.remove(first.value[0], first.value[1])
    this.onEvict()
  }
}
