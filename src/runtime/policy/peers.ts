/**
 * Per-peer enforcement of a ResourcePolicy for one protocol: bytes of incomplete frames held,
 * frames/s and bytes/s buckets, and the decaying score that cuts a peer off. Every check is a few
 * arithmetic operations on a map entry (no allocation, no Error), so a refused frame costs about what
 * an accepted one does. Counted in the driver's Stats under stable names:
 *
 * - dropped: 'over-budget' (stream reset: too much buffered);
 * - counters: 'driver:throttled' (a stream paused over frames/s or bytes/s), 'driver:penalty:<reason>'
 *   (each penalty), 'driver:banned' (peers cut off), 'driver:refused-streams'.
 */
import { TokenBucket } from './bucket.js'
import { PeerScore } from './score.js'
import type { PeerGate } from './gate.js'
import type { ResourcePolicy } from '../../overlay/resources.js'
import type { Stats } from '../../overlay/stats.js'

interface Account {
  buffered: number
  /** Open streams (inbound and outbound) of this protocol with this peer. */
  streams: number
  frames: TokenBucket
  bytes: TokenBucket
  score: PeerScore
}

export interface CutOff {
  peer: string
  reason: string
  score: number
  backoffMs: number
  sinceFirstOffenceMs: number
}

export class PeerPolicy {
  private readonly accounts = new Map<string, Account>()
  /** 'driver:penalty:<reason>' per reason, built once (not a new string per dropped frame). */
  private readonly counterNames = new Map<string, string>()
  /** Bytes of incomplete frames held for every peer together. */
  buffered = 0
  /** Which budget the last refused `hold` would have passed (the reader's owner resets accordingly). */
  lastOver: 'peer' | 'total' | undefined

  constructor (
    readonly policy: ResourcePolicy,
    private readonly gate: PeerGate,
    private readonly stats: Stats,
    private readonly onCutOff: (c: CutOff) => void
  ) {}

  private account (peer: string, now: number): Account {
    let a = this.accounts.get(peer)
    if (a === undefined) {
      const p = this.policy
      a = { buffered: 0, streams: 0, frames: new TokenBucket(p.frames, now), bytes: new TokenBucket(p.bytes, now), score: new PeerScore(p.score) }
      this.accounts.set(peer, a)
    }
    return a
  }

  isRefused (peer: string): boolean { return this.gate.isRefused(peer) }

  streamOpened (peer: string): void { this.account(peer, performance.now()).streams++ }

  streamClosed (peer: string): void {
    const a = this.accounts.get(peer)
    if (a === undefined) return
    a.streams--
    if (a.streams <= 0 && a.buffered === 0 && a.score.current(performance.now()) === 0) this.accounts.delete(peer)
  }

  /** Bytes of incomplete frames held for `peer` now. */
  bufferedOf (peer: string): number { return this.accounts.get(peer)?.buffered ?? 0 }

  /**
   * `delta` more (or, negative, fewer) bytes of incomplete frames held for `peer`. False when taking
   * them would pass the peer's or the protocol's budget (`lastOver` says which): nothing is charged,
   * the caller resets the stream (and, past the peer's own budget, all that peer's streams).
   */
  hold (peer: string, delta: number): boolean {
    const a = this.accounts.get(peer)
    if (a === undefined) return delta <= 0
    if (delta > 0) {
      const overPeer = a.buffered + delta > this.policy.maxBufferedBytesPerPeer
      if (overPeer || this.buffered + delta > this.policy.maxBufferedBytesTotal) {
        this.lastOver = overPeer ? 'peer' : 'total'
        this.stats.dropped('over-budget')
        return false
      }
    }
    a.buffered += delta
    this.buffered += delta
    return true
  }

  /**
   * May `peer` deliver a frame of `bytes` now? 0 = yes (its tokens are taken); otherwise the ms until
   * a quarter of its frame burst (or this frame's bytes) is back: the reader pauses that long. Each
   * such throttle is counted ('driver:throttled') and penalised lightly, so a peer that keeps flooding
   * is cut off while an honest burst only waits.
   */
  admit (peer: string, bytes: number, now: number): number {
    const a = this.accounts.get(peer) ?? this.account(peer, now)
    if (!a.frames.take(1, now)) return this.throttled(peer, a.frames.waitMs(Math.max(1, this.policy.frames.burst / 4)), now)
    if (!a.bytes.take(bytes, now)) return this.throttled(peer, a.bytes.waitMs(bytes), now)
    return 0
  }

  private throttled (peer: string, ms: number, now: number): number {
    this.stats.inc('driver:throttled')
    this.penalize(peer, 'rate-limited', this.policy.score.weights.rateExceeded, now)
    return ms
  }

  /** Adds a penalty; past the threshold the peer is refused and the driver cuts it off. */
  penalize (peer: string, reason: string, weight: number, now: number = performance.now()): void {
    if (weight <= 0) return
    let counter = this.counterNames.get(reason)
    if (counter === undefined) { counter = `driver:penalty:${reason}`; this.counterNames.set(reason, counter) }
    this.stats.inc(counter)
    const a = this.account(peer, now)
    if (!a.score.add(weight, now) || this.gate.isRefused(peer, now)) return
    const s = this.policy.score
    const score = a.score.current(now)
    const backoffMs = this.gate.refuse(peer, s.backoffMs, s.maxBackoffMs, now)
    this.stats.inc('driver:banned')
    this.onCutOff({ peer, reason, score, backoffMs, sinceFirstOffenceMs: Math.round(now - a.score.since) })
  }

  /** The score of `peer` now (0 for a peer never penalised). */
  score (peer: string): number { return this.accounts.get(peer)?.score.current(performance.now()) ?? 0 }

  /** Peers with a score, highest first (for status). */
  scores (limit = 16): Array<{ peer: string, score: number, buffered: number, streams: number }> {
    const now = performance.now()
    const out: Array<{ peer: string, score: number, buffered: number, streams: number }> = []
    for (const [peer, a] of this.accounts) {
      const score = a.score.current(now)
      if (score > 0 || a.buffered > 0) out.push({ peer, score: Math.round(score * 100) / 100, buffered: a.buffered, streams: a.streams })
    }
    return out.sort((x, y) => y.score - x.score).slice(0, limit)
  }

  get peers (): number { return this.accounts.size }

  clear (): void {
    this.accounts.clear()
    this.buffered = 0
  }
}
