/** A token bucket as plain data (per leaf, many of them): `rate` tokens per second up to `burst`. Time from the caller. */
export interface Bucket { tokens: number, at: number }

export function bucket (burst: number, now: number): Bucket { return { tokens: burst, at: now } }

/** Take `n` tokens; false (and nothing taken) when there are not enough. */
export function take (b: Bucket, n: number, now: number, rate: number, burst: number): boolean {
  b.tokens = Math.min(burst, b.tokens + Math.max(0, now - b.at) * rate / 1000)
  b.at = now
  if (b.tokens < n) return false
  b.tokens -= n
  return true
}
