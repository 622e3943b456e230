/**
 * The per-host item store: values and provider sets, each with a version (assigned by the owner) and
 * a replica lease. Pluggable: anything implementing ChordStore; the default keeps items in memory.
 */
import { toHex } from '../overlay/ids.js'
import type { ProviderRecord, WireItem } from './messages.js'

export const KIND_VALUE = 0
export const KIND_PROVIDERS = 1

export interface StoredItem {
  key: Uint8Array
  kind: number
  /** Ring position: hash(key). */
  rid: bigint
  version: number
  value?: Uint8Array
  deleted: boolean
  providers: Map<string, ProviderRecord>
  /** A replica not refreshed by its owner by this time may be dropped (owned items never are). */
  leaseUntil: number
  /** When a tombstone was written (for expiry). */
  deletedAt: number
}

/** Storage backend. Keys are `itemId(kind, key)` strings. */
export interface ChordStore {
  get (id: string): StoredItem | undefined
  set (id: string, item: StoredItem): void
  delete (id: string): void
  values (): Iterable<StoredItem>
  readonly size: number
}

const EMPTY: ReadonlyMap<string, StoredItem> = new Map()

export class MemoryStore implements ChordStore {
  /** Made on the first write (an empty Map costs ~200 bytes, which adds up at 10^6 hosts). */
  private map: Map<string, StoredItem> | undefined
  get (id: string): StoredItem | undefined { return this.map?.get(id) }
  set (id: string, item: StoredItem): void { (this.map ??= new Map()).set(id, item) }
  delete (id: string): void { this.map?.delete(id) }
  values (): Iterable<StoredItem> { return (this.map ?? EMPTY).values() }
  get size (): number { return this.map?.size ?? 0 }
}

export function itemId (kind: number, key: Uint8Array): string {
  return `${kind}:${toHex(key)}`
}

export function toWire (it: StoredItem, now: number): WireItem {
  const providers: ProviderRecord[] = []
  for (const p of it.providers.values()) if (p.expires > now) providers.push(p)
  return { key: it.key, kind: it.kind, version: it.version, value: it.value, deleted: it.deleted, providers }
}

/**
 * Merge an incoming copy into the local one. Values: the higher version wins. Provider sets: union,
 * keeping the later expiry per peer. Returns true when the local copy changed.
 */
export function mergeItem (local: StoredItem, w: WireItem, now: number): boolean {
  let changed = false
  if (w.version > local.version) {
    local.version = w.version
    local.value = w.value
    if (w.deleted && !local.deleted) local.deletedAt = now
    local.deleted = w.deleted
    changed = true
  }
  for (const p of w.providers) {
    const cur = local.providers.get(p.peer)
    if (cur === undefined || cur.expires < p.expires) { local.providers.set(p.peer, p); changed = true }
  }
  return changed
}

export function fromWire (w: WireItem, rid: bigint, now: number): StoredItem {
  const providers = new Map<string, ProviderRecord>()
  for (const p of w.providers) providers.set(p.peer, p)
  return {
    key: w.key, kind: w.kind, rid, version: w.version, value: w.value, deleted: w.deleted,
    providers, leaseUntil: 0, deletedAt: w.deleted ? now : 0
  }
}

export function bytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}
