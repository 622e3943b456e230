/**
 * What this host agrees to store (issue 12.2–12.3, issue 13): every write and every replica copy passes
 * here before it touches the store.
 *
 * - **Place**: a host stores only keys it should hold by its own view — it owns the key, or it is among
 *   the first replicas+1 distinct hosts at or after the key on its routing table (one host of slack for a
 *   view that lags the ring). Copies (replica pushes, hand-offs) come only from a host that may hold the
 *   key too: one with a vnode between the key and us (the owner, an earlier replica, a leaving
 *   predecessor), one of our first successors (a hand-off to a new owner, a replica's push-back), or a
 *   host we asked (`want`) for exactly those items.
 * - **Validity**: keys in a namespace are validated (records.ts) by every storing node; versions of
 *   validated records come from the record (a signed seq), never from the sender's word. Keys outside
 *   every namespace are refused unless the node is `open`.
 * - **Bytes**: the store is bounded in total (`maxStoredBytes`) and per writing peer (`maxPeerBytes`).
 *
 * Refusals are counted as `chord:<reason>` and penalise the sender (overlay/penalty.ts).
 */
import { PENALTY, refuse } from '../overlay/penalty.js'
import type { PeerRef } from '../overlay/types.js'
import type { ChordContext } from './context.js'
import type { WireItem } from './messages.js'
import { deriveNodeId, prefixOf } from './node.js'
import { Namespaces, signedNamespace, type RecordNamespace } from './records.js'
import { SIGNATURE_BYTES } from '../overlay/identity.js'
import { inHalfOpen } from '../overlay/ids.js'
import { bytesEqual, itemId, KIND_PROVIDERS, type StoredItem } from './store.js'

/** Hosts of slack beyond `replicas` when deciding whether we should hold a key. */
const SLACK = 1
/** Items we asked a peer for (`want`) stay solicited this long. */
const WANT_MS = 60_000
const WANT_MAX = 65_536
/** Vnode ids computed per sender (for the "between the key and us" test), bounded. */
const IDS_MAX = 4096

export type Verdict = { ok: true, ns: RecordNamespace | undefined } | { ok: false, reason: string }

/**
 * A store request refused as not ours is penalised per this many bytes it carried (at least once): a
 * peer whose view lags sends a few small misplaced writes, while a flood of large ones costs us their
 * transfer and decoding — 64 KiB each takes 8 refusals' worth, so such a writer is cut off after ~13.
 */
const MISPLACED_UNIT_BYTES = 8 * 1024

/** Bytes of signed records remembered as valid per node (read path), and the largest record remembered. */
const READ_MEMO_BYTES = 4 * 1024 * 1024
const READ_MEMO_MAX_RECORD = 64 * 1024

/** Map key of a record: its trailing signature (compared in full on a hit). */
function memoId (record: Uint8Array): string {
  let s = ''
  for (let i = record.byteLength - SIGNATURE_BYTES; i < record.byteLength; i++) s += String.fromCharCode(record[i])
  return s
}

export class Admission {
  readonly namespaces: Namespaces
  /** Bytes held per item id, and in total. */
  private readonly sizes = new Map<string, number>()
  private total = 0
  /** Bytes of values written here by each peer (store requests), by item id → writer. */
  private readonly writers = new Map<string, string>()
  private readonly byPeer = new Map<string, number>()
  private readonly wanted = new Map<string, number>()
  private readonly idsOf = new Map<string, bigint[]>()

  constructor (private readonly m: ChordContext) {
    this.namespaces = new Namespaces(m.o.namespaces)
  }

  get storedBytes (): number { return this.total }

  /** Count a refusal of something `from` sent. */
  refuse (from: PeerRef | undefined, reason: string, weight: number): void {
    if (from === undefined || from.id === this.m.self.id) this.m.env.stats.inc(`chord:${reason}`)
    else refuse(this.m.env, from, `chord:${reason}`, weight)
  }

  /** Is `rid` a key this host should hold (owner or replica, by its own view)? */
  shouldHold (rid: bigint): boolean {
    const m = this.m
    for (const v of m.vnodes) if (v.joined && v.owns(rid)) return true
    const known = m.routes.known()
    const n = known.length
    if (n === 0) return true
    const i = m.routes.closestIndex(prefixOf(rid, m.bits), rid)
    const start = known[i].id === rid ? i : (i + 1) % n
    const hosts = new Set<string>()
    for (let j = 0; j < n; j++) {
      const x = known[(start + j) % n]
      if (x.peer === m.self.id) return true
      hosts.add(x.peer)
      if (hosts.size >= m.o.replicas + SLACK) return false
    }
    return true
  }

  /** May `from` send us a copy of `rid`: it sits between the key and us, is one of our first successors, or we asked it. */
  private mayCopy (from: PeerRef, rid: bigint, id: string): boolean {
    const w = this.wanted.get(`${from.id} ${id}`)
    if (w !== undefined && w >= this.m.env.now()) return true
    const m = this.m
    for (const v of m.vnodes) {
      let hosts = 0
      let last = ''
      for (const s of v.succs) {
        if (s.peer === from.id) return true
        if (s.peer !== last) { last = s.peer; if (++hosts > m.o.replicas + SLACK) break }
      }
    }
    let ids = this.idsOf.get(from.id)
    if (ids === undefined) {
      ids = []
      for (let i = 0; i < m.o.maxVnodes; i++) ids.push(deriveNodeId(from.id, i, m.bits))
      if (this.idsOf.size >= IDS_MAX) this.idsOf.delete(this.idsOf.keys().next().value as string)
      this.idsOf.set(from.id, ids)
    }
    for (const v of m.vnodes) {
      // the sender's vnode in [key, our vnode]: the owner or an earlier replica holder (or a leaving predecessor)
      for (const x of ids) if (x === rid || inHalfOpen(x, (rid - 1n) & m.mask, v.self.id)) return true
    }
    return false
  }

  /** We ask `from` for these items (a `want`): its answer is solicited. */
  solicit (from: PeerRef, ids: string[]): void {
    const until = this.m.env.now() + WANT_MS
    for (const id of ids) {
      if (this.wanted.size >= WANT_MAX) this.wanted.delete(this.wanted.keys().next().value as string)
      this.wanted.set(`${from.id} ${id}`, until)
    }
  }

  /** A write (store request, or this host's own put) of `w`; `current` is what we hold. */
  write (from: PeerRef, w: WireItem, op: 'put' | 'delete' | 'provide', rid: bigint, current: StoredItem | undefined): Verdict {
    const mine = from.id === this.m.self.id
    if (!mine && !this.shouldHold(rid)) return this.no(from, 'not-responsible', PENALTY.refused * Math.max(1, sizeOf(w) / MISPLACED_UNIT_BYTES))
    if (op === 'provide' || w.kind === KIND_PROVIDERS) {
      // a provider record names only the peer that sent it
      if (w.providers.some(p => p.peer !== from.id)) return this.no(from, 'provider-not-sender', PENALTY.invalid)
      return this.bytes(from, w, rid, current, true)
    }
    const ns = this.namespaces.of(w.key)
    if (ns === undefined) {
      if (!this.m.o.open) return this.no(from, 'unvalidated-write', PENALTY.refused)
      return this.bytes(from, w, rid, current, true)
    }
    if (op === 'delete' || w.deleted || w.value === undefined) return this.no(from, 'delete-refused', PENALTY.refused)
    const bad = ns.validate(w.key, w.value)
    if (bad !== undefined) return this.no(from, bad, PENALTY.invalid)
    if (current?.value !== undefined && !current.deleted) {
      const why = ns.checkWrite !== undefined
        ? ns.checkWrite(w.key, current.value, w.value)
        : (ns.select(w.key, [w.value, current.value]) === 0 ? undefined : 'stale')
      if (why !== undefined) return this.no(from, why, PENALTY.quota)
    }
    return this.bytes(from, w, rid, current, true)
  }

  /** A copy pushed by `from` (replication, hand-off, leave). */
  copy (from: PeerRef, w: WireItem, rid: bigint, current: StoredItem | undefined): Verdict {
    const id = itemId(w.kind, w.key)
    if (!this.shouldHold(rid)) return this.no(from, 'not-responsible', PENALTY.refused)
    if (!this.mayCopy(from, rid, id)) return this.no(from, 'copy-not-from-holder', PENALTY.refused)
    if (w.kind === KIND_PROVIDERS) return this.bytes(from, w, rid, current, false)
    const ns = this.namespaces.of(w.key)
    if (ns === undefined) {
      if (!this.m.o.open) return this.no(from, 'unvalidated-write', PENALTY.refused)
      return this.bytes(from, w, rid, current, false)
    }
    if (w.deleted || w.value === undefined) return this.no(from, 'delete-refused', PENALTY.refused)
    const bad = ns.validate(w.key, w.value)
    if (bad !== undefined) return this.no(from, bad, PENALTY.invalid)
    return this.bytes(from, w, rid, current, false)
  }

  /**
   * Signed records this node has found valid on reads, by content (key ‖ record bytes, compared in
   * full): the check is a pure function of those bytes, so reading the same record again (polling a
   * name, or a copy this node holds) skips the signature check. Per node, bounded in bytes.
   */
  private readonly readValid = new Map<string, { key: Uint8Array, record: Uint8Array }>()
  private readValidBytes = 0

  /** A record read back from `from` for `key`: valid for its namespace? (keys without one pass). */
  read (from: PeerRef, key: Uint8Array, value: Uint8Array): boolean {
    const ns = this.namespaces.of(key)
    if (ns === undefined) return true
    const memo = ns === signedNamespace && value.byteLength >= SIGNATURE_BYTES && value.byteLength <= READ_MEMO_MAX_RECORD
    const id = memo ? memoId(value) : ''
    if (memo) {
      const hit = this.readValid.get(id)
      if (hit !== undefined && bytesEqual(hit.key, key) && bytesEqual(hit.record, value)) { this.m.env.stats.inc('chord:read-verify-cached'); return true }
    }
    const bad = ns.validate(key, value)
    if (bad === undefined) {
      if (memo) this.remember(id, key, value)
      return true
    }
    this.refuse(from, bad, PENALTY.invalid)
    return false
  }

  private remember (id: string, key: Uint8Array, record: Uint8Array): void {
    const old = this.readValid.get(id)
    if (old !== undefined) { this.readValid.delete(id); this.readValidBytes -= old.key.byteLength + old.record.byteLength }
    this.readValid.set(id, { key: key.slice(), record: record.slice() })
    this.readValidBytes += key.byteLength + record.byteLength
    for (const [k, e] of this.readValid) {
      if (this.readValidBytes <= READ_MEMO_BYTES) break
      this.readValid.delete(k); this.readValidBytes -= e.key.byteLength + e.record.byteLength
    }
  }

  private bytes (from: PeerRef, w: WireItem, _rid: bigint, current: StoredItem | undefined, isWrite: boolean): Verdict {
    const size = sizeOf(w)
    const id = itemId(w.kind, w.key)
    const before = this.sizes.get(id) ?? (current === undefined ? 0 : sizeOfItem(current))
    if (size > before && this.total + size - before > this.m.o.maxStoredBytes) return this.no(from, 'store-full', PENALTY.quota)
    if (isWrite && from.id !== this.m.self.id) {
      const prev = this.writers.get(id) === from.id ? before : 0
      if ((this.byPeer.get(from.id) ?? 0) + size - prev > this.m.o.maxPeerBytes) return this.no(from, 'peer-quota', PENALTY.quota)
    }
    return { ok: true, ns: this.namespaces.of(w.key) }
  }

  /** The store now holds `it` under `id`, written by `writer` (a store request) or copied. */
  stored (id: string, it: StoredItem, writer?: string): void {
    const size = sizeOfItem(it)
    const prev = this.sizes.get(id) ?? 0
    this.total += size - prev
    this.sizes.set(id, size)
    const old = this.writers.get(id)
    if (old !== undefined) { this.byPeer.set(old, Math.max(0, (this.byPeer.get(old) ?? 0) - prev)); this.writers.delete(id) }
    if (writer !== undefined && writer !== this.m.self.id) {
      this.writers.set(id, writer)
      this.byPeer.set(writer, (this.byPeer.get(writer) ?? 0) + size)
    }
  }

  /** The item under `id` left the store. */
  dropped (id: string): void {
    const size = this.sizes.get(id) ?? 0
    this.total -= size
    this.sizes.delete(id)
    const w = this.writers.get(id)
    if (w !== undefined) { this.byPeer.set(w, Math.max(0, (this.byPeer.get(w) ?? 0) - size)); this.writers.delete(id) }
  }

  private no (from: PeerRef, reason: string, weight: number): Verdict {
    this.refuse(from, reason, weight)
    return { ok: false, reason }
  }
}

const PROVIDER_BYTES = 96

function sizeOf (w: WireItem): number {
  return w.key.byteLength + (w.value?.byteLength ?? 0) + w.providers.length * PROVIDER_BYTES
}

function sizeOfItem (it: StoredItem): number {
  return it.key.byteLength + (it.value?.byteLength ?? 0) + it.providers.size * PROVIDER_BYTES
}
