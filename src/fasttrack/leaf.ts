/**
 * The leaf side of a FastTrack node: attaching to a supernode (with timeouts that stretch on a slow
 * network and late replies taken or declined), uploading the share list, heartbeats to the supernode
 * and failover when it dies, demotes or detaches us, and searches sent through it. The machine keeps
 * joining, gossip, elections and the choice of a supernode (`seek`); it reaches this part through
 * `LeafHooks`, and this part reaches the machine's shared state through FtContext.
 */
import type { PeerRef } from '../overlay/index.js'
import type { AttachBackoff } from './attach-backoff.js'
import { minEligibleScore } from './capacity.js'
import type { FtContext } from './context.js'
import { LIMITS } from './limits.js'
import type { CandidateInfo, FtOf, HitEntry, ShareEntry, SupernodeInfo } from './messages.js'
import { ROLE_SUPERNODE } from './messages.js'
import type { SearchTable } from './searches.js'

export interface LeafHooks {
  /** Merge refresh-list and candidate gossip. */
  learn (sns: readonly SupernodeInfo[], cands: readonly CandidateInfo[]): void
  /** A peer said it is no supernode. */
  notASupernode (id: string): void
  /** Orphaned: find a supernode (or elect one). */
  seek (): void
  isSupernode (): boolean
  sharedFiles (): ShareEntry[]
  /** We attached to `from`: stop electing and seeking, send the pending searches. */
  attached (from: PeerRef): void
}

export class LeafRole {
  /** The supernode we are attached to, or trying to attach to. */
  parent: SupernodeInfo | undefined
  attaching: SupernodeInfo | undefined
  /** The last ping to a supernode (its pong, even late, is a round-trip sample). */
  private lastPing: { id: string, at: number } | undefined
  pingInFlight = false
  private lastPong = -Infinity
  private shareEpoch = 0

  constructor (
    private readonly ctx: FtContext,
    private readonly hooks: LeafHooks,
    private readonly searches: SearchTable,
    /** Supernodes that refused us (full), and when (shared with seek and the election). */
    private readonly tried: Map<string, number>,
    private readonly backoff: AttachBackoff
  ) {}

  attach (target: SupernodeInfo): void {
    const { env, o } = this.ctx
    const id = target.peer.id
    this.attaching = target
    this.tried.set(id, env.now())
    this.backoff.sent(id, env.now())
    env.send(target.peer, { type: 'attach', capacity: this.ctx.capacity(), firewalled: o.capacity.firewalled })
    env.setTimer('attach', this.attachTimeout(id))
  }

  /** The configured timeout, doubled per timeout in a row, and never below the measured round trip. */
  private attachTimeout (id: string): number {
    const { o } = this.ctx
    return this.ctx.rtt.timeout(this.backoff.timeoutFor(id), Math.max(o.attachTimeoutMs, o.leafTimeoutMs))
  }

  /**
   * No attach reply in time. The supernode may only be slow (an overloaded host): back off from it
   * and try it again later with a longer timeout (its late acceptance is still taken meanwhile);
   * forget it only after `maxAttachTimeouts` in a row and when we know another supernode. Before,
   * the first timeout removed it from the refresh list: an orphan whose only known supernode was
   * slow ended with an empty list and elections that found no candidates.
   */
  attachTimedOut (): void {
    const { env, o, refresh } = this.ctx
    const t = this.attaching
    if (t === undefined) return
    const id = t.peer.id
    const waited = this.attachTimeout(id)
    this.attaching = undefined
    this.tried.delete(id) // a timeout is not a refusal
    env.stats.inc('ft.attach.timeout')
    const fails = this.backoff.timedOut(id, env.now(), waited)
    if (fails >= o.maxAttachTimeouts && refresh.size > 1) {
      refresh.remove(id)
      env.stats.inc('ft.attach.forgotten')
    }
    this.hooks.seek()
  }

  /** The supernode we were attaching to cannot be reached (dial failed, connection closed). */
  attachUnreachable (): void {
    const t = this.attaching
    if (t === undefined) return
    this.attaching = undefined
    this.ctx.env.clearTimer('attach')
    this.ctx.refresh.remove(t.peer.id)
    this.hooks.seek()
  }

  onAttachReply (from: PeerRef, m: FtOf<'attach_reply'>): void {
    const { env, o, refresh } = this.ctx
    const req = this.backoff.take(from.id, env.now())
    if (req?.rttMs !== undefined) this.ctx.rtt.sample(req.rttMs)
    if (this.attaching?.peer.id !== from.id && !this.lateReply(from, m, req !== undefined)) return
    this.attaching = undefined
    env.clearTimer('attach')
    this.backoff.answered(from.id)
    this.hooks.learn(m.supernodes, m.candidates)
    if (!m.accepted || this.hooks.isSupernode()) {
      if (m.accepted) env.send(from, { type: 'detach', supernodes: [], candidates: [] })
      else this.refused(from, m)
      this.hooks.seek()
      return
    }
    if (m.capacity < minEligibleScore(o)) {
      // a "supernode" that could not have won an election: refuse it
      this.ctx.bad('ineligible-supernode', from)
      refresh.remove(from.id)
      env.send(from, { type: 'detach', supernodes: [], candidates: [] })
      this.hooks.seek()
      return
    }
    const info: SupernodeInfo = { peer: from, capacity: m.capacity, leaves: m.leaves, room: m.leaves < o.maxLeaves }
    refresh.upsert(info, env.now())
    this.parent = info
    this.lastPong = env.now()
    this.pingInFlight = false
    this.tried.clear()
    this.hooks.attached(from)
  }

  /**
   * An attach reply from a supernode we are not attaching to now (its request timed out, or we
   * never asked). Returns true when it is to be handled as the answer to our attach: a late
   * acceptance while we are still orphaned (the attach in flight, if any, is dropped; its own
   * acceptance is declined when it comes), or a late refusal (we learn it is full and whom it knows).
   */
  private lateReply (from: PeerRef, m: FtOf<'attach_reply'>, asked: boolean): boolean {
    const { env } = this.ctx
    const decline = (): void => { env.stats.inc('ft.late.attach-reply'); env.send(from, { type: 'detach', supernodes: [], candidates: [] }) }
    if (this.parent?.peer.id === from.id) {
      // our repeated attach reached our supernode after the first: it restarted our upload session
      if (asked && m.accepted) { env.stats.inc('ft.attach.repeat'); this.uploadShares(from) }
      return false
    }
    if (!asked) { if (m.accepted) decline(); return false }
    if (this.hooks.isSupernode() || this.parent !== undefined) { if (m.accepted) decline(); return false }
    if (!m.accepted) {
      this.backoff.answered(from.id)
      this.hooks.learn(m.supernodes, m.candidates)
      this.refused(from, m)
      return false
    }
    env.stats.inc('ft.attach.late-accepted')
    return true
  }

  /**
   * An attach refused: the supernode is full; or, refusing with no leaves at all, it is no supernode
   * (a leaf answers attach that way), e.g. one that demoted while gossip still named it.
   */
  private refused (from: PeerRef, m: FtOf<'attach_reply'>): void {
    if (m.leaves === 0) this.hooks.notASupernode(from.id)
    else this.ctx.refresh.markFull(from.id)
  }

  uploadShares (to: PeerRef): void {
    const files = this.hooks.sharedFiles()
    const batch = LIMITS.maxFilesPerFrame
    const epoch = ++this.shareEpoch
    this.ctx.env.send(to, { type: 'shares', epoch, files: files.slice(0, batch) })
    for (let i = batch; i < files.length; i += batch) this.ctx.env.send(to, { type: 'shares', epoch, files: files.slice(i, i + batch) })
  }

  /** One more share, in the current upload session. */
  shareOne (entry: ShareEntry): void {
    if (this.parent !== undefined) this.ctx.env.send(this.parent.peer, { type: 'shares', epoch: this.shareEpoch, files: [entry] })
  }

  onPong (from: PeerRef, m: FtOf<'pong'>): void {
    const { env, o, refresh } = this.ctx
    if (this.lastPing?.id === from.id) { this.ctx.rtt.sample(env.now() - this.lastPing.at); this.lastPing = undefined }
    if (this.parent?.peer.id !== from.id) { this.hooks.learn(m.supernodes, []); return }
    if (m.role !== ROLE_SUPERNODE) { this.hooks.notASupernode(from.id); this.failover('demoted'); return }
    env.clearTimer('pong')
    this.pingInFlight = false
    this.lastPong = env.now()
    this.parent = { peer: this.parent.peer, capacity: m.capacity, leaves: m.leaves, room: m.leaves < o.maxLeaves }
    refresh.upsert(this.parent, env.now())
    this.hooks.learn(m.supernodes, [])
  }

  failover (reason: string): void {
    const { env, o, refresh } = this.ctx
    const old = this.parent
    if (old === undefined) return
    this.parent = undefined
    env.clearTimer('pong')
    this.pingInFlight = false
    // a ping timeout may only mean a slow supernode: when it is the only one we know, keep it, backed
    // off, to try again later (an empty refresh list leaves elections without candidates)
    if (reason === 'timeout' && refresh.size <= 1) this.backoff.timedOut(old.peer.id, env.now(), this.ctx.rtt.timeout(o.replyTimeoutMs, o.leafTimeoutMs))
    else if (reason !== 'detached') refresh.remove(old.peer.id)
    env.stats.inc('ft.failover')
    env.emit({ type: 'fasttrack:orphaned', supernode: old.peer.id, reason })
    this.searches.markAllUnsent()
    this.hooks.seek()
  }

  /** Send a search through our supernode (when attached; otherwise it goes when we attach). */
  sendSearch (qid: string, text: string): boolean {
    const { env, o } = this.ctx
    if (this.parent === undefined) return false
    env.send(this.parent.peer, { type: 'query', qid, ttl: o.queryTtl, hops: 0, text })
    // a search is the moment a dead supernode hurts: check it is alive unless we heard from it just
    // now (the search is sent again after a failover), instead of waiting for the next period
    if (env.now() - this.lastPong >= o.queryPingAfterMs) this.pingParent()
    return true
  }

  /** Ping our supernode; without a pong within replyTimeoutMs we fail over. One ping in flight at a time. */
  pingParent (): void {
    const { env, o } = this.ctx
    if (this.parent === undefined || this.pingInFlight) return
    this.pingInFlight = true
    this.lastPing = { id: this.parent.peer.id, at: env.now() }
    env.send(this.parent.peer, { type: 'ping', capacity: this.ctx.capacity(), leaves: 0 })
    // a slow network (an overloaded host) must not look like a dead supernode: wait at least the
    // measured round trip (at most leafTimeoutMs, when the supernode would forget us anyway)
    env.setTimer('pong', this.ctx.rtt.timeout(o.replyTimeoutMs, Math.max(o.replyTimeoutMs, o.leafTimeoutMs)))
  }

  /** Hits for one of our searches: only from the supernode we are attached to. */
  onHit (from: PeerRef, m: FtOf<'hit'>): void {
    if (!this.searches.has(m.qid)) { this.ctx.bad('unseen-hit'); return }
    if (this.parent?.peer.id !== from.id) { this.ctx.bad('hit-not-parent', from); return }
    // one hop from us to our supernode, then m.hops among supernodes
    this.deliverHits(m.qid, m.hits, m.hops + 1)
  }

  deliverHits (qid: string, hits: readonly HitEntry[], hops: number): void {
    this.searches.deliver(qid, hits, hops, this.ctx.o.supernodeHitShare, reason => { this.ctx.bad(reason) })
  }

  /** Leave our supernode (we stop, or we become a supernode ourselves). */
  detach (): void {
    if (this.parent !== undefined) this.ctx.env.send(this.parent.peer, { type: 'detach', supernodes: [], candidates: [] })
    this.parent = undefined
    if (this.attaching !== undefined) { this.attaching = undefined; this.ctx.env.clearTimer('attach') }
    this.ctx.env.clearTimer('pong')
    this.pingInFlight = false
  }
}
