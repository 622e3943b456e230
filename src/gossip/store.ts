/**
 * The updates a node keeps for relaying and repair, and which of them are hot rumors. Bounded by
 * `maxStored` (the oldest go first) and by the TTL (`expire`).
 */
import { sha256 } from '@noble/hashes/sha2.js'
import type { ResolvedOptions } from './options.js'
import { digestHas, type indexDigest } from './seen.js'
import { idKey, type Update } from './types.js'

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
}

export class UpdateStore {
  private readonly items = new Map<string, Stored>()
  /** Keys of the hot rumors, in the order they became hot. */
  readonly hot = new Set<string>()
  /** `onEvict` counts an update evicted for room before it expired. */
  constructor (private readonly o: ResolvedOptions, private readonly onEvict: () => void) {}

  get size (): number { return this.items.size }
  get (key: string): Stored | undefined { return this.items.get(key) }
  values (): IterableIterator<Stored> { return this.items.values() }

  keep (u: Update, hot: boolean, now: number): Stored {
    const key = idKey(u.origin, u.seq)
    if (this.items.size >= this.o.maxStored) this.evictOldest()
    const large = u.size > this.o.maxInlineBytes
    const wire: Update = large
      ? { ...u, data: undefined, hash: u.hash ?? sha256(u.data ?? new Uint8Array(0)) }
      : u
    const s: Stored = { u, wire, hot: hot && this.o.mode !== 'none', counter: 0, at: now, useful: 0, useless: 0 }
    this.items.set(key, s)
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
      if (s.u.time <= before) { this.items.delete(key); this.hot.delete(key) }
    }
  }

  private evictOldest (): void {
    const first = this.items.keys().next()
    if (first.done === true) return
    this.items.delete(first.value)
    this.hot.delete(first.value)
    this.onEvict()
  }
}
