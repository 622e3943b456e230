/**
 * Lookups over d disjoint paths that resist lying routers (S/Kademlia §4.4; Castro et al. 2002).
 *
 * The initiator splits its closest known predecessors of the key among d paths; every host is used by
 * at most one path, so an adversary can spoil only the path it sits on. Each path is an iterative walk
 * that asks its closest unasked predecessor of the key and also asks for the first node the answerer
 * knows *after* the key (`find` with `succ`). Nothing a router says ends a walk by itself: an answer
 * "done, the owner is X" is one more claim. The owner is the node closest after the key among every
 * node seen on any path, and it must prove itself: asked directly, it must answer that it owns the key
 * (replies are accepted only from the peer asked, for an unguessable request id). Since node ids are
 * bound to peer ids (and at most maxVnodes per peer), a colluder cannot appear between the key and the
 * true owner: a lie can only name a farther node, and loses as soon as any honest answer names the
 * true owner or a node before it.
 *
 * Each walk keeps going after a "done" answer while it still holds unasked candidates, up to a budget
 * of `budget` requests per path: honest routers left behind a lying one still lead towards the key.
 * Cost: up to d × budget requests (reported as messages); hops = the longest path's answered requests.
 */
import { UnreachableError } from '../overlay/errors.js'
import type { ChordContext, LookupCallback, LookupOutcome, LookupRequest } from './context.js'
import { prefixOf, type NodeInfo } from './node.js'

interface Path {
  cands: NodeInfo[]
  asked: number
  answered: number
  busy: boolean
  done: boolean
  nodes: NodeInfo[]
}

/** Requests per path at most. */
export const PATH_BUDGET = 16

export class DisjointLookup {
  private readonly paths: Path[] = []
  /** host → index of the path it belongs to */
  private readonly claim = new Map<string, number>()
  private readonly asked = new Set<string>()
  private readonly failed = new Set<string>()
  /** Every node seen after the key, closest first (owner candidates). */
  private after: NodeInfo[] = []
  private messages = 0
  private timeouts = 0
  private finished = false
  private confirming = false
  private readonly reqs = new Set<number>()
  private readonly startedAt: number
  private readonly kp: number

  constructor (private readonly m: ChordContext, private readonly r: LookupRequest, private readonly lid: number,
    private readonly d: number, private readonly cb: LookupCallback, private readonly budget = PATH_BUDGET) {
    this.startedAt = m.env.now()
    this.kp = prefixOf(r.key, m.bits)
  }

  private distTo (n: NodeInfo): bigint { return (this.r.key - n.id) & this.m.mask }
  private distFrom (n: NodeInfo): bigint { return (n.id - this.r.key) & this.m.mask }
  /** A node at or after the key (within half the ring): an owner candidate, not a router to ask. */
  private isAfter (n: NodeInfo): boolean { return this.distFrom(n) < this.distTo(n) }

  start (): void {
    const m = this.m
    const own = m.route(this.r.key, this.kp)
    if (own.done && own.nodes[0]?.peer === m.self.id) { this.succeed(own.nodes, 0); return }
    // the closest known predecessors of the key, dealt round-robin to the paths
    const known = m.routes.known()
    for (let i = 0; i < this.d; i++) this.paths.push({ cands: [], asked: 0, answered: 0, busy: false, done: false, nodes: [] })
    const n = known.length
    const idx = m.routes.closestIndex(this.kp, this.r.key)
    let next = 0
    for (let j = 0; j < n && next < this.d * 4; j++) {
      const c = known[(idx - j + n) % n]
      if (c.peer === m.self.id || this.claim.has(c.peer)) continue
      this.claim.set(c.peer, next % this.d)
      this.paths[next % this.d].cands.push(c)
      next++
    }
    const a = m.routes.after(this.r.key, this.kp)
    if (a !== undefined) this.see(a)
    if (own.done) for (const x of own.nodes) this.see(x)
    if (next === 0) { this.finish(); return }
    for (let i = 0; i < this.d; i++) this.step(i)
  }

  cancel (): void {
    this.finished = true
    for (const q of this.reqs) this.m.cancelRequest(q)
    this.reqs.clear()
    this.m.lookupDone(this.lid)
  }

  fail (err: Error): void {
    if (this.finished) return
    this.cancel()
    this.m.env.clearTimer(`lookup:${this.lid}`)
    if (this.r.internal !== true) {
      this.m.env.stats.inc('chord:lookup-failed')
      this.m.env.emit({ type: 'chord:lookup', key: this.r.key.toString(16), ok: false, hops: this.hops(), timeouts: this.timeouts, error: err.message })
    }
    this.cb(err)
  }

  /** An owner candidate. */
  private see (n: NodeInfo): void {
    if (!this.isAfter(n) || this.failed.has(n.peer)) return
    const a = this.after
    if (a.some(x => x.tag === n.tag)) return
    let i = a.length
    while (i > 0 && this.distFrom(a[i - 1]) > this.distFrom(n)) i--
    a.splice(i, 0, n)
    if (a.length > 16) a.length = 16
  }

  private add (p: number, n: NodeInfo): void {
    if (n.peer === this.m.self.id || this.failed.has(n.peer) || this.asked.has(n.tag)) return
    const owner = this.claim.get(n.peer)
    if (owner !== undefined && owner !== p) return // disjoint: another path's host
    this.claim.set(n.peer, p)
    const c = this.paths[p].cands
    if (c.some(x => x.tag === n.tag)) return
    let i = c.length
    while (i > 0 && this.distTo(c[i - 1]) > this.distTo(n)) i--
    c.splice(i, 0, n)
  }

  private step (p: number): void {
    const path = this.paths[p]
    if (this.finished || path.busy || path.done) return
    const n = path.asked < this.budget ? path.cands.shift() : undefined
    if (n === undefined) { path.done = true; this.maybeFinish(); return }
    path.asked++
    path.busy = true
    this.asked.add(n.tag)
    const req = this.m.newReq()
    this.reqs.add(req)
    this.messages++
    this.m.request(n.ref, { t: 'find', req, key: this.r.key, kp: this.kp, succ: true }, (msg) => {
      this.reqs.delete(req)
      path.busy = false
      if (this.finished || msg.t !== 'next') return
      this.messages++
      path.answered++
      path.nodes.push(n)
      this.r.onHop?.(n, path.answered)
      if (msg.done) {
        for (const x of msg.nodes) this.see(x)
      } else {
        for (const x of msg.nodes) { if (this.isAfter(x)) this.see(x); else this.add(p, x) }
      }
      this.step(p)
    }, () => {
      this.reqs.delete(req)
      path.busy = false
      if (this.finished) return
      this.timeouts++
      this.failed.add(n.peer)
      // out of this lookup at once; out of the tables only when it stays silent (rtt.ts, as iterative.ts)
      if (this.m.missed(n.peer)) this.m.peerFailed(n.peer)
      this.step(p)
    })
  }

  private maybeFinish (): void {
    if (this.paths.every(p => p.done)) this.finish()
  }

  /** Every path ended: the closest owner candidate must confirm. */
  private finish (): void {
    if (this.finished || this.confirming) return
    this.confirming = true
    this.confirm(0)
  }

  private confirm (rounds: number): void {
    const o = this.after.find(x => !this.failed.has(x.peer))
    if (o === undefined) { this.fail(new UnreachableError('lookup: no owner candidate confirmed')); return }
    if (o.peer === this.m.self.id) {
      const a = this.m.route(this.r.key, this.kp)
      this.succeed(a.done ? a.nodes : [o], this.hops()); return
    }
    const req = this.m.newReq()
    this.reqs.add(req)
    this.messages++
    this.m.request(o.ref, { t: 'find', req, key: this.r.key, kp: this.kp, confirm: true, succ: true }, (msg) => {
      this.reqs.delete(req)
      if (this.finished || msg.t !== 'next') return
      this.messages++
      if (msg.done && msg.nodes[0]?.tag === o.tag) { this.succeed(msg.nodes, this.hops()); return }
      // it names a closer owner (or none): take what it says as one more claim and check again
      this.after = this.after.filter(x => x.tag !== o.tag)
      this.failed.add(o.peer)
      for (const x of msg.nodes) this.see(x)
      this.m.env.stats.inc('chord:owner-refuted')
      if (rounds >= 4) { this.fail(new UnreachableError('lookup: owner candidates refuted')); return }
      this.confirm(rounds + 1)
    }, () => {
      this.reqs.delete(req)
      if (this.finished) return
      this.timeouts++
      this.failed.add(o.peer)
      this.after = this.after.filter(x => x.tag !== o.tag)
      this.confirm(rounds)
    })
  }

  private hops (): number {
    let h = 0
    for (const p of this.paths) h = Math.max(h, p.answered)
    return h
  }

  private succeed (owners: NodeInfo[], hops: number): void {
    if (this.finished) return
    this.finished = true
    for (const q of this.reqs) this.m.cancelRequest(q)
    this.m.lookupDone(this.lid)
    this.m.env.clearTimer(`lookup:${this.lid}`)
    const longest = this.paths.reduce<NodeInfo[]>((a, p) => p.nodes.length > a.length ? p.nodes : a, [])
    const res: LookupOutcome = {
      key: this.r.key, owner: owners[0], owners, hops, path: longest, timeouts: this.timeouts,
      messages: this.messages, latencyMs: this.m.env.now() - this.startedAt
    }
    if (this.r.internal !== true) {
      this.m.env.stats.inc('chord:lookups')
      this.m.env.emit({ type: 'chord:lookup', ok: true, key: res.key, owner: res.owner, hops, timeouts: this.timeouts, latencyMs: res.latencyMs })
    }
    this.cb(null, res)
  }
}
