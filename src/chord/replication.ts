/**
 * The replicated store's owner and replica side. An item lives at the owner of hash(key) and at the
 * next replicas−1 distinct hosts on its successor list. The owner assigns versions, pushes every write
 * to its replicas at once and, every replicateMs, sends them a digest; a replica asks for what it lacks
 * and renews the lease of what it has. Replicas whose lease lapsed and that this host no longer owns
 * are dropped. A new predecessor is handed the items it now owns (join); a leaving node hands its
 * items to its successor.
 */
import { hashToId, inHalfOpen } from '../overlay/ids.js'
import type { PeerRef } from '../overlay/types.js'
import type { ChordContext, KvOps } from './context.js'
import { PENALTY } from '../overlay/penalty.js'
import { Admission } from './admission.js'
import type { ChordMessage, ProviderRecord, WireItem } from './messages.js'
import type { NodeInfo } from './node.js'
import type { VNode } from './routing.js'
import { bytesEqual, fromWire, itemId, KIND_PROVIDERS, KIND_VALUE, mergeItem, toWire, type StoredItem } from './store.js'

const BATCH = 256

function chunks<T> (items: T[], n = BATCH): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n))
  return out
}

/** Periodic rounds a vnode may skip its empty digest in a row while its neighbourhood settles. */
const EMPTY_SKIP_MAX = 3

export class Replication implements KvOps {
  /** Items being offered to their owner by rehome() (one batch at a time). */
  private rehoming = false

  private admission: Admission | undefined

  constructor (private readonly m: ChordContext) {}

  /** Made on first use: a host that never stores anything (a lookup-only ring of 10^6) skips its six Maps. */
  get adm (): Admission { return (this.admission ??= new Admission(this.m)) }

  keyRingId (key: Uint8Array): bigint { return hashToId(key, this.m.bits) }

  /** The first replicas−1 distinct remote hosts after v. */
  replicaTargets (v: VNode): NodeInfo[] {
    const out: NodeInfo[] = []
    const seen = new Set<string>([this.m.self.id])
    for (const s of v.succs) {
      if (out.length >= this.m.o.replicas - 1) break
      if (seen.has(s.peer)) continue
      seen.add(s.peer); out.push(s)
    }
    return out
  }

  /** `it` is a replica copy we should hold whose next vnode of ours clockwise is v. */
  private replicaCopyOf (v: VNode, it: StoredItem): boolean {
    if (it.deleted || this.owningVnode(it.rid) !== undefined || !this.adm.shouldHold(it.rid)) return false
    let next: VNode | undefined
    for (const x of this.m.vnodes) if (x.joined && (next === undefined || inHalfOpen(x.self.id, it.rid, next.self.id))) next = x
    return next === v
  }

  private owningVnode (rid: bigint): VNode | undefined {
    for (const v of this.m.vnodes) if (v.joined && v.owns(rid)) return v
    return undefined
  }

  replicateSoon (): void {
    if (!this.m.o.maintenance) return
    // nothing of ours to restore: the periodic round still lets replicas push back what we lack. While
    // a ring forms, replica sets change at every join, and each early round would open connections
    // to transient targets.
    if (this.m.store.size === 0) return
    this.forward = true
    this.m.env.setTimer('replsoon', Math.min(50, this.m.o.replicateMs))
  }

  /**
   * Set when the replica set changed: the next round also offers our replica copies (items we hold
   * for an owner before us and should hold) to our replica targets. A holder that saw another holder
   * vanish restores the missing copy itself, without waiting for the owner to notice (the owner may
   * learn of it only at its next stabilize, half a minute later). Receivers take only what they should
   * hold by their own view (Admission.shouldHold), asked for by `want`.
   */
  private forward = false

  /** Empty periodic digests skipped in a row, per vnode (see replicate); made on first use. */
  private emptySkips: number[] | undefined

  /** Per vnode: its predecessor and replica hosts at the last check (see watch()). */
  private holders = ''

  /**
   * The routing state changed (a peer dropped as dead, a new predecessor): if any vnode's predecessor
   * or replica hosts differ from the last check, replicate at once rather than at the next period. A
   * holder that vanished leaves a key with one copy fewer until then, and under churn the remaining
   * copies can vanish too (chord-churn lost keys in that window).
   */
  watch (): void {
    const now = this.m.vnodes.map(v => `${v.pred?.tag ?? '-'}>${this.replicaTargets(v).map(n => n.peer).join(',')}`).join(';')
    if (now === this.holders) return
    this.holders = now
    this.replicateSoon()
  }

  /**
   * Where v's range starts: its predecessor, or, while the predecessor is unknown (dropped as dead,
   * and no successor of it has notified us yet), the closest live node before v that we know. Hand-off
   * on suspicion: the keys of a dead predecessor are ours now, and their replica set lost a copy, so we
   * replicate them as the owner before the ring has fully repaired.
   */
  private rangeStart (v: VNode): bigint | undefined {
    if (v.pred !== undefined) return v.pred.id
    const known = this.m.routes.known()
    const i = known.findIndex(n => n.tag === v.self.tag)
    if (i < 0 || known.length < 2) return undefined
    const p = known[(i - 1 + known.length) % known.length]
    return p.tag === v.self.tag ? undefined : p.id
  }

  /** Replicas outlive a missing refresh by far: extra copies are cheap, a lost key is not. */
  private leaseMs (): number { return 10 * this.m.o.replicateMs }

  // ---- owner / replica side ----------------------------------------------------------------------

  /** Apply a write by `from` (this host for its own puts) at an owner or replica; returns an error string or undefined. */
  applyStore (from: PeerRef, w: WireItem, op: 'put' | 'delete' | 'provide'): string | undefined {
    if (w.value !== undefined && w.value.byteLength > this.m.o.maxValueBytes) {
      this.adm.refuse(from, 'oversized-item', PENALTY.quota)
      return `value of ${w.value.byteLength} bytes exceeds ${this.m.o.maxValueBytes}`
    }
    const now = this.m.env.now()
    const id = itemId(w.kind, w.key)
    const rid = this.keyRingId(w.key)
    let it = this.m.store.get(id)
    const verdict = this.adm.write(from, w, op, rid, it)
    if (!verdict.ok) return `refused: ${verdict.reason}`
    if (it === undefined) {
      it = fromWire({ ...w, version: 0, value: undefined, deleted: false, providers: [] }, rid, now)
    }
    if (verdict.ns !== undefined && w.value !== undefined) {
      // a validated record's version is its own (a signed seq), never a counter anyone can push
      it.version = this.adm.namespaces.version(verdict.ns, w.value)
      it.value = w.value; it.deleted = false
    } else {
      it.version++
      if (op === 'put') { it.value = w.value; it.deleted = false }
      else if (op === 'delete') { it.value = undefined; it.deleted = true; it.deletedAt = now; it.providers.clear() }
      else for (const p of w.providers) it.providers.set(p.peer, this.clampTtl(p, now))
    }
    this.m.store.set(id, it)
    this.adm.stored(id, it, from.id)
    const v = this.owningVnode(rid) ?? this.m.vnodes[0]
    const wire = toWire(it, now)
    for (const t of this.replicaTargets(v)) this.m.send(t.ref, { t: 'items', items: [wire], handoff: false })
    return undefined
  }

  onStore (from: PeerRef, msg: Extract<ChordMessage, { t: 'store' }>): void {
    const err = this.applyStore(from, msg.item, msg.op)
    this.m.send(from, err === undefined ? { t: 'stored', req: msg.req, ok: true } : { t: 'stored', req: msg.req, ok: false, error: err })
  }

  readLocal (key: Uint8Array, kind: number): StoredItem | undefined {
    const it = this.m.store.get(itemId(kind, key))
    if (it === undefined || !bytesEqual(it.key, key)) return undefined
    if (kind === KIND_VALUE) return !it.deleted && it.value !== undefined ? it : undefined
    const now = this.m.env.now()
    for (const p of it.providers.values()) if (p.expires > now) return it
    return undefined
  }

  onFetch (from: PeerRef, msg: Extract<ChordMessage, { t: 'fetch' }>): void {
    const it = this.readLocal(msg.key, msg.kind)
    this.m.send(from, { t: 'fetched', req: msg.req, key: msg.key, kind: msg.kind, found: it !== undefined, item: it === undefined ? undefined : toWire(it, this.m.env.now()) })
  }

  /** Copies pushed by `from` (replication, hand-off, leave, an answer to our want): each is admitted first. */
  onItems (from: PeerRef, items: WireItem[], _handoff: boolean): void {
    const now = this.m.env.now()
    for (let w of items) {
      if (w.value !== undefined && w.value.byteLength > this.m.o.maxValueBytes) { this.adm.refuse(from, 'oversized-item', PENALTY.quota); continue }
      const id = itemId(w.kind, w.key)
      const rid = this.keyRingId(w.key)
      const local = this.m.store.get(id)
      const verdict = this.adm.copy(from, w, rid, local)
      if (!verdict.ok) continue
      if (w.providers.length > 0) w = { ...w, providers: w.providers.map(p => this.clampTtl(p, now)) }
      if (verdict.ns !== undefined && w.value !== undefined) {
        // validated: the version comes from the record; the selector decides between two valid copies
        const version = this.adm.namespaces.version(verdict.ns, w.value)
        if (local === undefined || local.value === undefined || local.deleted) {
          const it = fromWire({ ...w, version }, rid, now)
          it.leaseUntil = now + this.leaseMs()
          this.m.store.set(id, it)
          this.adm.stored(id, it)
        } else {
          if (!bytesEqual(local.value, w.value) && verdict.ns.select(w.key, [local.value, w.value]) === 1) { local.value = w.value; local.version = version }
          local.leaseUntil = now + this.leaseMs()
          this.adm.stored(id, local)
        }
        continue
      }
      if (local === undefined) {
        const it = fromWire(w, rid, now)
        it.leaseUntil = now + this.leaseMs()
        this.m.store.set(id, it)
        this.adm.stored(id, it)
      } else {
        mergeItem(local, w, now)
        local.leaseUntil = now + this.leaseMs()
        this.adm.stored(id, local)
      }
    }
  }

  /** A provider record lives at most providerTtlMs from now, whatever its sender claims. */
  private clampTtl (p: ProviderRecord, now: number): ProviderRecord {
    const max = now + this.m.o.providerTtlMs
    return p.expires <= max ? p : { ...p, expires: max }
  }

  /** A value read back from `from`: valid for its namespace? What `get` returns for it (unwrapped). */
  readValue (from: PeerRef, key: Uint8Array, value: Uint8Array): Uint8Array | undefined {
    if (!this.adm.read(from, key, value)) return undefined
    const ns = this.adm.namespaces.of(key)
    return ns?.unwrap !== undefined ? ns.unwrap(value) : value
  }

  /** Periodic: digests to replicas, then garbage collection of lapsed replicas and old tombstones. */
  replicate (): void {
    const now = this.m.env.now()
    const forward = this.forward
    this.forward = false
    for (const v of this.m.vnodes) {
      const lo = v.joined ? this.rangeStart(v) : undefined
      if (lo === undefined) continue
      const targets = this.replicaTargets(v)
      if (targets.length === 0) continue
      const keys: Uint8Array[] = []; const kinds: number[] = []; const versions: number[] = []
      for (const it of this.m.store.values()) {
        if (!inHalfOpen(it.rid, lo, v.self.id) && !(forward && this.replicaCopyOf(v, it))) continue
        keys.push(it.key); kinds.push(it.kind); versions.push(it.version)
      }
      // at least one (possibly empty) digest: it also lets replicas push back what we lack; but not an
      // empty one while v's neighbourhood is settling: a forming ring changes replica sets at every
      // join, and each such round opened a connection to a transient target (chord-live). At most
      // EMPTY_SKIP_MAX rounds in a row, so an owner that lost its items still pulls them under churn.
      const i = v.self.vnode
      if (keys.length === 0 && this.m.ring.settling(v) && (this.emptySkips?.[i] ?? 0) < EMPTY_SKIP_MAX) {
        (this.emptySkips ??= [])[i] = (this.emptySkips[i] ?? 0) + 1
        continue
      }
      if (this.emptySkips !== undefined) this.emptySkips[i] = 0
      for (let i = 0; i === 0 || i < keys.length; i += BATCH) {
        const last = i + BATCH >= keys.length
        for (const t of targets) {
          // a request: the reply (possibly empty 'want') also tells us the replica is alive
          const req = this.m.newReq()
          this.m.request(t.ref, { t: 'digest', req, keys: keys.slice(i, i + BATCH), kinds: kinds.slice(i, i + BATCH), versions: versions.slice(i, i + BATCH), lo, hi: v.self.id, last }, (msg) => {
            if (msg.t === 'want') this.onWant(t.ref, msg)
          }, () => { this.replicaFailed(t) })
        }
      }
    }
    // garbage collection needs to know every range we own
    const decided = this.m.vnodes.every(v => v.joined && (v.pred !== undefined || v.succs.length === 0))
    const drop: string[] = []
    const strays: StoredItem[] = []
    for (const it of this.m.store.values()) {
      for (const [peer, p] of it.providers) if (p.expires <= now) it.providers.delete(peer)
      const owned = this.owningVnode(it.rid) !== undefined
      if (it.deleted && now - it.deletedAt > this.m.o.tombstoneMs) drop.push(itemId(it.kind, it.key))
      else if (it.kind === KIND_PROVIDERS && it.providers.size === 0 && !it.deleted) drop.push(itemId(it.kind, it.key))
      else if (decided && !owned && it.leaseUntil < now) strays.push(it)
    }
    for (const id of drop) { this.m.store.delete(id); this.adm.dropped(id) }
    if (strays.length > 0) this.rehome(strays)
  }


  /**
   * Items we hold, do not own, and whose lease no owner renewed: before dropping them, make sure their
   * owner has them. An owner normally gets its items by the join hand-off or from its replicas' push
   * back, but not always: after two rings merge (merge.ts), or when ownership moves past more than one
   * node, the only copies may sit on hosts that are neither the owner nor its replicas, and dropping
   * them would lose the key. So we look up the owner of one stray (picked at random) and send it a
   * digest of the strays it owns; it asks for what it lacks (want), and only when it lacks nothing are
   * our copies dropped. One batch per replication period; nothing happens while no item is stray.
   */
  private rehome (strays: StoredItem[]): void {
    if (this.rehoming) return
    this.rehoming = true
    // a random start, so one owner that never takes its batch cannot hold up the others
    const first = strays[this.m.env.rng.int(strays.length)]
    this.m.lookup({ key: first.rid, internal: true }, (err, res) => {
      if (err != null || res === undefined || !this.m.running) { this.rehoming = false; return }
      const owner = res.owner
      if (owner.peer === this.m.self.id) { this.rehoming = false; return } // ours after all (the ring moved)
      // every stray from `first` up to the owner's id clockwise is the owner's too
      const batch = strays.filter(it => inHalfOpen(it.rid, (first.rid - 1n) & this.m.mask, owner.id)).slice(0, BATCH)
      const req = this.m.newReq()
      this.m.env.stats.inc('chord:rehome')
      this.m.request(owner.ref, { t: 'digest', req, keys: batch.map(it => it.key), kinds: batch.map(it => it.kind), versions: batch.map(it => it.version), lo: owner.id, hi: owner.id, last: false }, (msg) => {
        this.rehoming = false
        if (msg.t !== 'want') return
        if (msg.keys.length > 0) { this.onWant(owner.ref, msg); return } // dropped next period, once it has them
        for (const it of batch) {
          const id = itemId(it.kind, it.key)
          if (this.m.store.get(id) === it && this.owningVnode(it.rid) === undefined && it.leaseUntil < this.m.env.now()) { this.m.store.delete(id); this.adm.dropped(id) }
        }
      }, () => { this.rehoming = false })
    })
  }

  onDigest (from: PeerRef, msg: Extract<ChordMessage, { t: 'digest' }>): void {
    const now = this.m.env.now()
    const want: Uint8Array[] = []; const kinds: number[] = []
    for (let i = 0; i < msg.keys.length; i++) {
      const local = this.m.store.get(itemId(msg.kinds[i], msg.keys[i]))
      if (local !== undefined && local.version >= msg.versions[i]) local.leaseUntil = now + this.leaseMs()
      else if (this.adm.shouldHold(this.keyRingId(msg.keys[i]))) { want.push(msg.keys[i]); kinds.push(msg.kinds[i]) }
    }
    if (want.length > 0) this.adm.solicit(from, want.map((k, i) => itemId(kinds[i], k)))
    this.m.send(from, { t: 'want', req: msg.req, keys: want, kinds })
    // the owner lacks items of its range that we hold (it took over from a failed owner): push them back
    if (!msg.last) return
    const listed = new Set<string>()
    for (let i = 0; i < msg.keys.length; i++) listed.add(itemId(msg.kinds[i], msg.keys[i]))
    const back: WireItem[] = []
    for (const it of this.m.store.values()) {
      if (!inHalfOpen(it.rid, msg.lo, msg.hi)) continue
      if (msg.keys.length < BATCH && !listed.has(itemId(it.kind, it.key))) back.push(toWire(it, now))
    }
    for (const c of chunks(back)) this.m.send(from, { t: 'items', items: c, handoff: true })
  }

  /** A replica did not answer a digest: forget it, so the next host on the successor list takes its place. */
  private replicaFailed (t: NodeInfo): void {
    this.m.env.stats.inc('chord:replica-failed')
    this.m.merge.lost(t)
    if (this.m.routes.removePeer(t.peer)) { this.m.ring.tableChanged(); this.replicateSoon() }
  }

  private onWant (from: PeerRef, msg: Extract<ChordMessage, { t: 'want' }>): void {
    if (msg.keys.length === 0) return
    const now = this.m.env.now()
    const items: WireItem[] = []
    for (let i = 0; i < msg.keys.length; i++) {
      const it = this.m.store.get(itemId(msg.kinds[i], msg.keys[i]))
      if (it !== undefined) items.push(toWire(it, now))
    }
    for (const c of chunks(items)) this.m.send(from, { t: 'items', items: c, handoff: false })
  }

  /** Join hand-off: the new predecessor n gets every item we hold that is not ours to own any more. */
  handoff (v: VNode, n: NodeInfo): void {
    const now = this.m.env.now()
    const items: WireItem[] = []
    for (const it of this.m.store.values()) {
      if (inHalfOpen(it.rid, n.id, v.self.id)) continue
      items.push(toWire(it, now))
      // no longer ours to own: keep it as a replica for a lease, not a moment
      it.leaseUntil = Math.max(it.leaseUntil, now + this.leaseMs())
    }
    for (const c of chunks(items)) this.m.send(n.ref, { t: 'items', items: c, handoff: true })
  }

  /** Items vnode v owns (all unowned-by-others items when its predecessor is unknown). */
  ownedItems (v: VNode): WireItem[] {
    const now = this.m.env.now()
    const out: WireItem[] = []
    for (const it of this.m.store.values()) {
      const mine = v.pred !== undefined ? inHalfOpen(it.rid, v.pred.id, v.self.id) : this.owningVnode(it.rid) === undefined || this.owningVnode(it.rid) === v
      if (mine) out.push(toWire(it, now))
    }
    return out
  }
}
