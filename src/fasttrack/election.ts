/**
 * Bully election by (capacity, id) within a node's region, i.e. the candidates it knows.
 *
 * A node that finds no supernode with room (an orphan) sends `elect` to the highest-ranked eligible
 * candidates it knows that outrank it (all of them if it is not eligible itself). A candidate that
 * outranks the asker answers `elect_ok`, remembers the asker as a waiter and runs its own election
 * the same way; one that does not (ineligible, outranked, or a full supernode) answers `elect_no`;
 * a supernode with room answers `coordinator` naming itself. A candidate that hears no `elect_ok`
 * within `electionTimeoutMs` is the highest live candidate of its region: it promotes itself and
 * sends `coordinator` to every waiter, who relays it to its own waiters. An asker that got an
 * `elect_ok` but no `coordinator` within `coordinatorTimeoutMs` starts over.
 *
 * Regions overlap, so several winners can emerge at once in a large network; that is what a
 * two-tier overlay needs (one supernode per ~maxLeaves nodes), and supernodes left with too few
 * leaves demote later.
 */
import type { PeerRef } from '../overlay/index.js'
import { compareRank, minEligibleScore } from './capacity.js'
import type { FtContext } from './context.js'
import { LIMITS } from './limits.js'
import type { FtOf, SupernodeInfo } from './messages.js'

export interface ElectionHooks {
  isSupernode (): boolean
  /** A supernode with room this node knows (its own parent first), other than `exclude`: the region does not lack one. */
  knownSupernodeWithRoom (exclude: ReadonlySet<string>): SupernodeInfo | undefined
  /** Supernodes that refused us lately (sent along so candidates do not point us back to them). */
  refusedBy (): string[]
  /** A supernode with room for one more leaf. */
  hasRoom (): boolean
  /** We won: become a supernode (the election then announces us). */
  promote (): void
  /** Someone won (or an asked supernode offered itself): attach to it if still orphaned. */
  onWinner (winner: SupernodeInfo): void
  /** No live candidate and we are not eligible: look for more peers and retry later. */
  noCandidates (): void
  /**
   * Before running our own round on someone's behalf: refresh what we know of the region if that is
   * stale. Returns true when it sent probes; `resume()` is then called once the replies had time.
   */
  refreshRegion (resume: () => void): boolean
}

interface Round {
  eid: number
  asked: Set<string>
  phase: 'ok' | 'coordinator'
}

/** Elections remembered so a late coordinator from one of them is still accepted. */
const RECENT = 4

export class Election {
  private round: Round | undefined
  private readonly recent: Round[] = []
  private waiters: Array<{ peer: PeerRef, eid: number }> = []
  private nextEid = 1
  private pendingStart = false
  /** Elections started, won, lost (for stats and tests). */
  started = 0
  won = 0

  constructor (private readonly ctx: FtContext, private readonly hooks: ElectionHooks) {}

  get running (): boolean { return this.round !== undefined }
  get waiting (): number { return this.waiters.length }

  start (): void {
    const { ctx } = this
    if (this.round !== undefined) return
    const eligible = ctx.eligible()
    const me = ctx.capacity()
    const higher = ctx.candidates.higherThan(eligible ? me : undefined, ctx.env.self.id, ctx.o.electionFanout)
    this.started++
    ctx.env.stats.inc('ft.elections')
    if (higher.length === 0) {
      this.decide()
      return
    }
    const round: Round = { eid: this.nextEid++, asked: new Set(higher.map(c => c.peer.id)), phase: 'ok' }
    this.round = round
    this.remember(round)
    const full = this.hooks.refusedBy().slice(0, LIMITS.maxFullIds)
    for (const c of higher) ctx.env.send(c.peer, { type: 'elect', eid: round.eid, capacity: me, eligible, full })
    ctx.env.setTimer('elect', ctx.o.electionTimeoutMs)
  }

  onTimer (): void {
    const round = this.round
    if (round === undefined) return
    this.round = undefined
    if (round.phase === 'ok') {
      // nobody above us answered: they are dead or gone; forget them
      for (const id of round.asked) this.ctx.candidates.remove(id)
      this.decide()
    } else {
      // a higher candidate took over but never announced a winner: start over
      this.ctx.env.stats.inc('ft.elections.coordinator-timeout')
      this.start()
    }
  }

  onElect (from: PeerRef, m: FtOf<'elect'>): void {
    const { ctx, hooks } = this
    if (hooks.isSupernode()) {
      if (hooks.hasRoom()) ctx.env.send(from, { type: 'coordinator', eid: m.eid, winner: ctx.selfInfo() })
      else ctx.env.send(from, { type: 'elect_no', eid: m.eid })
      return
    }
    const eligible = ctx.eligible()
    if (m.eligible && m.capacity >= minEligibleScore(ctx.o)) ctx.candidates.upsert({ peer: from, capacity: m.capacity }, ctx.env.now())
    // the asker's region is not short of supernodes if we know one with room: point it there
    // instead of promoting someone new
    const full = new Set(m.full.slice(0, LIMITS.maxFullIds))
    for (const id of full) ctx.refresh.markFull(id)
    const known = this.hooks.knownSupernodeWithRoom(full)
    if (known !== undefined && known.peer.id !== from.id) {
      ctx.env.stats.inc('ft.elections.redirected')
      ctx.env.send(from, { type: 'coordinator', eid: m.eid, winner: known })
      return
    }
    const outranked = m.eligible && compareRank(m.capacity, from.id, ctx.capacity(), ctx.env.self.id) > 0
    if (!eligible || outranked) {
      ctx.env.send(from, { type: 'elect_no', eid: m.eid })
      return
    }
    ctx.env.send(from, { type: 'elect_ok', eid: m.eid })
    if (!this.waiters.some(w => w.peer.id === from.id && w.eid === m.eid)) this.waiters.push({ peer: from, eid: m.eid })
    if (this.round !== undefined || this.pendingStart) return
    // a candidate that only just joined may not know the region's better candidates yet
    this.pendingStart = true
    if (!this.hooks.refreshRegion(() => { this.pendingStart = false; this.start() })) { this.pendingStart = false; this.start() }
  }

  onOk (from: PeerRef, m: FtOf<'elect_ok'>): void {
    const round = this.round
    if (round === undefined || round.eid !== m.eid || !round.asked.has(from.id)) { this.ctx.env.stats.inc('ft.late.elect-ok'); return }
    if (round.phase === 'ok') {
      round.phase = 'coordinator'
      this.ctx.env.setTimer('elect', this.ctx.o.coordinatorTimeoutMs)
    }
  }

  onNo (from: PeerRef, m: FtOf<'elect_no'>): void {
    const round = this.round
    if (round === undefined || round.eid !== m.eid || !round.asked.has(from.id)) return
    round.asked.delete(from.id)
    this.ctx.candidates.remove(from.id)
    if (round.asked.size === 0 && round.phase === 'ok') {
      this.round = undefined
      this.ctx.env.clearTimer('elect')
      this.decide()
    }
  }

  onCoordinator (from: PeerRef, m: FtOf<'coordinator'>): void {
    const { ctx } = this
    const round = this.recent.find(r => r.eid === m.eid && r.asked.has(from.id))
    if (round === undefined) { ctx.bad('coordinator-unsolicited'); return }
    if (m.winner.capacity < minEligibleScore(ctx.o)) { ctx.bad('coordinator-ineligible'); return }
    if (this.round === round) {
      this.round = undefined
      ctx.env.clearTimer('elect')
    }
    this.announce(m.winner)
    if (m.winner.peer.id !== ctx.env.self.id) this.hooks.onWinner(m.winner)
  }

  /** Tell every waiter who won (us after a promotion, or a winner relayed from above). */
  announce (winner: SupernodeInfo): void {
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) {
      if (w.peer.id === winner.peer.id) continue
      this.ctx.env.send(w.peer, { type: 'coordinator', eid: w.eid, winner })
    }
  }

  /** Stop any round (e.g. we attached meanwhile); waiters still get the next announcement. */
  cancel (): void {
    if (this.round === undefined) return
    this.round = undefined
    this.ctx.env.clearTimer('elect')
  }

  private decide (): void {
    if (this.ctx.eligible()) {
      this.won++
      this.ctx.env.stats.inc('ft.elections.won')
      this.hooks.promote()
    } else {
      this.hooks.noCandidates()
    }
  }

  private remember (round: Round): void {
    this.recent.push(round)
    if (this.recent.length > RECENT) this.recent.shift()
  }
}
