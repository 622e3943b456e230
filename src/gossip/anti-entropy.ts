/**
 * Anti-entropy, the SI backup of rumor mongering: now and then a node compares digests with one
 * random partner and repairs the difference. Checksums first (Demers: compare checksums, exchange
 * only on a difference):
 *   A → B  ae { sum, mapSum }                      B in sync: no answer (one frame per exchange)
 *   B → A  ae-reply { digest_B, entries_B? }       entries when maps differ and mode ≠ push
 *   A → B  ae-push { what B lacks (mode ≠ pull), entries_A?, digest_A (mode ≠ push, if A lacks something) }
 *   B → A  ae-push { what A lacks }                only when A sent its digest
 *
 * Adaptive (maxPeriodMs > periodMs): a node in sync with everyone learns nothing from an exchange,
 * so while its exchanges repair nothing it doubles its period up to maxPeriodMs (idle cost: one frame
 * per maxPeriodMs); an exchange that moves an update or a map entry either way resets it to periodMs
 * at once (the timer is re-armed), so a partition heal or a rumor that missed someone is repaired
 * at the fast rate. Rumors arriving do not reset it: rumor mongering spreads them, and anti-entropy
 * only has to catch what it missed. To catch it soon, a new rumor arms one follow-up exchange
 * followUpMs (default 2 × periodMs) later (once rumor mongering has had time to finish; several rumors share it) with a
 * peer that took no part in this node's rumor traffic since the last exchange: the peers it pushed to
 * and heard from have the rumor, a node that missed it is among the others. So an idle node costs a
 * frame per maxPeriodMs, a busy one about one more frame per broadcast, and a node that a rumor
 * missed is found within a few hundred milliseconds instead of maxPeriodMs.
 */
import type { PeerRef } from '../overlay/types.js'
import type { GossipContext } from './context.js'
import { indexDigest } from './seen.js'
import type { AeMode, DigestEntry, MapEntryWire, Update } from './types.js'

const AE = 'ae'

export class AntiEntropy {
  /** Partners in an exchange we answered, and the mode they asked for (bounded, cleared by gc). */
  private readonly modes = new Map<string, AeMode>()
  /** The current period (between periodMs and maxPeriodMs). */
  private interval: number
  /** Did anything get repaired, either way, since the last exchange we opened? */
  private found = false
  private readonly adaptive: boolean
  /** When the armed timer fires (ms, env clock). */
  private dueAt = Infinity
  /** Is the armed timer a follow-up to rumor traffic? */
  private followUp = false
  /** Peers in this node's rumor traffic since the last exchange (they have what was spread). */
  private readonly involved = new Set<string>()

  constructor (private readonly ctx: GossipContext) {
    this.interval = ctx.o.antiEntropy.periodMs
    this.adaptive = ctx.o.antiEntropy.maxPeriodMs > ctx.o.antiEntropy.periodMs
  }

  private arm (delay: number): void {
    this.dueAt = this.ctx.env.now() + delay
    this.ctx.env.setTimer(AE, delay)
  }

  /** Rumor traffic with `peer` (we pushed to it, or it pushed a new update to us). */
  involve (peer: string): void {
    if (this.adaptive && this.involved.size < 4096) this.involved.add(peer)
  }

  /** A new rumor here: make sure an exchange follows soon (adaptive only). */
  rumorArrived (): void {
    if (!this.adaptive || this.followUp || !this.ctx.running()) return
    const delay = this.ctx.nextDelay(this.ctx.o.antiEntropy.followUpMs)
    if (this.ctx.env.now() + delay >= this.dueAt) return
    this.followUp = true
    this.arm(delay)
  }

  /** The current anti-entropy period (adaptive). */
  get periodMs (): number { return this.interval }

  static readonly TIMER = AE

  start (): void {
    const period = this.ctx.o.antiEntropy.periodMs
    if (period > 0) this.arm(this.ctx.firstDelay(period))
  }

  stop (): void {
    this.ctx.env.clearTimer(AE)
    this.dueAt = Infinity
    this.followUp = false
  }

  onTimer (): void {
    const { periodMs, maxPeriodMs } = this.ctx.o.antiEntropy
    // a follow-up that finds nothing does not lengthen the period: it was not a regular exchange
    if (this.found) this.interval = periodMs
    else if (!this.followUp) this.interval = Math.min(maxPeriodMs, 2 * this.interval)
    this.found = false
    this.followUp = false
    this.exchange()
    this.arm(this.ctx.nextDelay(this.interval))
  }

  /** Something was repaired: back to the fast period, now. */
  private repaired (): void {
    this.found = true
    const { periodMs } = this.ctx.o.antiEntropy
    if (this.interval > periodMs && this.ctx.running()) {
      this.interval = periodMs
      this.arm(this.ctx.nextDelay(periodMs))
    }
  }

  /** Forget half-open exchanges (housekeeping). */
  gc (): void { this.modes.clear() }

  private exchange (): void {
    const p = this.partner()
    if (p === undefined) return
    this.ctx.env.stats.inc('gossip:ae-contacts')
    this.open(p)
  }

  /** A random partner; adaptive, preferably one outside our recent rumor traffic (it may have missed something). */
  private partner (): PeerRef | undefined {
    const rng = this.ctx.env.rng
    if (this.adaptive && this.involved.size > 0) {
      const others = this.ctx.membership.peers().filter(p => !this.involved.has(p.id))
      this.involved.clear()
      if (others.length > 0) return others[rng.int(others.length)]
    }
    return this.ctx.membership.pick(rng, 1)[0]
  }

  /** Open an exchange with `p` (also how a lost peer is probed). */
  open (p: PeerRef): void {
    this.ctx.env.send(p, { type: 'ae', mode: this.ctx.o.antiEntropy.mode, sum: this.digestSum(), mapSum: this.ctx.map.checksum })
  }

  private since (): number { return this.ctx.env.now() - this.ctx.o.ttlMs }
  private digest (): DigestEntry[] { return this.ctx.seen.digest(this.since()) }
  private digestSum (): number { return this.ctx.seen.digestSum(this.since()) }
  private maxEntries (): number { return 4 * this.ctx.o.maxUpdatesPerMessage }

  onAe (from: PeerRef, mode: AeMode, sum: number, mapSum: number): void {
    const { env, map } = this.ctx
    const mine = map.checksum
    if (sum === this.digestSum() && mapSum === mine) {
      env.stats.inc('gossip:ae-in-sync')
      return
    }
    if (this.modes.size >= 1024) this.modes.clear()
    this.modes.set(from.id, mode)
    const entries = mine !== mapSum && mode !== 'push' ? map.toWire(this.maxEntries()) : undefined
    env.send(from, { type: 'ae-reply', digest: this.digest(), mapSum: mine, ...(entries !== undefined ? { entries } : {}) })
  }

  onAeReply (from: PeerRef, digest: readonly DigestEntry[], mapSum: number, entries: readonly MapEntryWire[] | undefined): void {
    const { env, map, o } = this.ctx
    const mode = o.antiEntropy.mode
    const merged = entries !== undefined ? this.ctx.mergeEntries(from, entries) : 0
    const updates = mode === 'pull' ? [] : this.missingFrom(digest)
    const sendEntries = mode !== 'pull' && map.checksum !== mapSum
    const ask = mode !== 'push' && !this.ctx.seen.covers(digest)
    if (merged > 0 || updates.length > 0 || ask) this.repaired()
    if (updates.length === 0 && !sendEntries && !ask) return
    env.stats.inc('gossip:ae-updates', updates.length)
    env.send(from, {
      type: 'ae-push',
      updates,
      ...(sendEntries ? { entries: map.toWire(this.maxEntries()) } : {}),
      ...(ask ? { digest: this.digest() } : {})
    })
  }

  onAePush (from: PeerRef, updates: readonly Update[], entries: readonly MapEntryWire[] | undefined, digest: readonly DigestEntry[] | undefined): void {
    const env = this.ctx.env
    const { fresh } = this.ctx.receiveAll(from, updates, 'ae')
    const merged = entries !== undefined ? this.ctx.mergeEntries(from, entries) : 0
    if (fresh.length > 0 || merged > 0) this.repaired()
    if (digest === undefined) return
    // the initiator asks for what it lacks; only answer an exchange we took part in (not a push-only one)
    const mode = this.modes.get(from.id)
    this.modes.delete(from.id)
    if (mode === undefined || mode === 'push') { env.stats.inc('gossip:unsolicited'); return }
    const missing = this.missingFrom(digest)
    if (missing.length === 0) return
    this.repaired()
    env.stats.inc('gossip:ae-updates', missing.length)
    env.send(from, { type: 'ae-push', updates: missing })
  }

  /** Stored, unexpired updates the digest's owner lacks (at most maxUpdatesPerMessage). */
  private missingFrom (digest: readonly DigestEntry[]): Update[] {
    return this.ctx.store.missingFrom(indexDigest(digest), this.since())
  }
}
