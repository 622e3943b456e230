/**
 * Ring maintenance: join, stabilize, notify, fix_fingers, check_predecessor and graceful leave
 * (Stoica et al., Fig. 6 / ToN Fig. 7), per virtual node, on jittered timers. Requests to a vnode
 * on this same host are answered locally without a message.
 */
import { inHalfOpen, inOpen } from '../overlay/ids.js'
import type { ChordContext, RingOps } from './context.js'
import type { WireItem } from './messages.js'
import { compareNodes, deriveNodeId, type NodeInfo } from './node.js'
import type { VNode } from './routing.js'
import { StabilizePacing } from './pacing.js'
import { PredecessorCheck } from './pred-check.js'

function bitLength (x: bigint): number { return x === 0n ? 0 : x.toString(2).length }

const LEAVE_BATCH = 256
const DEAD_MAX = 256

export class Maintenance implements RingOps {
  constructor (private readonly m: ChordContext) {}

  private jitter (period: number): number {
    return period * (0.5 + this.m.env.rng.next())
  }

  /** Adaptive stabilization and fix_fingers deferral (pacing.ts); made on first use (oracle rings never need it). */
  private _pacing: StabilizePacing | undefined
  private get pacing (): StabilizePacing { return (this._pacing ??= new StabilizePacing(this.m, (p) => this.jitter(p))) }

  private hurry (v: VNode): void { this.pacing.hurry(v) }
  private nextPace (i: number): number { return this.pacing.nextPace(i) }
  private deferFix (i: number): boolean { return this.pacing.deferFix(i) }

  /**
   * A lookup step from `asker` for `key` was answered here as the key's predecessor. When the key is
   * one of the asker's own ring ids (a join lookup: ids are bound to peer ids, so this cannot be
   * faked for another peer), a node is joining just after one of our vnodes: stabilize it soon.
   * Other lookups ending here (fix_fingers, applications) change nothing.
   */
  keyQueried (key: bigint, asker: string): void {
    // nothing to hurry without adaptive maintenance (oracle-built rings): skip the id derivation
    if (!this.m.o.maintenance || this.m.o.stabilizeMinMs <= 0) return
    for (const v of this.m.vnodes) {
      if (!v.joined || v.succs.length === 0 || !inOpen(key, v.self.id, v.successor.id)) continue
      if (this.isOwnId(asker, key)) this.hurry(v)
    }
  }

  settling (v: VNode): boolean { return this._pacing?.settling(v.self.vnode) === true }

  /** check_predecessor (pred-check.ts); made on first use, as its state (an oracle ring never needs it). */
  private _preds: PredecessorCheck | undefined
  private get preds (): PredecessorCheck { return (this._preds ??= new PredecessorCheck(this.m)) }

  /** A message came from `peer`: when it is a vnode's predecessor, that vnode heard from it. */
  heard (peer: string): void {
    const vs = this.m.vnodes
    for (let i = 0; i < vs.length; i++) if (vs[i].pred?.peer === peer) this.preds.heard(i)
  }

  /** Is `key` the id of one of `peer`'s vnodes (index below our own vnode count, the usual configuration)? */
  private isOwnId (peer: string, key: bigint): boolean {
    for (let i = 0; i < this.m.vnodes.length; i++) if (deriveNodeId(peer, i, this.m.bits) === key) return true
    return false
  }

  startMaintenance (): void {
    if (this.m.o.bootstrap.length === 0) this.firstHost()
    else for (const v of this.m.vnodes) this.join(v)
    if (!this.m.o.maintenance) return
    for (let i = 0; i < this.m.vnodes.length; i++) {
      this.pacing.reset(i)
      this.m.env.setTimer(`stab:${i}`, this.jitter(this.m.o.stabilizeMs))
      this.m.env.setTimer(`fix:${i}`, this.jitter(this.m.o.fixFingersMs))
    }
    this.m.env.setTimer('chk', this.jitter(this.m.o.checkPredecessorMs))
    this.m.env.setTimer('repl', this.jitter(this.m.o.replicateMs))
    if (this.m.o.mergeCheckMs > 0) this.m.env.setTimer('merge', this.jitter(this.m.o.mergeCheckMs))
  }

  /** A new ring: this host's vnodes, sorted, are each other's successors and predecessors. */
  private firstHost (): void {
    const sorted = [...this.m.vnodes].sort((a, b) => compareNodes(a.self, b.self))
    const n = sorted.length
    for (let i = 0; i < n; i++) {
      const v = sorted[i]
      v.joined = true
      if (n === 1) continue
      v.pred = sorted[(i - 1 + n) % n].self
      v.succs = []
      for (let j = 1; j < n && v.succs.length < this.m.o.successors; j++) v.succs.push(sorted[(i + j) % n].self)
    }
    this.m.routes.invalidate()
  }

  joinAll (): void {
    for (const v of this.m.vnodes) this.join(v)
  }

  private join (v: VNode): void {
    const b = this.m.o.bootstrap
    const via = b[v.joinAttempts++ % b.length]
    this.m.lookup({ key: v.self.id, via, internal: true, ...(this.m.o.recursiveJoin ? { mode: 'recursive' } : {}) }, (err, res) => {
      if (!this.m.running) return
      if (err != null || res === undefined) {
        this.m.env.log('vnode %d join through %s failed: %s', v.self.vnode, via.id, err?.message)
        this.m.env.setTimer(`join:${v.self.vnode}`, this.jitter(this.m.o.rpcTimeoutMs))
        return
      }
      v.joined = true
      this.setSuccs(v, res.owners)
      this.m.env.emit({ type: 'chord:joined', vnode: v.self.vnode, id: this.m.hex(v.self), successor: this.m.hex(v.successor) })
      this.hurry(v)
      this.stabilize(v)
      // fingers start from the nodes the join lookup met (no lookup round: every such lookup opens
      // connections, the main cost of forming a live ring); fix_fingers then checks them one by one
      this.seedFingers(v, [...res.path, ...res.owners])
    })
  }

  /**
   * Candidate fingers from nodes we heard of: finger i = the first seen node at or after start(i).
   * Only candidates (an unseen node may sit closer to a start): routing through a real node that is not
   * the exact finger only costs a hop, never a wrong owner (owners come from successor lists), and
   * every node listed here is bound to its peer id; fix_fingers replaces each in turn.
   */
  private seedFingers (v: VNode, seen: NodeInfo[]): void {
    const mask = this.m.mask
    const ds = seen.filter(n => n.peer !== this.m.self.id).map(n => ({ n, d: (n.id - v.self.id) & mask }))
    if (ds.length === 0) return
    ds.sort((a, b) => a.d < b.d ? -1 : a.d > b.d ? 1 : 0)
    const i0 = bitLength((v.successor.id - v.self.id) & mask)
    let k = 0
    for (let j = i0; j < this.m.bits; j++) {
      const off = 1n << BigInt(j)
      while (k < ds.length && ds[k].d < off) k++
      if (k >= ds.length) break
      v.fingers[j] = ds[k].n
    }
    v.nextFinger = i0
    this.m.routes.invalidate()
  }

  onMaintenanceTimer (key: string): void {
    if (!this.m.running) return
    const colon = key.indexOf(':')
    const kind = colon < 0 ? key : key.slice(0, colon)
    const v = colon < 0 ? undefined : this.m.vnodes[Number(key.slice(colon + 1))]
    switch (kind) {
      case 'stab': if (v !== undefined) { this.stabilize(v); this.m.env.setTimer(key, this.jitter(this.nextPace(v.self.vnode))) } return
      case 'fix': if (v !== undefined) { if (!v.fastFix && !this.deferFix(v.self.vnode)) this.fixFinger(v); this.m.env.setTimer(key, this.jitter(this.pacing.fixPeriod(v.self.vnode))) } return
      case 'join': if (v !== undefined && !v.joined) this.join(v); return
      case 'chk': this.preds.checkAll(); this.m.env.setTimer(key, this.jitter(this.m.o.checkPredecessorMs)); return
      case 'repl': this.m.kv.replicate(); this.m.env.setTimer(key, this.jitter(this.m.o.replicateMs)); return
      case 'replsoon': this.m.kv.replicate(); return
      case 'merge': this.m.merge.check(); this.m.env.setTimer(key, this.jitter(this.m.o.mergeCheckMs)); return
    }
  }

  /** Deduplicate, stop at ourselves, cut to r. */
  private cleanList (v: VNode, list: Array<NodeInfo | undefined>): NodeInfo[] {
    const out: NodeInfo[] = []
    const seen = new Set<string>()
    for (const n of list) {
      if (n === undefined) continue
      if (n.tag === v.self.tag) break
      if (seen.has(n.tag)) continue
      seen.add(n.tag); out.push(n)
      if (out.length >= this.m.o.successors) break
    }
    return out
  }

  private replicaHosts (v: VNode): string {
    return this.m.kv.replicaTargets(v).map(n => n.peer).join(',')
  }

  setSuccs (v: VNode, list: Array<NodeInfo | undefined>): void {
    const next = this.cleanList(v, list)
    const oldHead = v.succs[0]?.tag
    const oldReplicas = this.replicaHosts(v)
    if (next.length !== v.succs.length || next.some((n, i) => n.tag !== v.succs[i].tag)) this.hurry(v)
    v.succs = next
    this.m.routes.invalidate()
    if (next[0]?.tag !== oldHead) this.m.env.emit({ type: 'chord:successor', vnode: v.self.vnode, successor: next[0] === undefined ? undefined : this.m.hex(next[0]) })
    if (this.replicaHosts(v) !== oldReplicas) this.m.kv.replicateSoon()
  }

  /** stabilize(): ask the successor for its predecessor; adopt it if it sits between; notify. */
  stabilize (v: VNode): void {
    if (!v.joined) return
    const succ = v.succs[0]
    if (succ === undefined) {
      // alone: a predecessor that notified us is also our successor (ring of two)
      if (v.pred !== undefined && v.pred.tag !== v.self.tag) { this.setSuccs(v, [v.pred]); this.notify(v, v.pred) }
      return
    }
    const handle = (ok: boolean, pred: NodeInfo | undefined, nodes: NodeInfo[]): void => {
      if (!ok) { this.dropSuccessor(v, succ); return }
      if (v.succs[0]?.tag !== succ.tag) return // changed meanwhile
      // a predecessor we just dropped as dead is not adopted back: we notify succ, which then probes it
      const between = pred !== undefined && pred.tag !== v.self.tag && inOpen(pred.id, v.self.id, succ.id) && !this.recentlyDead(pred.tag)
      this.setSuccs(v, between ? [pred, succ, ...nodes] : [succ, ...nodes])
      // a successor that already names us its predecessor needs no notify (a third of a quiet ring's
      // stabilization traffic; on a slow link every message queues behind the others)
      if (v.succs[0] !== undefined && !(v.succs[0].tag === succ.tag && pred?.tag === v.self.tag)) this.notify(v, v.succs[0])
      // a closer successor: ask it at once rather than next round, so a node that joined through a
      // stale view walks to its place at one round trip per step (each step is strictly closer)
      if (between && this.m.o.stabilizeMinMs > 0) this.stabilize(v)
    }
    const local = this.m.routes.vnodeOf(succ)
    if (local !== undefined) { handle(local.joined, local.pred, local.succs); return }
    // one round in flight per vnode and successor: the fast period never outruns the link (its reply
    // acts for the rounds skipped meanwhile), so a slow or queued link is not mistaken for a dead peer
    const i = v.self.vnode
    if (this.asking[i] === succ.tag) return
    this.asking[i] = succ.tag
    const req = this.m.newReq()
    this.m.request(succ.ref, { t: 'get_pred', req, vnode: succ.vnode }, (msg) => {
      if (this.asking[i] === succ.tag) this.asking[i] = undefined
      if (msg.t === 'pred') handle(msg.ok, msg.pred, msg.nodes)
    }, () => {
      if (this.asking[i] === succ.tag) this.asking[i] = undefined
      // one timeout is suspicion (rtt.ts): ask again at once; dropped when it stays silent
      if (!this.m.missed(succ.peer)) { if (this.m.running) this.stabilize(v); return }
      this.dropSuccessor(v, succ); this.m.peerFailed(succ.peer)
    })
  }

  /** Per vnode: the successor a get_pred is outstanding to (see stabilize). */
  private readonly asking: Array<string | undefined> = []

  /** The successor did not answer (or lost its vnode): drop it and try the next one at once. */
  private dropSuccessor (v: VNode, succ: NodeInfo): void {
    if (!this.m.running) return
    this.m.merge.lost(succ)
    this.markDead(succ.tag)
    this.m.routes.removeNode(succ.tag)
    this.setSuccs(v, v.succs.filter(s => s.tag !== succ.tag))
    this.refill(v)
    if (v.succs.length > 0) this.stabilize(v)
  }

  /** Successors dropped as dead, until when they are not adopted back from a stale predecessor pointer. */
  private get dead (): Map<string, number> { return (this.deadMap ??= new Map()) }
  /** Made on first use (an empty Map is ~200 bytes per host). */
  private deadMap: Map<string, number> | undefined

  private markDead (tag: string): void {
    const now = this.m.env.now()
    if (this.dead.size >= DEAD_MAX) for (const [t, until] of this.dead) if (until <= now || this.dead.size >= DEAD_MAX) this.dead.delete(t)
    this.dead.set(tag, now + 2 * this.m.o.checkPredecessorMs)
  }

  private recentlyDead (tag: string): boolean {
    const until = this.dead.get(tag)
    return until !== undefined && until > this.m.env.now()
  }

  /** An empty successor list is refilled with the closest known node clockwise (if any). */
  private refill (v: VNode): void {
    if (v.succs.length > 0) return
    const known = this.m.routes.known()
    const i = known.findIndex(n => n.tag === v.self.tag)
    if (i < 0 || known.length < 2) return
    this.setSuccs(v, [known[(i + 1) % known.length]])
  }

  tableChanged (): void {
    this.m.routes.invalidate()
    for (const v of this.m.vnodes) if (v.joined) this.refill(v)
    this.m.kv.watch()
  }

  notify (v: VNode, target: NodeInfo): void {
    if (target.peer === this.m.self.id) { this.onNotify(target.vnode, v.self); return }
    this.m.send(target.ref, { t: 'notify', vnode: target.vnode, node: v.self })
  }

  /** notify(n'): n' might be our predecessor. A new predecessor gets the items it now owns. */
  onNotify (vnode: number, n: NodeInfo): void {
    const v = this.m.vnodes[vnode]
    if (v === undefined || !v.joined || n.tag === v.self.tag) return
    if (v.pred !== undefined && v.pred.tag !== n.tag && !inOpen(n.id, v.pred.id, v.self.id)) {
      // a node before our predecessor thinks it precedes us: its successor (our predecessor) may be
      // dead. Probe it now rather than at the next check_predecessor; if silent, n takes its place.
      if (v.pred.peer !== this.m.self.id) this.preds.probe(v.pred, () => { if (v.pred === undefined) this.onNotify(vnode, n) })
      return
    }
    if (v.pred?.tag === n.tag) return
    v.pred = n
    // its notify is the latest word from it (what an earlier predecessor's host said does not count)
    this._preds?.changed(vnode, n.peer !== this.m.self.id)
    this.hurry(v)
    this.m.routes.invalidate()
    this.m.env.emit({ type: 'chord:predecessor', vnode, predecessor: this.m.hex(n) })
    if (v.succs.length === 0) this.setSuccs(v, [n])
    if (n.peer !== this.m.self.id) this.m.kv.handoff(v, n)
    this.m.kv.watch()
  }

  /**
   * fix_fingers(): refresh one finger by a lookup of its start, going up from the first finger that is
   * not simply the successor. A result also fills the following fingers whose starts fall before it
   * (no node can sit between), so a round costs about log2 N lookups, not this.m.
   */
  fixFinger (v: VNode): void {
    if (!v.joined || v.succs.length === 0) { v.fastFix = false; return }
    const bits = this.m.bits
    const i0 = bitLength((v.successor.id - v.self.id) & this.m.mask)
    if (v.nextFinger < i0 || v.nextFinger >= bits) {
      for (let j = 0; j < Math.min(i0, bits); j++) v.fingers[j] = undefined
      v.nextFinger = i0
    }
    if (v.nextFinger >= bits) { v.fastFix = false; return }
    const i = v.nextFinger
    const start = v.start(i, this.m.mask)
    this.m.lookup({ key: start, internal: true }, (err, res) => {
      if (!this.m.running) return
      if (err != null || res === undefined) { v.fastFix = false; return }
      const o = res.owner
      let j = i
      this.pacing.fingerResult(v.self.vnode, (v.fingers[i] ?? v.successor).tag !== o.tag)
      if (o.tag === v.self.tag) {
        for (; j < bits; j++) v.fingers[j] = undefined
      } else {
        v.fingers[j++] = o
        while (j < bits && inHalfOpen(v.start(j, this.m.mask), start, o.id)) v.fingers[j++] = o
      }
      v.nextFinger = j >= bits ? -1 : j
      this.m.routes.invalidate()
      if (v.fastFix) {
        if (v.nextFinger < 0) v.fastFix = false
        else this.fixFinger(v)
      }
    })
  }

  /** Graceful leave: each vnode hands its items and pointers to its successor and predecessor. */
  leaveGracefully (): void {
    for (const v of this.m.vnodes) {
      if (!v.joined) continue
      const succ = v.succs.find(s => s.peer !== this.m.self.id)
      const items = this.m.kv.ownedItems(v)
      if (succ !== undefined) {
        this.m.send(succ.ref, { t: 'leave', node: v.self, pred: v.pred, nodes: v.succs, items: items.slice(0, LEAVE_BATCH) })
        for (let i = LEAVE_BATCH; i < items.length; i += LEAVE_BATCH) this.m.send(succ.ref, { t: 'items', items: items.slice(i, i + LEAVE_BATCH), handoff: true })
      }
      if (v.pred !== undefined && v.pred.peer !== this.m.self.id) this.m.send(v.pred.ref, { t: 'leave', node: v.self, pred: v.pred, nodes: v.succs, items: [] })
    }
  }

  onLeave (n: NodeInfo, pred: NodeInfo | undefined, nodes: NodeInfo[], items: WireItem[]): void {
    for (const v of this.m.vnodes) {
      if (!v.joined) continue
      if (v.pred?.tag === n.tag) {
        v.pred = pred !== undefined && pred.tag !== v.self.tag && pred.tag !== n.tag ? pred : undefined
        this._preds?.changed(v.self.vnode, false)
        this.m.env.emit({ type: 'chord:predecessor', vnode: v.self.vnode, predecessor: v.pred === undefined ? undefined : this.m.hex(v.pred) })
      }
      const i = v.succs.findIndex(s => s.tag === n.tag)
      if (i >= 0) {
        const rest = v.succs.filter(s => s.tag !== n.tag)
        this.setSuccs(v, i === 0 ? [...nodes.filter(s => s.tag !== n.tag), ...rest] : rest)
      }
    }
    this.m.routes.removeNode(n.tag)
    if (items.length > 0) this.m.kv.onItems(n.ref, items, true)
    this.tableChanged()
    this.m.kv.replicateSoon()
  }
}
