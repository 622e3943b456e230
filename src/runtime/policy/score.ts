/**
 * A peer's score: penalties add up and decay exponentially (half-life), as in gossipsub v1.1's
 * behaviour penalty. Computed lazily when a penalty arrives, so an idle peer costs nothing.
 */
import type { ScorePolicy } from '../../overlay/resources.js'

export class PeerScore {
  private value = 0
  private at = 0
  /** When the score last rose from zero (the first offence of this episode). */
  since = 0

  constructor (private readonly policy: ScorePolicy) {}

  /** The score at `now`. */
  current (now: number): number {
    if (this.value === 0) return 0
    const dt = now - this.at
    if (dt > 0) {
      this.value *= 0.5 ** (dt / this.policy.halfLifeMs)
      this.at = now
      if (this.value < 1e-3) { this.value = 0; this.since = 0 }
    }
    return this.value
  }

  /** Adds `weight`; true when the score is now past the threshold. */
  add (weight: number, now: number): boolean {
    if (this.current(now) === 0) this.since = now
    this.value += weight
    this.at = now
    return this.value >= this.policy.threshold
  }
}
