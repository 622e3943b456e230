/**
 * The replicated key/value map of Demers et al.: every write carries a Lamport timestamp, ties broken
 * by the writer's id, and the larger (lamport, node) wins, so every replica that has seen the same
 * writes holds the same value per key whatever the order they arrived in. A delete is a death
 * certificate (a tombstone with the same timestamp rules) that is dropped after `tombstoneTtlMs`.
 *
 * The checksum (xor of a 32-bit hash per entry, tombstones included) lets anti-entropy skip equal maps.
 */
import type { MapEntryWire } from './types.js'

export interface LwwEntry {
  lamport: number
  node: string
  value?: Uint8Array
  deleted: boolean
  /** Local time after which a tombstone is discarded. */
  expires?: number
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
  /** The Lamport clock: above every timestamp seen. */
  clock = 0

  constructor (private readonly tombstoneTtlMs: number, private readonly maxEntries = 100_000) {}

  get checksum (): number { return this.sum >>> 0 }
  get size (): number { return this.entries.size }

  /** The next timestamp for a local write. */
  tick (): number { return ++this.clock }

  /** Apply a write; true when it changed the map (it was newer than what we had). */
  apply (key: string, lamport: number, node: string, deleted: boolean, value: Uint8Array | undefined, now: number): boolean {
    if (lamport > this.clock) this.clock = lamport
    const cur = this.entries.get(key)
    if (cur !== undefined && !newer({ lamport, node }, cur)) return false
    if (cur === undefined && this.entries.size >= this.maxEntries) return false
    if (cur !== undefined) this.sum ^= entryHash(key, cur)
    const e: LwwEntry = deleted
      ? { lamport, node, deleted: true, expires: now + this.tombstoneTtlMs }
      : { lamport, node, deleted: false, value }
    this.entries.set(key, e)
    this.sum ^= entryHash(key, e)
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
      out.push(e.deleted ? { key, lamport: e.lamport, node: e.node, deleted: true } : { key, lamport: e.lamport, node: e.node, deleted: false, value: e.value })
    }
    return out
  }

  /** Merge a peer's entries; returns the keys that changed. */
  merge (entries: readonly MapEntryWire[], now: number): string[] {
    const changed: string[] = []
    for (const w of entries) {
      if (this.apply(w.key, w.lamport, w.node, w.deleted, w.value, now)) changed.push(w.key)
    }
    return changed
  }
}
