/**
 * Iterative lookups (see lookup.ts for what `hops` means): the caller keeps a list of candidate
 * nodes ordered by clockwise distance to the key and asks the closest one not yet tried ("find"). A
 * reply either names the owner's successor list (done) or returns closer candidates; only candidates
 * strictly closer than the node that named them are kept, so every lookup terminates. A request that
 * times out counts one timeout and the next-best candidate is tried.
 */
import { UnreachableError } from '../overlay/errors.js'
import type { PeerRef } from '../overlay/types.js'
import type { ChordContext, LookupCallback, LookupOutcome, LookupRequest } from './context.js'
import type { ChordMessage } from './messages.js'
import { prefixDist, prefixOf, type NodeInfo } from './node.js'


interface Cand { n: NodeInfo, dp: number, via: NodeInfo | undefined }

const VERIFY_LIMIT = 4
const REASK_LIMIT = 8

export class IterativeLookup {
  private readonly cands: Cand[] = []
  /**
   * Nodes asked so far, with their prefix distances to the key: a node is looked up by its distance
   * first (a number in an unboxed array) and by tag only on a match, so checking a candidate touches
   * none of the asked nodes' objects (at 10^6 simulated hosts each was a cache miss).
   */
  private readonly triedDp: number[] = []
  private readonly triedN: NodeInfo[] = []
  private failed: Set<string> | undefined
  private readonly path: NodeInfo[] = []
  private hops = 0
  private timeouts = 0
  private messages = 0
  private verifying: NodeInfo[] | undefined
  private verifyRounds = 0
  private ownerSkips = 0
  private localRetries = 0
  private finished = false
  private current = -1
  private readonly kp: number
  private readonly startedAt: number
  private readonly verify: boolean

  constructor (private readonly m: ChordContext, private readonly r: LookupRequest, private readonly lid: number, private readonly cb: LookupCallback) {
    this.kp = prefixOf(r.key, m.bits)
    this.startedAt = m.env.now()
    this.verify = r.verifyOwner ?? m.o.verifyOwner
  }

  start (): void {
    if (this.r.via !== undefined) { this.askRef(this.r.via); return }
    const a = this.m.route(this.r.key, this.kp)
    if (a.done) { this.owned(a.nodes); return }
    this.add(a.nodes, undefined)
    this.step()
  }

  cancel (): void {
    this.finished = true
    if (this.current >= 0) this.m.cancelRequest(this.current)
    this.m.lookupDone(this.lid)
  }

  /**
   * a strictly closer to the key than b (clockwise distance to the key). Numeric on the 48-bit prefix
   * distances dp when they decide: for dp ≥ 1 the exact distance lies in ((dp − 1)·2^s, (dp + 1)·2^s)
   * (s = m − 48), so dp values two apart order the nodes exactly. dp = 0 (a node in the key's own
   * prefix slot) may be at distance < 2^s or nearly 2^m, and near-ties, go to the bigints.
   */
  private closer (a: NodeInfo, adp: number, b: NodeInfo, bdp: number): boolean {
    if (adp > 0 && bdp > 0) {
      if (adp + 1 < bdp) return true
      if (bdp + 1 < adp) return false
    }
    const m = this.m.mask
    return ((this.r.key - a.id) & m) < ((this.r.key - b.id) & m)
  }

  /** Insert candidates closer than `than`, keeping the list sorted, closest first. */
  private add (nodes: NodeInfo[], than: NodeInfo | undefined): void {
    const thanDp = than === undefined ? 0 : prefixDist(than, this.kp)
    for (const n of nodes) {
      const dp = prefixDist(n, this.kp)
      if (than !== undefined && !this.closer(n, dp, than, thanDp)) continue
      if (this.m.routes.isOwn(n) || this.wasTried(n, dp) || (this.failed !== undefined && this.failed.has(n.peer))) continue
      const c = this.cands
      let i = c.length
      let dup = false
      for (let j = 0; j < c.length; j++) {
        // the same node has the same dp: compare dp first, so other candidates' objects stay untouched
        if (c[j].dp === dp && (c[j].n === n || c[j].n.tag === n.tag)) { dup = true; break }
        if (i === c.length && this.closer(n, dp, c[j].n, c[j].dp)) i = j
      }
      if (dup) continue
      const e = { n, dp, via: than }
      if (i === c.length) c.push(e); else c.splice(i, 0, e)
    }
  }

  private wasTried (n: NodeInfo, dp: number): boolean {
    const d = this.triedDp
    for (let j = 0; j < d.length; j++) if (d[j] === dp && (this.triedN[j] === n || this.triedN[j].tag === n.tag)) return true
    return false
  }

  private step (): void {
    if (this.finished) return
    let c: Cand | undefined
    while ((c = this.cands.shift()) !== undefined) {
      if (!this.wasTried(c.n, c.dp) && !this.isFailed(c.n.peer)) break
    }
    if (c === undefined) {
      // out of candidates: consult our own table again without the peers found dead
      if (this.failed !== undefined && this.localRetries++ < REASK_LIMIT) {
        const a = this.m.route(this.r.key, this.kp, [...this.failed])
        if (a.done) { this.owned(a.nodes); return }
        const before = this.cands.length
        this.add(a.nodes, undefined)
        if (this.cands.length > before) { this.step(); return }
      }
      this.fail(new UnreachableError('lookup: no live candidate left'))
      return
    }
    this.triedDp.push(c.dp)
    this.triedN.push(c.n)
    this.ask(c.n, c.via)
  }

  /** Times each node was asked again after one of its candidates was dead. */
  private reasked: Map<string, number> | undefined

  private isFailed (peer: string): boolean { return this.failed !== undefined && this.failed.has(peer) }
  private markFailed (peer: string): void { (this.failed ??= new Set()).add(peer) }

  /**
   * A request of this lookup to `peer` timed out: count it, route around the peer in this lookup at
   * once, and drop it from the tables only when dead (rtt.ts). False once the lookup has finished.
   */
  private hopTimedOut (peer: string): boolean {
    this.current = -1
    if (this.finished) return false
    this.timeouts++
    this.markFailed(peer)
    if (this.m.missed(peer)) this.m.peerFailed(peer)
    return true
  }

  /**
   * Ask n for the key. `via` named n; if n is dead, via is asked again with the dead peers excluded
   * (its next-best finger or successor), as a recursive lookup would fall back at via.
   */
  private ask (n: NodeInfo, via: NodeInfo | undefined, again = false): void {
    const req = this.m.newReq()
    this.current = req
    this.messages++
    this.asked = n; this.askedVia = via; this.askedAgain = again
    const exclude = this.failed !== undefined ? [...this.failed].slice(-32) : undefined
    this.m.request(n.ref, exclude === undefined ? { t: 'find', req, key: this.r.key, kp: this.kp } : { t: 'find', req, key: this.r.key, kp: this.kp, exclude }, this.onAnswer, this.onNoAnswer)
  }

  /**
   * The node asked by ask(), who named it and whether it was asked again: read by the two handlers
   * below, made once per lookup rather than two closures per hop (one request is open at a time; a
   * late reply goes to the request layer's own handler, never here).
   */
  private asked: NodeInfo | undefined
  private askedVia: NodeInfo | undefined
  private askedAgain = false

  private readonly onAnswer = (msg: ChordMessage): void => {
    const n = this.asked as NodeInfo
    this.current = -1
    if (this.finished || msg.t !== 'next') return
    this.messages++
    // the path counts distinct nodes: asking a node again after a dead hop is not a new hop
    if (!this.askedAgain) {
      this.hops++
      this.path.push(n)
      this.r.onHop?.(n, this.hops)
    }
    if (msg.done) this.owned(msg.nodes)
    else { this.add(msg.nodes, n); this.step() }
  }

  private readonly onNoAnswer = (): void => {
    const n = this.asked as NodeInfo
    const via = this.askedVia
    if (!this.hopTimedOut(n.peer)) return
    const r = via === undefined ? Infinity : (this.reasked?.get(via.tag) ?? 0)
    if (via !== undefined && r < REASK_LIMIT && !this.isFailed(via.peer)) {
      (this.reasked ??= new Map()).set(via.tag, r + 1)
      this.ask(via, undefined, true)
    } else this.step()
  }

  /** The first step through a peer we know only by address (joining). */
  private askRef (ref: PeerRef): void {
    const req = this.m.newReq()
    this.current = req
    this.messages++
    this.m.request(ref, { t: 'find', req, key: this.r.key, kp: this.kp }, (msg) => {
      this.current = -1
      if (this.finished || msg.t !== 'next') return
      this.messages++
      this.hops++
      if (msg.done) this.owned(msg.nodes)
      else { this.add(msg.nodes, undefined); this.step() }
    }, () => {
      this.current = -1
      if (this.finished) return
      this.timeouts++
      this.fail(new UnreachableError(`lookup: entry peer ${ref.id} did not answer`))
    })
  }

  /** A node named the owner list. Optionally confirm with the owner (alive and agrees). */
  private owned (nodes: NodeInfo[]): void {
    // nothing failed (the common case): a plain copy, without reading every listed node's peer id (the
    // list may be the answering host's own successor list in the simulator: never hand that out)
    const live = this.failed === undefined ? nodes.slice() : nodes.filter(n => !this.isFailed(n.peer))
    if (live.length === 0) { this.step(); return }
    // a path disturbed by a timeout may end at a stale predecessor: then the owner confirms, always
    if ((!this.verify && this.timeouts === 0) || live[0].peer === this.m.self.id) { this.succeed(live); return }
    this.verifying = live
    this.ownerSkips = nodes.findIndex(n => !this.isFailed(n.peer))
    this.confirm()
  }

  private confirm (): void {
    if (this.finished) return
    const list = this.verifying as NodeInfo[]
    const o = list[0]
    if (o === undefined) { this.verifying = undefined; this.step(); return }
    const req = this.m.newReq()
    this.current = req
    this.messages++
    const exclude = this.failed !== undefined ? [...this.failed].slice(-32) : undefined
    const ask: ChordMessage = { t: 'find', req, key: this.r.key, kp: this.kp, confirm: true }
    if (exclude !== undefined) ask.exclude = exclude
    this.m.request(o.ref, ask, (msg) => {
      this.current = -1
      if (this.finished || msg.t !== 'next') return
      this.messages++
      // an earlier owner candidate only timed out and may still answer: wait for it before settling
      // on o, even if o says yes (it may say so only because we listed that candidate as dead in
      // `exclude`). A slow live owner costs latency here, never a wrong owner.
      if (this.lateOwners > 0) { this.deferred = list; return }
      // o owns the key if it says so, or if every node before it on the predecessor's successor
      // list is dead: that list covers the key, so its first live entry is the key's successor
      if (msg.done && msg.nodes[0]?.tag === o.tag) { this.succeed(list); return }
      if (this.ownerSkips > 0) { this.succeed(list); return }
      if (!msg.done) { this.m.env.stats.inc('chord:owner-unconfirmed'); this.succeed(list); return }
      // the presumed owner points at a newer node between the key and itself: a routing step
      this.hops++
      this.path.push(o)
      if (++this.verifyRounds > VERIFY_LIMIT) { this.succeed(list); return }
      if (msg.done) { this.verifying = msg.nodes.filter(n => !this.isFailed(n.peer)); this.confirm(); return }
      // o neither owns the key nor knows a node between the key and itself: the predecessor's word
      // (o is its successor) stands, rather than wandering the ring from o's far-away fingers
      this.m.env.stats.inc('chord:owner-unconfirmed')
      this.succeed(list)
    }, () => {
      if (!this.hopTimedOut(o.peer)) return
      list.shift()
      this.ownerSkips++
      this.lateOwners++
      this.confirm()
    }, undefined, {
      // a slow owner (a round trip over the timeout) is still the owner: a late "yes" wins
      graceMs: this.m.rpcTimeout(),
      onLate: (msg) => {
        this.lateOwners--
        if (this.finished || msg.t !== 'next') return
        this.messages++
        if (msg.done && msg.nodes[0]?.tag === o.tag) {
          this.failed?.delete(o.peer)
          if (this.current >= 0) { this.m.cancelRequest(this.current); this.current = -1 }
          this.m.env.stats.inc('chord:late-owner')
          this.succeed([o, ...list])
          return
        }
        this.releaseDeferred()
      },
      onGiveUp: () => { this.lateOwners--; this.releaseDeferred() }
    })
  }

  private lateOwners = 0
  private deferred: NodeInfo[] | undefined

  private releaseDeferred (): void {
    if (this.lateOwners === 0 && this.deferred !== undefined && !this.finished) this.succeed(this.deferred)
  }

  private succeed (owners: NodeInfo[]): void {
    if (this.finished) return
    this.finished = true
    this.m.lookupDone(this.lid)
    this.m.env.clearTimer(`lookup:${this.lid}`)
    const res: LookupOutcome = {
      key: this.r.key, owner: owners[0], owners, hops: this.hops, path: this.path,
      timeouts: this.timeouts, messages: this.messages, latencyMs: this.m.env.now() - this.startedAt
    }
    if (this.r.internal !== true) emitLookup(this.m, res)
    this.cb(null, res)
  }

  fail (err: Error): void {
    if (this.finished) return
    this.finished = true
    if (this.current >= 0) this.m.cancelRequest(this.current)
    this.m.lookupDone(this.lid)
    this.m.env.clearTimer(`lookup:${this.lid}`)
    if (this.r.internal !== true) {
      this.m.env.stats.inc('chord:lookup-failed')
      this.m.env.emit({ type: 'chord:lookup', key: this.r.key.toString(16), ok: false, hops: this.hops, timeouts: this.timeouts, error: err.message })
    }
    this.cb(err)
  }
}

export function emitLookup (m: ChordContext, r: LookupOutcome): void {
  m.env.stats.inc('chord:lookups')
  m.env.emit({ type: 'chord:lookup', ok: true, key: r.key, owner: r.owner, hops: r.hops, timeouts: r.timeouts, latencyMs: r.latencyMs })
}
