/**
 * The Chord machine: one per host, holding all its virtual nodes. Synchronous and deterministic; it
 * acts only through its Env. It owns the request layer and routing answers, and wires its parts —
 * lookups (lookup.ts), ring maintenance (maintenance.ts), replication (replication.ts) and the ring
 * merge (merge.ts) — which see it only through the narrow ChordContext (context.ts).
 */
import type { Env, Machine, PeerRef } from '../overlay/types.js'
import type { ChordContext, LateReply, LookupCallback, LookupRequest, OpenLookup, RouteAnswer } from './context.js'
import type { ChordEvent } from './events.js'
import { Lookups } from './lookup.js'
import { Maintenance } from './maintenance.js'
import { RingMerge } from './merge.js'
import { PENALTY, refuse } from '../overlay/penalty.js'
import type { ChordMessage } from './messages.js'
import { Replication } from './replication.js'
import { PeerHealth, RTT_SAMPLE_MIN_MS } from './rtt.js'
import { inHalfOpenFast, isDerived, makeNode, nodeHex, prefixOf, type NodeInfo } from './node.js'
import { sharedOptions, type ChordOptions, type ResolvedOptions } from './options.js'
import { maskOf, requestIdSource, unsignedRequestId } from './request-ids.js'
import { RouteTable, VNode } from './routing.js'
import { MemoryStore, type ChordStore } from './store.js'

/** A stand-in NodeInfo for a key, for interval tests. */
function makeKeyNode (key: bigint, kp: number): NodeInfo {
  return { peer: '', vnode: 0, id: key, p: kp, tag: '', ref: { id: '' } }
}

export type { RouteAnswer, LateReply } from './context.js'

interface Pending {
  to: string
  /** When the request left (for the round-trip estimate). */
  at: number
  onReply: (msg: ChordMessage) => void
  onTimeout: () => void
  late?: LateReply
}

export class ChordMachine implements Machine<ChordMessage>, ChordContext {
  o: ResolvedOptions
  readonly mask: bigint
  readonly vnodes: VNode[]
  readonly routes: RouteTable
  readonly store: ChordStore
  /** Open lookups (for abort and the overall timeout). */
  get lookups (): Map<number, OpenLookup> { return (this.lookupTable ??= new Map()) }
  /** Made on first use, as `pending` (empty Maps are ~200 bytes each per host at 10^6 simulated hosts). */
  private lookupTable: Map<number, OpenLookup> | undefined
  running = false
  readonly ring: Maintenance
  readonly kv: Replication
  /** Peers dropped as dead, probed by the ring-merge check. */
  readonly merge: RingMerge
  private readonly lk: Lookups
  /** Live and signed hosts' request-id source; unsigned simulated ones hash (id, reqCount) instead (see newReq). */
  private readonly reqIds: (() => number) | undefined
  private reqCount = 0
  private lookupSeq = 0
  private get pending (): Map<number, Pending> { return (this.pendingTable ??= new Map()) }
  /** Forget an answered or expired request; the table goes when it is empty (most hosts are idle). */
  private unpend (req: number): boolean {
    const t = this.pendingTable
    if (t === undefined || !t.delete(req)) return false
    if (t.size === 0) this.pendingTable = undefined
    return true
  }
  private pendingTable: Map<number, Pending> | undefined

  constructor (readonly env: Env<ChordMessage, ChordEvent>, options: ChordOptions = {}) {
    this.o = sharedOptions(options)
    this.mask = maskOf(this.o.bits)
    this.vnodes = []
    // our own vnodes share env.self as their ref, so the addresses they advertise stay current
    for (let i = 0; i < this.o.vnodes; i++) this.vnodes.push(new VNode(makeNode(env.self.id, i, this.o.bits, undefined, undefined, env.self), this.o.bits))
    this.routes = new RouteTable(env.self.id, this.vnodes)
    this.store = this.o.store?.() ?? new MemoryStore()
    this.reqIds = requestIdSource(env.secret, env.signer)
    this.ring = new Maintenance(this)
    this.kv = new Replication(this)
    this.merge = new RingMerge(this)
    this.lk = new Lookups(this)
  }

  get self (): PeerRef { return this.env.self }
  get bits (): number { return this.o.bits }

  start (): void {
    this.running = true
    this.ring.startMaintenance()
  }

  /**
   * (Re)join the ring through `via`, e.g. a host started alone that is told of a peer later. Routing
   * state is reset; stored items are kept (and handed on by the usual hand-off).
   */
  join (via: PeerRef): void {
    this.o = { ...this.o, bootstrap: [via] }
    for (const v of this.vnodes) {
      v.joined = false; v.pred = undefined; v.succs = []; v.fingers.fill(undefined); v.nextFinger = -1; v.joinAttempts = 0
    }
    this.routes.invalidate()
    this.ring.joinAll()
  }

  stop (): void {
    if (!this.running) return
    this.ring.leaveGracefully()
    this.running = false
    for (const [req] of this.pendingTable ?? []) this.env.clearTimer(`rpc:${req}`)
    this.pendingTable = undefined
    for (const l of [...this.lookups.values()]) l.cancel()
  }

  // ---- requests --------------------------------------------------------------------------------

  /**
   * A fresh request id, unguessable by other peers (a reply is accepted only from the peer asked and
   * for its id, a recursive lookup's answer for its id alone, so a guessed id would let a third party
   * answer). Live hosts key SHA-256 with `env.secret` (CSPRNG, with or without an Ed25519 key);
   * simulated signed hosts with a secret derived from their signature; unsigned simulated hosts hash
   * the node id and a counter (no closure per host: ~250 bytes at 10^6 hosts; distinct for 2^32
   * requests; predictable, which a lab does not mind).
   */
  newReq (): number {
    let r: number
    do {
      r = this.reqIds !== undefined ? this.reqIds() : unsignedRequestId(this.env.self.id, ++this.reqCount)
    } while (r === 0 || this.pendingTable?.has(r) === true)
    return r
  }

  newLookupId (): number { return ++this.lookupSeq }

  lookupDone (lid: number): void {
    const t = this.lookupTable
    if (t !== undefined && t.delete(lid) && t.size === 0) this.lookupTable = undefined
  }

  /** Send a request and wait for the reply with the same req from the same peer, or time out. */
  request (to: PeerRef, msg: ChordMessage & { req: number }, onReply: (m: ChordMessage) => void, onTimeout: () => void, timeoutMs?: number, late?: LateReply): void {
    this.pending.set(msg.req, { to: to.id, at: this.env.now(), onReply, onTimeout, late })
    this.env.setTimer(`rpc:${msg.req}`, timeoutMs ?? this.rpcTimeout())
    this.env.send(to, msg)
  }

  /** Round trips and suspects (rtt.ts); made on the first slow round trip or the first timeout. */
  private health: PeerHealth | undefined

  /** The timeout of the next request: rpcTimeoutMs, or more while this host measures slow round trips. */
  rpcTimeout (): number { return this.health?.timeout() ?? this.o.rpcTimeoutMs }

  /** Smoothed round trip this host measures (ms); -1 while every round trip has been fast. */
  get srtt (): number { return this.health?.smoothed ?? -1 }

  private observeRtt (ms: number): void {
    if (this.health === undefined && ms < RTT_SAMPLE_MIN_MS) return
    ;(this.health ??= new PeerHealth(this.o.rpcTimeoutMs)).observe(ms)
  }

  /** A request to `peer` timed out: true when that makes it dead (rtt.ts: suspect first). */
  missed (peer: string): boolean {
    return (this.health ??= new PeerHealth(this.o.rpcTimeoutMs)).missed(peer)
  }

  suspect (peer: string): boolean { return this.health?.suspect(peer) === true }

  cancelRequest (req: number): void {
    if (this.unpend(req)) this.env.clearTimer(`rpc:${req}`)
  }

  send (to: PeerRef, msg: ChordMessage): void { this.env.send(to, msg) }

  // ---- routing ---------------------------------------------------------------------------------

  /**
   * What this host knows about `key`: the owner's successor list (done), or the closest preceding
   * remote nodes, best first. Ownership by one of our vnodes wins; otherwise the closest known node
   * at or before the key is found by binary search over the host's merged table.
   */
  route (key: bigint, kp = prefixOf(key, this.o.bits), exclude?: string[]): RouteAnswer {
    const a = this.route0(key, kp)
    if (exclude === undefined || exclude.length === 0) return a
    const drop = new Set(exclude)
    if (a.done) return { done: true, nodes: a.nodes.filter(x => !drop.has(x.peer)) }
    // skip dead peers: the closest live known node decides, as if the dead ones were not in our tables
    const out: NodeInfo[] = []
    const n = this.routes.size
    const idx = this.routes.closestIndex(kp, key)
    for (let j = 0; j < n && out.length < this.o.alternates; j++) {
      const c = this.routes.at((idx - j + n) % n)
      if (drop.has(c.peer)) continue
      if (c.peer === this.env.self.id) {
        const own = this.routes.vnodeOf(c)
        if (out.length === 0 && own !== undefined) return { done: true, nodes: (own.succs.length > 0 ? own.succs : [own.self]).filter(x => !drop.has(x.peer)) }
        continue
      }
      out.push(c)
    }
    return { done: false, nodes: out }
  }

  /**
   * A confirmation request: the asker was told by the key's predecessor that we are its successor.
   * A vnode that has no predecessor yet (it just joined, or its predecessor failed) accepts when the
   * key falls before it and after no node it knows of; otherwise this is an ordinary routing answer.
   */
  confirmOwner (key: bigint, kp = prefixOf(key, this.o.bits), exclude?: string[]): RouteAnswer {
    const a = this.route(key, kp, exclude)
    if (a.done) return a
    // our vnode that comes first after the key
    let v: VNode | undefined
    let best = 0n
    for (const x of this.vnodes) {
      if (!x.joined) continue
      const d = (x.self.id - key) & this.mask
      if (v === undefined || d < best) { v = x; best = d }
    }
    if (v === undefined) return a
    const pred = v.pred
    // no (live) predecessor known yet: nothing we know of sits between the key and us
    if (pred === undefined || exclude?.includes(pred.peer) === true) return { done: true, nodes: v.ownerList() }
    // a newer node sits between the key and us: it is the better owner candidate
    if (pred.id === key || inHalfOpenFast(prefixOf(pred.id, this.o.bits), pred.id, makeKeyNode(key, kp), v.self)) return { done: true, nodes: [pred, ...v.ownerList()] }
    return a
  }

  private route0 (key: bigint, kp: number): RouteAnswer {
    const fast = this.routes.routeCompact(key, kp, this.o.alternates)
    if (fast !== undefined) return fast
    for (const v of this.vnodes) {
      if (v.joined && v.pred !== undefined && inHalfOpenFast(kp, key, v.pred, v.self)) return { done: true, nodes: v.ownerList() }
    }
    const routes = this.routes
    const idx = routes.closestIndex(kp, key)
    if (idx < 0) return { done: false, nodes: [] }
    const x = routes.at(idx)
    const own = routes.vnodeOf(x)
    if (own !== undefined) {
      if (x.id === key) return { done: true, nodes: own.ownerList() }
      return { done: true, nodes: own.succs.length > 0 ? own.succs : [own.self] }
    }
    const out: NodeInfo[] = []
    const n = routes.size
    for (let j = 0; j < n && out.length < this.o.alternates; j++) {
      const c = routes.at((idx - j + n) % n)
      if (!routes.isOwn(c)) out.push(c)
    }
    return { done: false, nodes: out }
  }

  lookup (req: LookupRequest, cb: LookupCallback): () => void {
    return this.lk.start(req, cb)
  }

  /** Forget a peer everywhere after it failed to answer. */
  peerFailed (peer: string): void {
    if (!this.o.repairOnTimeout) return
    this.env.stats.inc('chord:peer-dropped')
    this.merge.lost(this.routes.known().find(n => n.peer === peer))
    if (this.routes.removePeer(peer)) this.ring.tableChanged()
  }

  // ---- input -----------------------------------------------------------------------------------

  onTimer (key: string): void {
    if (key.startsWith('rpc:')) {
      const req = Number(key.slice(4))
      const p = this.pendingTable?.get(req)
      if (p === undefined) return
      this.unpend(req)
      p.onTimeout()
      if (!this.running) return
      // a late reply is still awaited for a while: it proves the peer alive and measures the link
      // (never penalised as unsolicited); the caller's own late handler, if any, gets it
      const late = p.late
      this.pending.set(req, { to: p.to, at: p.at, onReply: late?.onLate ?? lateReply, onTimeout: late?.onGiveUp ?? noop })
      this.env.setTimer(key, late?.graceMs ?? this.rpcTimeout())
      return
    }
    if (key.startsWith('lookup:')) { this.lk.timedOut(Number(key.slice(7))); return }
    this.ring.onMaintenanceTimer(key)
  }

  onPeerUnreachable (peer: PeerRef): void {
    // fail pending requests to it now rather than at their timeouts
    for (const [req, p] of [...(this.pendingTable ?? [])]) {
      if (p.to !== peer.id) continue
      this.unpend(req)
      this.env.clearTimer(`rpc:${req}`)
      p.onTimeout()
    }
    this.peerFailed(peer.id)
  }

  /** Refuse a message that claims an id not derived from the sender's peer id. */
  private claims (from: PeerRef, n: NodeInfo): boolean {
    if (n.peer === from.id && this.derived(n)) return true
    this.badNode(from, n)
    return false
  }

  private derived (n: NodeInfo): boolean { return isDerived(n, this.o.bits, this.o.maxVnodes) }

  /** A node whose id is not bound to its peer id, or whose vnode index is beyond maxVnodes. */
  badNode (from: PeerRef | undefined, n?: NodeInfo): void {
    const name = n !== undefined && (n.vnode < 0 || n.vnode >= this.o.maxVnodes) ? 'chord:vnode-beyond-max' : 'chord:bad-node-id'
    if (from !== undefined) refuse(this.env, from, name, PENALTY.invalid)
    else this.env.stats.inc(name)
    this.env.stats.dropped(name.slice(6))
  }

  /** Third-party node lists (from `from`): keep only entries whose id is derived from their peer id. */
  valid (list: NodeInfo[], from?: PeerRef): NodeInfo[] {
    for (const n of list) {
      if (!this.derived(n)) { this.badNode(from, n); return list.filter(x => this.derived(x)) }
    }
    return list
  }

  /** A peer opened a connection to us (live runtime): if we had lost it, a partition may have healed. */
  onPeerConnected (peer: PeerRef): void {
    if (this.running) this.merge.peerSeen(peer.id)
  }

  onMessage (from: PeerRef, msg: ChordMessage): void {
    if (!this.running) return
    if (this.merge.anyDead) this.merge.peerSeen(from.id)
    this.health?.heard(from.id)
    this.ring.heard(from.id)
    switch (msg.t) {
      case 'find': {
        const a = msg.confirm === true ? this.confirmOwner(msg.key, msg.kp, msg.exclude) : this.route(msg.key, msg.kp, msg.exclude)
        // answered as the key's predecessor: the asker may be a node joining just after us (checked by stabilizing soon)
        if (a.done && msg.confirm !== true) this.ring.keyQueried(msg.key, from.id)
        const after = msg.succ === true && !a.done ? this.routes.after(msg.key, msg.kp ?? prefixOf(msg.key, this.o.bits)) : undefined
        this.send(from, { t: 'next', req: msg.req, done: a.done, nodes: after === undefined || a.nodes.includes(after) ? a.nodes : [...a.nodes, after] })
        return
      }
      case 'rfind': this.lk.onRecursiveFind(msg); return
      case 'get_pred': {
        const v = this.vnodes[msg.vnode]
        if (v === undefined || !v.joined) this.send(from, { t: 'pred', req: msg.req, ok: false, nodes: [] })
        else this.send(from, { t: 'pred', req: msg.req, ok: true, pred: v.pred, nodes: v.succs })
        return
      }
      case 'notify': if (this.claims(from, msg.node)) this.ring.onNotify(msg.vnode, msg.node); return
      case 'ping': this.send(from, { t: 'pong', req: msg.req }); return
      case 'leave': {
        if (!this.claims(from, msg.node)) return
        const pred = msg.pred !== undefined && !this.derived(msg.pred) ? (this.badNode(from, msg.pred), undefined) : msg.pred
        this.ring.onLeave(msg.node, pred, this.valid(msg.nodes, from), msg.items)
        return
      }
      case 'store': this.kv.onStore(from, msg); return
      case 'fetch': this.kv.onFetch(from, msg); return
      case 'digest': this.kv.onDigest(from, msg); return
      case 'items': this.kv.onItems(from, msg.items, msg.handoff); return
      case 'rdone': this.lk.onRecursiveDone(from, msg); return
      default: this.onReply(from, msg)
    }
  }

  private onReply (from: PeerRef, msg: ChordMessage): void {
    const req = (msg as { req?: number }).req
    const p = req === undefined ? undefined : this.pendingTable?.get(req)
    if (p === undefined || p.to !== from.id) { refuse(this.env, from, 'chord:unsolicited', PENALTY.quota); return }
    this.unpend(req as number)
    this.env.clearTimer(`rpc:${req as number}`)
    this.observeRtt(this.env.now() - p.at)
    if (p.onReply === lateReply) { this.env.stats.inc('chord:late-reply'); return }
    if (msg.t === 'next') msg = withNodes(msg, this.valid(msg.nodes, from))
    else if (msg.t === 'pred') {
      const pred = msg.pred !== undefined && !this.derived(msg.pred) ? (this.badNode(from, msg.pred), undefined) : msg.pred
      msg = { ...msg, pred, nodes: this.valid(msg.nodes, from) }
    }
    p.onReply(msg)
  }

  // ---- introspection (tests, benchmarks, CLI) ----------------------------------------------------

  /** Routing entries on this host (distinct fingers + successor lists + predecessors). */
  routingEntries (): number { return this.routes.entryCount() }

  hex (n: NodeInfo): string { return nodeHex(n, this.o.bits) }
}

/** The reply with its node list checked: the same object when nothing was dropped (no copy per hop). */
function withNodes<T extends { nodes: NodeInfo[] }> (msg: T, nodes: NodeInfo[]): T { return nodes === msg.nodes ? msg : { ...msg, nodes } }
/** The reply handler of a request that timed out and has no late handler of its own. */
function lateReply (): void {}
function noop (): void {}
