/** A token bucket refilled lazily from a monotonic clock: `take(n)` is a few arithmetic operations. */
import type { RateLimit } from '../../overlay/resources.js'

export class TokenBucket {
  private tokens: number
  private last: number

  constructor (private readonly limit: RateLimit, now: number) {
    this.tokens = limit.burst
    this.last = now
  }

  /** Takes `n` tokens if there are that many (refilling first); false leaves the bucket as it was. */
  take (n: number, now: number): boolean {
    if (this.tokens < n) {
      const dt = now - this.last
      this.last = now
      this.tokens = Math.min(this.limit.burst, this.tokens + dt * this.limit.perSec / 1000)
      if (this.tokens < n) return false
    }
    this.tokens -= n
    return true
  }

  /** Ms until `n` tokens are there (after a failed take, which refilled up to `now`). */
  waitMs (n: number): number {
    return Math.max(1, Math.ceil((Math.min(n, this.limit.burst) - this.tokens) * 1000 / this.limit.perSec))
  }
}
