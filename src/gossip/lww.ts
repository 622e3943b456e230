/**
 * The replicated key/value map of Demers et al.: every write carries a Lamport timestamp, ties broken
 * by the writer's id, and the larger (lamport, node) wins, so every replica that has seen the same
 * writes holds the same value per key whatever the order they arrived in. A delete is a death
 * certificate (a tombstone with the same timestamp rules) that is dropped after `tombstoneTtlMs`.
 *
 * The checksum (xor of a 32-bit hash per entry, tombstones included) lets anti-entropy skip equal maps.
 */
import { LimitError } from '../overlay/errors.js'
import type { Dep, MapEntryWire } from './types.js'

/** The signed write an entry came from, so a repair can hand it on verifiable (see MapEntryWire). */
export interface WriteSource {
  readonly origin: string
  readonly seq: number
  readonly time: number
  readonly deps?: readonly Dep[]
  readonly sig?: Uint8Array
}

export interface LwwEntry {
  lamport: number
  node: string
  value?: Uint8Array
  deleted: boolean
  /** Local time after which a tombstone is discarded. */
  expires?: number
  src?: WriteSource
}

/** (a.lamport, a.node) > (b.lamport, b.node)? */
export function newer (a: { lamport: number, node: string }, b: { lamport: number, node: string }): boolean {
  if (a.lamport !== b.lamport) return a.lamport > b.lamport
  return a.node > b.node
}

function hash32 (s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) }
  return h >>> 0
}

function entryHash (key: string, e: { lamport: number, node: string, deleted: boolean }): number {
  let h = hash32(key)
  h = hash32(e.node, h ^ e.lamport)
  h ^= e.deleted ? 0x9e3779b9 : 0
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13
  return h >>> 0
}

export class LwwMap {
  private readonly entries = new Map<string, LwwEntry>()
  private sum = 0
  /** Value bytes held. */
  bytes = 0
  /** The Lamport clock: above every timestamp seen. */
  clock = 0

  constructor (private readonly tombstoneTtlMs: number, private readonly maxEntries = 100_000) {}

  get checksum (): number { return this.sum >>> 0 }
  get size (): number { return this.entries.size }

  /**
   * The next timestamp for a local write: a hybrid logical clock, max(clock + 1, now), so timestamps
   * stay near the wall clock and a receiver can refuse one implausibly far ahead of its own clock
   * (which is what keeps the clock far from 2^53 − 1: an honest write never runs out of timestamps).
   */
  tick (now = 0): number {
    const next = Math.max(this.clock + 1, Math.floor(now))
    if (!Number.isSafeInteger(next)) throw new LimitError(`gossip: the map's Lamport clock ${this.clock} is exhausted`)
    this.clock = next
    return next
  }

  /** Would a write of `lamport` by `node` win over what `key` holds now? */
  wins (key: string, lamport: number, node: string): boolean {
    const cur = this.entries.get(key)
    return cur === undefined || newer({ lamport, node }, cur)
  }

  /** Apply a write; true when it changed the map (it was newer than what we had). */
  apply (key: string, lamport: number, node: string, deleted: boolean, value: Uint8Array | undefined, now: number, src?: WriteSource): boolean {
    if (lamport > this.clock) this.clock = lamport
    const cur = this.entries.get(key)
    if (cur !== undefined && !newer({ lamport, node }, cur)) return false
    if (cur === undefined && this.entries.size >= this.maxEntries) return false
    if (cur !== undefined) { this.sum ^= entryHash(key, cur); this.bytes -= cur.value?.byteLength ?? 0 }
    const e: LwwEntry = deleted
      ? { lamport, node, deleted: true, expires: now + this.tombstoneTtlMs, src }
      : { lamport, node, deleted: false, value, src }
    this.entries.set(key, e)
    this.sum ^= entryHash(key, e)
    this.bytes += e.value?.byteLength ?? 0
    return true
  }

  get (key: string): Uint8Array | undefined {
    const e = this.entries.get(key)
    return e === undefined || e.deleted ? undefined : e.value
  }

  entry (key: string): LwwEntry | undefined { return this.entries.get(key) }

  /** Live keys and values. */
  * live (): IterableIterator<[string, Uint8Array]> {
    for (const [k, e] of this.entries) if (!e.deleted && e.value !== undefined) yield [k, e.value]
  }

  /** Drop expired death certificates. */
  expire (now: number): number {
    let n = 0
    for (const [k, e] of this.entries) {
      if (e.deleted && (e.expires ?? 0) <= now) { this.sum ^= entryHash(k, e); this.entries.delete(k); n++ }
    }
    return n
  }

  toWire (limit: number): MapEntryWire[] {
    const out: MapEntryWire[] = []
    for (const [key, e] of this.entries) {
      if (out.length >= limit) break
      const src = e.src ?? { origin: e.node, seq: 0, time: 0 }
      const from = { origin: src.origin, seq: src.seq, time: src.time, ...(src.deps !== undefined ? { deps: src.deps } : {}), ...(src.sig !== undefined ? { sig: src.sig } : {}) }
      out.push(e.deleted ? { key, lamport: e.lamport, node: e.node, deleted: true, ...from } : { key, lamport: e.lamport, node: e.node, deleted: false, value: e.value, ...from })
    }
    return out
  }

  /** Merge a peer's entries (those `accept` lets through); returns the keys that changed. */
  merge (entries: readonly MapEntryWire[], now: number, accept: (w: MapEntryWire) => boolean = () => true): string[] {
    const changed: string[] = []
    for (const w of entries) {
      if (!this.wins(w.key, w.lamport, w.node)) continue // stale: nothing to check
      if (!accept(w)) continue
      if (this.apply(w.key, w.lamport, w.node, w.deleted, w.value, now, w)) changed.push(w.key)
    }
    return changed
  }
}
