/**
 * Membership upkeep: the Cyclon shuffle, and probing peers that were dropped as failed so that both
 * sides of a healed partition find each other again (see lost.ts).
 */
import type { PeerRef } from '../overlay/types.js'
import type { AntiEntropy } from './anti-entropy.js'
import type { GossipContext } from './context.js'
import { CyclonView } from './cyclon.js'
import { LostPeers } from './lost.js'
import type { Descriptor } from './types.js'

const SHUFFLE = 'shuffle'
const RECOVER = 'recover'

export class PeerUpkeep {
  /** Peers dropped because they failed, probed every recovery period. */
  readonly lost: LostPeers
  private recoverArmed = false

  constructor (private readonly ctx: GossipContext, private readonly ae: AntiEntropy) {
    this.lost = new LostPeers(ctx.env.self.id, ctx.o.recovery.maxPeers)
  }

  static readonly TIMERS = [SHUFFLE, RECOVER] as const

  private get cyclon (): CyclonView | undefined {
    return this.ctx.membership instanceof CyclonView ? this.ctx.membership : undefined
  }

  private shufflePeriod (): number {
    const m = this.ctx.o.membership
    return (m.kind === 'cyclon' ? m.periodMs : undefined) ?? this.ctx.o.periodMs
  }

  start (): void {
    if (this.ctx.o.membership.kind === 'cyclon') this.ctx.env.setTimer(SHUFFLE, this.ctx.firstDelay(this.shufflePeriod()))
  }

  stop (): void {
    this.ctx.env.clearTimer(SHUFFLE)
    this.ctx.env.clearTimer(RECOVER)
    this.recoverArmed = false
  }

  onTimer (key: string): void {
    if (key === SHUFFLE) this.shuffle()
    else { this.recoverArmed = false; this.probeLost() }
  }

  /** Any message from `from`: a peer we had dropped as failed answers again (e.g. the partition healed). */
  heard (from: PeerRef): void {
    if (this.lost.delete(from.id)) { this.ctx.membership.add(from); this.ctx.env.stats.inc('gossip:recovered') }
  }

  onShuffle (from: PeerRef, entries: readonly Descriptor[]): void {
    const view = this.cyclon
    if (view === undefined) return
    this.ctx.env.send(from, { type: 'shuffle-reply', entries: view.onShuffle(this.ctx.env.rng, from, entries) })
  }

  onShuffleReply (from: PeerRef, entries: readonly Descriptor[]): void {
    this.cyclon?.onShuffleReply(from, entries)
  }

  private shuffle (): void {
    const view = this.cyclon
    if (this.ctx.o.membership.kind !== 'cyclon' || view === undefined) return
    const unanswered = view.unanswered()
    if (unanswered !== undefined) this.loseTrack(unanswered)
    const s = view.startShuffle(this.ctx.env.rng)
    if (s !== undefined) this.ctx.env.send(s.target, { type: 'shuffle', entries: s.entries })
    this.ctx.env.setTimer(SHUFFLE, this.ctx.nextDelay(this.shufflePeriod()))
  }

  /** Remember a failed peer; the probe timer runs only while some peer is lost (no cost otherwise). */
  loseTrack (peer: PeerRef): void {
    this.lost.add(peer)
    this.armRecover()
  }

  private armRecover (): void {
    const period = this.ctx.o.recovery.periodMs
    if (this.recoverArmed || !this.ctx.running() || period <= 0 || this.lost.size === 0) return
    this.recoverArmed = true
    // jittered, so nodes that lost their peers at the same moment do not probe in lockstep
    this.ctx.env.setTimer(RECOVER, this.ctx.env.rng.range(0.5 * period, 1.5 * period))
  }

  /**
   * Contact one peer we dropped as failed. Full membership: an anti-entropy exchange (the partner
   * learns us back from the message, and its answer brings it back here). Cyclon: a shuffle, which
   * also mixes views across a healed partition. A peer that is still down costs one message.
   */
  private probeLost (): void {
    const p = this.lost.pick(this.ctx.env.rng)
    if (p === undefined) return
    this.armRecover()
    this.ctx.env.stats.inc('gossip:probes')
    const view = this.cyclon
    if (view !== undefined) this.ctx.env.send(p, { type: 'shuffle', entries: view.probe(this.ctx.env.rng, p) })
    else this.ae.open(p)
  }
}
