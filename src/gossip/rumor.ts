/**
 * SIR rumor mongering (Demers et al. 1987). Per update a node is susceptible (never seen it), infected
 * (a hot rumor: spread it every round) or removed (knows it, stopped spreading). Every round an
 * infected node contacts `fanout` random partners: push sends its hot rumors, pull asks for the
 * partner's, push-pull does both. It loses interest per update after `k` useless contacts (feedback:
 * the partner already knew) or `k` contacts (blind), or with probability 1/k on each (coin).
 */
import type { PeerRef } from '../overlay/types.js'
import type { GossipContext } from './context.js'
import type { Stored } from './store.js'
import { idKey, type Update, type UpdateId } from './types.js'

const ROUND = 'round'

export class RumorMonger {
  private readonly feedback: boolean
  private readonly coin: boolean
  private armed = false
  private armedOnce = false
  private acceptedThisRound = 0
  private huntsLeft = 0

  constructor (private readonly ctx: GossipContext) {
    this.feedback = ctx.o.stop.startsWith('feedback')
    this.coin = ctx.o.stop.endsWith('coin')
  }

  static readonly TIMER = ROUND

  start (): void {
    const mode = this.ctx.o.mode
    if (mode === 'pull' || mode === 'push-pull') this.arm()
  }

  stop (): void {
    this.ctx.env.clearTimer(ROUND)
    this.armed = false
  }

  onTimer (): void { this.armed = false; this.round() }

  /** A new rumor (ours or received): spread it now (eager) or from the next round. */
  spreadNew (s: Stored | undefined): void {
    const o = this.ctx.o
    if (o.mode === 'none' || s === undefined) return
    if (o.eager && o.mode !== 'pull') {
      for (const p of this.ctx.membership.pick(this.ctx.env.rng, o.fanout)) this.contact(p, s)
    }
    if (s.hot) this.arm()
  }

  private arm (): void {
    if (this.armed || !this.ctx.running()) return
    this.armed = true
    const period = this.ctx.o.periodMs
    this.ctx.env.setTimer(ROUND, this.armedOnce ? this.ctx.nextDelay(period) : this.ctx.firstDelay(period))
    this.armedOnce = true
  }

  private round (): void {
    const { o, env, store } = this.ctx
    this.acceptedThisRound = 0
    this.huntsLeft = o.hunt
    if (o.mode === 'none') return
    this.settle()
    if (o.mode === 'push' && store.hot.size === 0) return // nothing to spread: sleep until a new rumor
    for (const p of this.ctx.membership.pick(env.rng, o.fanout)) this.contact(p)
    if (o.mode !== 'push' || store.hot.size > 0) this.arm()
  }

  /** One rumor-mongering contact: push our hot rumors and/or ask for the partner's. */
  private contact (p: PeerRef, only?: Stored): void {
    const { o, env } = this.ctx
    const pushing = o.mode === 'push' || o.mode === 'push-pull'
    const updates: Update[] = []
    if (pushing) {
      for (const s of only !== undefined ? [only] : this.ctx.store.hotList()) {
        updates.push(s.wire)
        env.stats.inc('gossip:rumor-updates')
        if (!this.feedback) this.loseInterest(s)
      }
    }
    if (o.mode === 'push' && updates.length === 0) return
    if (updates.length > 0) this.ctx.rumorContact(p)
    env.send(p, { type: 'rumor', updates, pull: o.mode !== 'push' })
  }

  /** A useless contact (feedback) or any contact (blind): count it, or toss the coin. */
  private loseInterest (s: Stored): void {
    if (!s.hot) return
    const k = this.ctx.o.k
    const stop = this.coin ? this.ctx.env.rng.next() < 1 / k : ++s.counter >= k
    if (stop) this.ctx.store.cool(idKey(s.u.origin, s.u.seq))
  }

  /** The partner already knew `s`: a useless contact under feedback. */
  private useless (s: Stored): void {
    if (!this.feedback) return
    if (this.coin) this.loseInterest(s); else s.useless++
  }

  /**
   * Feedback: a useless contact counts towards losing interest; a useful one resets the counter
   * (the paper's counter: a site stops after k unnecessary contacts in a row, which is what bounds
   * its traffic by k(2m − 1)).
   */
  onFeedback (known: readonly UpdateId[], fresh: readonly UpdateId[]): void {
    if (!this.feedback) return
    const store = this.ctx.store
    for (const id of known) {
      const s = store.get(idKey(id.origin, id.seq))
      if (s !== undefined) this.useless(s)
    }
    if (this.coin) return
    for (const id of fresh) {
      const s = store.get(idKey(id.origin, id.seq))
      if (s !== undefined) s.useful++
    }
  }

  /**
   * Settle the feedback counter once per round (cycle), so the outcome does not depend on the order
   * in which answers arrived: a round with a useful contact resets the counter, a round with only
   * useless ones adds one. A node thus stops after k consecutive cycles of unnecessary contacts,
   * which is the paper's counter (its traffic bound k(2m − 1) counts unnecessary messages within k
   * cycles of a necessary one). With push and fanout 1 it is one contact per cycle anyway.
   */
  private settle (): void {
    if (!this.feedback || this.coin) return
    const { store, o } = this.ctx
    for (const key of store.hot) {
      const s = store.get(key)
      if (s === undefined) continue
      if (s.useful > 0) s.counter = 0
      else if (s.useless > 0) s.counter++
      s.useful = 0; s.useless = 0
      if (s.counter >= o.k) store.cool(key)
    }
  }

  onRumor (from: PeerRef, updates: readonly Update[], pull: boolean): void {
    const { o, env } = this.ctx
    const limit = o.connectionLimit
    if (limit > 0 && this.acceptedThisRound >= limit) {
      env.stats.inc('gossip:busy')
      // the refused contact transmitted nothing (the paper's model): keep traffic counts honest
      env.stats.inc('gossip:refused-updates', updates.length)
      env.send(from, { type: 'busy' })
      return
    }
    this.acceptedThisRound++
    const { known, fresh } = this.ctx.receiveAll(from, updates, 'rumor')
    if (pull) {
      const pushed = new Set(updates.map(u => idKey(u.origin, u.seq)))
      const served: Update[] = []
      for (const s of this.ctx.store.hotList()) {
        if (pushed.has(idKey(s.u.origin, s.u.seq))) { this.useless(s); continue } // the partner knew it
        served.push(s.wire)
        env.stats.inc('gossip:rumor-updates')
        if (!this.feedback) this.loseInterest(s)
      }
      env.send(from, { type: 'reply', updates: served, known: this.feedback ? known : [], fresh: this.feedback ? fresh : [] })
    } else if (this.feedback && known.length + fresh.length > 0) {
      env.send(from, { type: 'feedback', known, fresh })
    }
  }

  onReply (from: PeerRef, updates: readonly Update[], knownAck: readonly UpdateId[], freshAck: readonly UpdateId[]): void {
    this.onFeedback(knownAck, freshAck)
    const { known, fresh } = this.ctx.receiveAll(from, updates, 'rumor')
    if (this.feedback && known.length + fresh.length > 0) this.ctx.env.send(from, { type: 'feedback', known, fresh })
  }

  /** The partner refused the contact (connection limit): hunt for another one this round. */
  onBusy (from: PeerRef): void {
    this.ctx.env.stats.inc('gossip:refused')
    if (this.huntsLeft <= 0) return
    this.huntsLeft--
    const p = this.ctx.membership.pick(this.ctx.env.rng, 1, from.id)[0]
    if (p !== undefined) this.contact(p)
  }
}
