/**
 * The replicated key/value store and provider records. An item lives at the owner of hash(key) and
 * at the next replicas−1 distinct hosts on its successor list. The owner assigns versions, pushes
 * every write to its replicas at once and, every replicateMs, sends them a digest; a replica asks for
 * what it lacks and renews the lease of what it has. Replicas whose lease lapsed and that this host
 * no longer owns are dropped. A new predecessor is handed the items it now owns (join); a leaving
 * node hands its items to its successor.
 */
import { InvalidArgumentError, LimitError, NotFoundError, UnreachableError } from '../overlay/errors.js'
import { hashToId, inHalfOpen } from '../overlay/ids.js'
import type { PeerRef } from '../overlay/types.js'
import type { LookupOutcome } from './lookup.js'
import type { ChordMachine } from './machine.js'
import type { ChordMessage, ProviderRecord, WireItem } from './messages.js'
import type { NodeInfo } from './node.js'
import type { VNode } from './routing.js'
import { afterTableChange } from './maintenance.js'
import { lost } from './merge.js'
import { bytesEqual, fromWire, itemId, KIND_PROVIDERS, KIND_VALUE, mergeItem, toWire, type StoredItem } from './store.js'

const BATCH = 256

export function keyRingId (m: ChordMachine, key: Uint8Array): bigint { return hashToId(key, m.bits) }

/** The first replicas−1 distinct remote hosts after v. */
export function replicaTargets (m: ChordMachine, v: VNode): NodeInfo[] {
  const out: NodeInfo[] = []
  const seen = new Set<string>([m.self.id])
  for (const s of v.succs) {
    if (out.length >= m.o.replicas - 1) break
    if (seen.has(s.peer)) continue
    seen.add(s.peer); out.push(s)
  }
  return out
}

function owningVnode (m: ChordMachine, rid: bigint): VNode | undefined {
  for (const v of m.vnodes) if (v.joined && v.owns(rid)) return v
  return undefined
}

export function replicateSoon (m: ChordMachine): void {
  if (m.o.maintenance) m.env.setTimer('replsoon', Math.min(50, m.o.replicateMs))
}

/** Replicas outlive a missing refresh by far: extra copies are cheap, a lost key is not. */
function leaseMs (m: ChordMachine): number { return 10 * m.o.replicateMs }

function chunks<T> (items: T[], n = BATCH): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n))
  return out
}

// ---- owner / replica side ------------------------------------------------------------------------

/** Apply a write at the owner; returns an error string or undefined. */
export function applyStore (m: ChordMachine, w: WireItem, op: 'put' | 'delete' | 'provide'): string | undefined {
  if (w.value !== undefined && w.value.byteLength > m.o.maxValueBytes) return `value of ${w.value.byteLength} bytes exceeds ${m.o.maxValueBytes}`
  const now = m.env.now()
  const id = itemId(w.kind, w.key)
  const rid = keyRingId(m, w.key)
  let it = m.store.get(id)
  if (it === undefined) {
    it = fromWire({ ...w, version: 0, value: undefined, deleted: false, providers: [] }, rid, now)
  }
  it.version++
  if (op === 'put') { it.value = w.value; it.deleted = false }
  else if (op === 'delete') { it.value = undefined; it.deleted = true; it.deletedAt = now; it.providers.clear() }
  else for (const p of w.providers) it.providers.set(p.peer, p)
  m.store.set(id, it)
  const v = owningVnode(m, rid) ?? m.vnodes[0]
  const wire = toWire(it, now)
  for (const t of replicaTargets(m, v)) m.send(t.ref, { t: 'items', items: [wire], handoff: false })
  return undefined
}

export function onStore (m: ChordMachine, from: PeerRef, msg: Extract<ChordMessage, { t: 'store' }>): void {
  const err = applyStore(m, msg.item, msg.op)
  m.send(from, err === undefined ? { t: 'stored', req: msg.req, ok: true } : { t: 'stored', req: msg.req, ok: false, error: err })
}

function readLocal (m: ChordMachine, key: Uint8Array, kind: number): StoredItem | undefined {
  const it = m.store.get(itemId(kind, key))
  if (it === undefined || !bytesEqual(it.key, key)) return undefined
  if (kind === KIND_VALUE) return !it.deleted && it.value !== undefined ? it : undefined
  const now = m.env.now()
  for (const p of it.providers.values()) if (p.expires > now) return it
  return undefined
}

export function onFetch (m: ChordMachine, from: PeerRef, msg: Extract<ChordMessage, { t: 'fetch' }>): void {
  const it = readLocal(m, msg.key, msg.kind)
  m.send(from, { t: 'fetched', req: msg.req, key: msg.key, kind: msg.kind, found: it !== undefined, item: it === undefined ? undefined : toWire(it, m.env.now()) })
}

export function onItems (m: ChordMachine, items: WireItem[]): void {
  const now = m.env.now()
  for (const w of items) {
    if (w.value !== undefined && w.value.byteLength > m.o.maxValueBytes) { m.env.stats.inc('chord:oversized-item'); continue }
    const id = itemId(w.kind, w.key)
    const local = m.store.get(id)
    if (local === undefined) {
      const it = fromWire(w, keyRingId(m, w.key), now)
      it.leaseUntil = now + leaseMs(m)
      m.store.set(id, it)
    } else {
      mergeItem(local, w, now)
      local.leaseUntil = now + leaseMs(m)
    }
  }
}

/** Periodic: digests to replicas, then garbage collection of lapsed replicas and old tombstones. */
export function replicate (m: ChordMachine): void {
  const now = m.env.now()
  for (const v of m.vnodes) {
    if (!v.joined || v.pred === undefined) continue
    const targets = replicaTargets(m, v)
    if (targets.length === 0) continue
    const keys: Uint8Array[] = []; const kinds: number[] = []; const versions: number[] = []
    for (const it of m.store.values()) {
      if (!inHalfOpen(it.rid, v.pred.id, v.self.id)) continue
      keys.push(it.key); kinds.push(it.kind); versions.push(it.version)
    }
    // always at least one (possibly empty) digest: it also lets replicas push back what we lack
    for (let i = 0; i === 0 || i < keys.length; i += BATCH) {
      const last = i + BATCH >= keys.length
      for (const t of targets) {
        // a request: the reply (possibly empty 'want') also tells us the replica is alive
        const req = m.newReq()
        m.request(t.ref, { t: 'digest', req, keys: keys.slice(i, i + BATCH), kinds: kinds.slice(i, i + BATCH), versions: versions.slice(i, i + BATCH), lo: v.pred.id, hi: v.self.id, last }, (msg) => {
          if (msg.t === 'want') onWant(m, t.ref, msg)
        }, () => { replicaFailed(m, t) })
      }
    }
  }
  // garbage collection needs to know every range we own
  const decided = m.vnodes.every(v => v.joined && (v.pred !== undefined || v.succs.length === 0))
  const drop: string[] = []
  const strays: StoredItem[] = []
  for (const it of m.store.values()) {
    for (const [peer, p] of it.providers) if (p.expires <= now) it.providers.delete(peer)
    const owned = owningVnode(m, it.rid) !== undefined
    if (it.deleted && now - it.deletedAt > m.o.tombstoneMs) drop.push(itemId(it.kind, it.key))
    else if (it.kind === KIND_PROVIDERS && it.providers.size === 0 && !it.deleted) drop.push(itemId(it.kind, it.key))
    else if (decided && !owned && it.leaseUntil < now) strays.push(it)
  }
  for (const id of drop) m.store.delete(id)
  if (strays.length > 0) rehome(m, strays)
}

/** Items being offered to their owner by rehome() (one batch at a time per host). */
const rehoming = new WeakSet<ChordMachine>()

/**
 * Items we hold, do not own, and whose lease no owner renewed: before dropping them, make sure their
 * owner has them. An owner normally gets its items by the join hand-off or from its replicas' push
 * back, but not always: after two rings merge (merge.ts), or when ownership moves past more than one
 * node, the only copies may sit on hosts that are neither the owner nor its replicas, and dropping
 * them would lose the key. So we look up the owner of one stray (picked at random) and send it a
 * digest of the strays it owns; it asks for what it lacks (want), and only when it lacks nothing are
 * our copies dropped. One batch per replication period; nothing happens while no item is stray.
 */
function rehome (m: ChordMachine, strays: StoredItem[]): void {
  if (rehoming.has(m)) return
  rehoming.add(m)
  // a random start, so one owner that never takes its batch cannot hold up the others
  const first = strays[m.env.rng.int(strays.length)]
  m.lookup({ key: first.rid, internal: true }, (err, res) => {
    if (err != null || res === undefined || !m.running) { rehoming.delete(m); return }
    const owner = res.owner
    if (owner.peer === m.self.id) { rehoming.delete(m); return } // ours after all (the ring moved)
    // every stray from `first` up to the owner's id clockwise is the owner's too
    const batch = strays.filter(it => inHalfOpen(it.rid, (first.rid - 1n) & m.mask, owner.id)).slice(0, BATCH)
    const req = m.newReq()
    m.env.stats.inc('chord:rehome')
    m.request(owner.ref, { t: 'digest', req, keys: batch.map(it => it.key), kinds: batch.map(it => it.kind), versions: batch.map(it => it.version), lo: owner.id, hi: owner.id, last: false }, (msg) => {
      rehoming.delete(m)
      if (msg.t !== 'want') return
      if (msg.keys.length > 0) { onWant(m, owner.ref, msg); return } // dropped next period, once it has them
      for (const it of batch) {
        const id = itemId(it.kind, it.key)
        if (m.store.get(id) === it && owningVnode(m, it.rid) === undefined && it.leaseUntil < m.env.now()) m.store.delete(id)
      }
    }, () => { rehoming.delete(m) })
  })
}

export function onDigest (m: ChordMachine, from: PeerRef, msg: Extract<ChordMessage, { t: 'digest' }>): void {
  const now = m.env.now()
  const want: Uint8Array[] = []; const kinds: number[] = []
  for (let i = 0; i < msg.keys.length; i++) {
    const local = m.store.get(itemId(msg.kinds[i], msg.keys[i]))
    if (local !== undefined && local.version >= msg.versions[i]) local.leaseUntil = now + leaseMs(m)
    else { want.push(msg.keys[i]); kinds.push(msg.kinds[i]) }
  }
  m.send(from, { t: 'want', req: msg.req, keys: want, kinds })
  // the owner lacks items of its range that we hold (it took over from a failed owner): push them back
  if (!msg.last) return
  const listed = new Set<string>()
  for (let i = 0; i < msg.keys.length; i++) listed.add(itemId(msg.kinds[i], msg.keys[i]))
  const back: WireItem[] = []
  for (const it of m.store.values()) {
    if (!inHalfOpen(it.rid, msg.lo, msg.hi)) continue
    if (msg.keys.length < BATCH && !listed.has(itemId(it.kind, it.key))) back.push(toWire(it, now))
  }
  for (const c of chunks(back)) m.send(from, { t: 'items', items: c, handoff: true })
}

/** A replica did not answer a digest: forget it, so the next host on the successor list takes its place. */
function replicaFailed (m: ChordMachine, t: NodeInfo): void {
  m.env.stats.inc('chord:replica-failed')
  lost(m, t)
  if (m.routes.removePeer(t.peer)) { afterTableChange(m); replicateSoon(m) }
}

export function onWant (m: ChordMachine, from: PeerRef, msg: Extract<ChordMessage, { t: 'want' }>): void {
  if (msg.keys.length === 0) return
  const now = m.env.now()
  const items: WireItem[] = []
  for (let i = 0; i < msg.keys.length; i++) {
    const it = m.store.get(itemId(msg.kinds[i], msg.keys[i]))
    if (it !== undefined) items.push(toWire(it, now))
  }
  for (const c of chunks(items)) m.send(from, { t: 'items', items: c, handoff: false })
}

/** Join hand-off: the new predecessor n gets every item we hold that is not ours to own any more. */
export function handoff (m: ChordMachine, v: VNode, n: NodeInfo, _old: NodeInfo | undefined): void {
  const now = m.env.now()
  const items: WireItem[] = []
  for (const it of m.store.values()) {
    if (inHalfOpen(it.rid, n.id, v.self.id)) continue
    items.push(toWire(it, now))
    // no longer ours to own: keep it as a replica for a lease, not a moment
    it.leaseUntil = Math.max(it.leaseUntil, now + leaseMs(m))
  }
  for (const c of chunks(items)) m.send(n.ref, { t: 'items', items: c, handoff: true })
}

/** Items vnode v owns (all unowned-by-others items when its predecessor is unknown). */
export function ownedItems (m: ChordMachine, v: VNode): WireItem[] {
  const now = m.env.now()
  const out: WireItem[] = []
  for (const it of m.store.values()) {
    const mine = v.pred !== undefined ? inHalfOpen(it.rid, v.pred.id, v.self.id) : owningVnode(m, it.rid) === undefined || owningVnode(m, it.rid) === v
    if (mine) out.push(toWire(it, now))
  }
  return out
}

// ---- client side -----------------------------------------------------------------------------------

export interface KvCost { lookup: LookupOutcome | undefined, timeouts: number, messages: number }
type Done<T> = (err: Error | null, value?: T, cost?: KvCost) => void

function asBytes (key: Uint8Array | string): Uint8Array {
  return typeof key === 'string' ? new TextEncoder().encode(key) : key
}

/** Look up the owner list of a key, then run `visit` on the owner and (on failure) its successors. */
function withOwners<T> (m: ChordMachine, key: Uint8Array, done: Done<T>,
  visit: (n: NodeInfo, next: (err: Error | null, value?: T, retry?: boolean) => void) => void): () => void {
  let cancelled = false
  const cancelLookup = m.lookup({ key: keyRingId(m, key) }, (err, res) => {
    if (cancelled) return
    if (err != null || res === undefined) { done(err ?? new UnreachableError('lookup failed')); return }
    const cost: KvCost = { lookup: res, timeouts: 0, messages: res.messages }
    const list = res.owners.slice(0, Math.max(1, m.o.replicas))
    let i = 0
    let lastErr: Error = new UnreachableError('no replica answered')
    const tryNext = (): void => {
      if (cancelled) return
      const n = list[i++]
      if (n === undefined) { done(lastErr, undefined, cost); return }
      cost.messages++
      visit(n, (e, v, retry) => {
        if (cancelled) return
        if (e == null) { done(null, v, cost); return }
        lastErr = e
        if (e instanceof UnreachableError) cost.timeouts++
        if (retry === true) tryNext(); else done(e, undefined, cost)
      })
    }
    tryNext()
  })
  return () => { cancelled = true; cancelLookup() }
}

function storeOp (m: ChordMachine, item: WireItem, op: 'put' | 'delete' | 'provide', done: Done<void>): () => void {
  return withOwners<void>(m, item.key, done, (n, next) => {
    if (n.peer === m.self.id) { const e = applyStore(m, item, op); next(e === undefined ? null : new LimitError(e)); return }
    const req = m.newReq()
    m.request(n.ref, { t: 'store', req, item, op }, (msg) => {
      if (msg.t !== 'stored') return
      next(msg.ok ? null : new LimitError(msg.error ?? 'store refused'))
    }, () => { next(new UnreachableError(`owner ${n.peer} did not answer`), undefined, true) })
  })
}

export function put (m: ChordMachine, key: Uint8Array | string, value: Uint8Array, done: Done<void>): () => void {
  if (value.byteLength > m.o.maxValueBytes) { done(new LimitError(`value of ${value.byteLength} bytes exceeds ${m.o.maxValueBytes}`)); return () => {} }
  return storeOp(m, { key: asBytes(key), kind: KIND_VALUE, version: 0, value, deleted: false, providers: [] }, 'put', done)
}

export function del (m: ChordMachine, key: Uint8Array | string, done: Done<void>): () => void {
  return storeOp(m, { key: asBytes(key), kind: KIND_VALUE, version: 0, deleted: true, providers: [] }, 'delete', done)
}

export function provide (m: ChordMachine, key: Uint8Array, done: Done<void>): () => void {
  const rec: ProviderRecord = { peer: m.self.id, addrs: [...(m.self.addrs ?? [])], expires: m.env.now() + m.o.providerTtlMs }
  return storeOp(m, { key, kind: KIND_PROVIDERS, version: 0, deleted: false, providers: [rec] }, 'provide', done)
}

function fetchOp (m: ChordMachine, key: Uint8Array, kind: number, done: Done<WireItem>): () => void {
  if (key.byteLength === 0) { done(new InvalidArgumentError('empty key')); return () => {} }
  return withOwners<WireItem>(m, key, done, (n, next) => {
    const notFound = (): void => { next(new NotFoundError(`no value for key`), undefined, true) }
    if (n.peer === m.self.id) {
      const it = readLocal(m, key, kind)
      if (it === undefined) notFound(); else next(null, toWire(it, m.env.now()))
      return
    }
    const req = m.newReq()
    m.request(n.ref, { t: 'fetch', req, key, kind }, (msg) => {
      if (msg.t !== 'fetched') return
      // never accept an answer for another key
      if (!msg.found || msg.item === undefined || !bytesEqual(msg.key, key) || !bytesEqual(msg.item.key, key) || msg.item.kind !== kind) {
        if (msg.found) m.env.stats.inc('chord:wrong-key')
        notFound(); return
      }
      next(null, msg.item)
    }, () => { next(new UnreachableError(`replica ${n.peer} did not answer`), undefined, true) })
  })
}

export function get (m: ChordMachine, key: Uint8Array | string, done: Done<Uint8Array>): () => void {
  return fetchOp(m, asBytes(key), KIND_VALUE, (err, item, cost) => {
    if (err != null || item === undefined || item.deleted || item.value === undefined) { done(err ?? new NotFoundError('no value for key'), undefined, cost); return }
    done(null, item.value, cost)
  })
}

export function findProviders (m: ChordMachine, key: Uint8Array, done: Done<ProviderRecord[]>): () => void {
  return fetchOp(m, key, KIND_PROVIDERS, (err, item, cost) => {
    if (err instanceof NotFoundError) { done(null, [], cost); return }
    if (err != null || item === undefined) { done(err ?? new NotFoundError(), undefined, cost); return }
    const now = m.env.now()
    done(null, item.providers.filter(p => p.expires > now), cost)
  })
}
