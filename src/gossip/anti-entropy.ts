/**
 * Anti-entropy, the SI backup of rumor mongering: now and then a node compares digests with one
 * random partner and repairs the difference. Checksums first (Demers: compare checksums, exchange
 * only on a difference):
 *   A → B  ae { sum, mapSum }                      B in sync: no answer (one frame per exchange)
 *   B → A  ae-reply { digest_B, entries_B? }       entries when maps differ and mode ≠ push
 *   A → B  ae-push { what B lacks (mode ≠ pull), entries_A?, digest_A (mode ≠ push, if A lacks something) }
 *   B → A  ae-push { what A lacks }                only when A sent its digest
 */
import type { PeerRef } from '../overlay/types.js'
import type { GossipContext } from './context.js'
import { indexDigest } from './seen.js'
import type { AeMode, DigestEntry, MapEntryWire, Update } from './types.js'

const AE = 'ae'

export class AntiEntropy {
  /** Partners in an exchange we answered, and the mode they asked for (bounded, cleared by gc). */
  private readonly modes = new Map<string, AeMode>()

  constructor (private readonly ctx: GossipContext) {}

  static readonly TIMER = AE

  start (): void {
    const period = this.ctx.o.antiEntropy.periodMs
    if (period > 0) this.ctx.env.setTimer(AE, this.ctx.firstDelay(period))
  }

  stop (): void { this.ctx.env.clearTimer(AE) }

  onTimer (): void {
    this.exchange()
    this.ctx.env.setTimer(AE, this.ctx.nextDelay(this.ctx.o.antiEntropy.periodMs))
  }

  /** Forget half-open exchanges (housekeeping). */
  gc (): void { this.modes.clear() }

  private exchange (): void {
    const p = this.ctx.membership.pick(this.ctx.env.rng, 1)[0]
    if (p === undefined) return
    this.ctx.env.stats.inc('gossip:ae-contacts')
    this.open(p)
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
    if (entries !== undefined) this.ctx.mergeEntries(from, entries)
    const updates = mode === 'pull' ? [] : this.missingFrom(digest)
    const sendEntries = mode !== 'pull' && map.checksum !== mapSum
    const ask = mode !== 'push' && !this.ctx.seen.covers(digest)
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
    this.ctx.receiveAll(from, updates, 'ae')
    if (entries !== undefined) this.ctx.mergeEntries(from, entries)
    if (digest === undefined) return
    // the initiator asks for what it lacks; only answer an exchange we took part in (not a push-only one)
    const mode = this.modes.get(from.id)
    this.modes.delete(from.id)
    if (mode === undefined || mode === 'push') { env.stats.inc('gossip:unsolicited'); return }
    const missing = this.missingFrom(digest)
    if (missing.length === 0) return
    env.stats.inc('gossip:ae-updates', missing.length)
    env.send(from, { type: 'ae-push', updates: missing })
  }

  /** Stored, unexpired updates the digest's owner lacks (at most maxUpdatesPerMessage). */
  private missingFrom (digest: readonly DigestEntry[]): Update[] {
    return this.ctx.store.missingFrom(indexDigest(digest), this.since())
  }
}
