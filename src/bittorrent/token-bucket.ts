/** A token bucket for rate limits: `rate` bytes/s, bursts up to `capacity`. Time comes from the caller (env.now). */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor (readonly rate: number, readonly capacity: number, now: number) {
    this.tokens = capacity
    this.last = now
  }

  private refill (now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.rate) / 1000)
      this.last = now
    }
  }

  available (now: number): number { this.refill(now); return this.tokens }

  /** Take `n` tokens if there are enough. */
  tryTake (n: number, now: number): boolean {
    this.refill(now)
    // a request larger than the bucket may go once the bucket is full, else it would wait forever
    if (this.tokens >= n || this.tokens >= this.capacity) { this.tokens -= n; return true }
    return false
  }

  /** Take unconditionally (may go negative: the debt delays what follows). */
  take (n: number, now: number): void { this.refill(now); this.tokens -= n }

  /** Milliseconds until `n` tokens are there. */
  waitMs (n: number, now: number): number {
    this.refill(now)
    const need = Math.min(n, this.capacity) - this.tokens
    return need <= 0 ? 0 : Math.ceil((need * 1000) / this.rate)
  }
}
