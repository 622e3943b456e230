/**
 * Seeded pseudo-random numbers (sfc32). Deterministic across platforms; `fork(label)` derives an
 * independent stream so each node's choices do not depend on how many draws other nodes made.
 */

function hashString (s: string, seed: number): number {
  // FNV-1a then a murmur3 finalizer, so short labels spread well
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h >>> 0
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  /** The seed this stream was made from (a label path for forks), for reports. */
  readonly seed: string

  constructor (seed: number | string = 1) {
    this.seed = String(seed)
    // the state is kept as int32 (the same bits as the uint32 values of sfc32): small integers stay in
    // the object, where uint32 values above 2^31 were boxed numbers (four more cache misses per draw
    // from a cold per-node Rng in the simulator)
    this.a = hashString(this.seed, 1) | 0
    this.b = hashString(this.seed, 2) | 0
    this.c = hashString(this.seed, 3) | 0
    this.d = hashString(this.seed, 4) | 1
    for (let i = 0; i < 12; i++) this.u32()
  }

  /** A new independent stream derived from this one's seed and a label (does not advance this one). */
  fork (label: string | number): Rng {
    return new Rng(`${this.seed}/${label}`)
  }

  /** Uniform 32-bit unsigned integer. */
  u32 (): number {
    const t = (this.a + this.b + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (((this.c << 21) | (this.c >>> 11)) + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1) with 53 bits. */
  next (): number {
    const hi = this.u32() >>> 5
    const lo = this.u32() >>> 6
    return (hi * 67108864 + lo) / 9007199254740992
  }

  /** Uniform integer in [0, n). */
  int (n: number): number {
    if (n <= 0) throw new RangeError('Rng.int needs n > 0')
    return Math.floor(this.next() * n)
  }

  /** Uniform real in [min, max). */
  range (min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** True with probability p. */
  bool (p = 0.5): boolean {
    return this.next() < p
  }

  pick<T> (items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick from an empty list')
    return items[this.int(items.length)]
  }

  /** Fisher–Yates in place; returns the array. */
  shuffle<T> (items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = items[i]; items[i] = items[j]; items[j] = t
    }
    return items
  }

  /** k distinct items (k clipped to the list length). */
  sample<T> (items: readonly T[], k: number): T[] {
    const copy = items.slice()
    const n = Math.min(k, copy.length)
    for (let i = 0; i < n; i++) {
      const j = i + this.int(copy.length - i)
      const t = copy[i]; copy[i] = copy[j]; copy[j] = t
    }
    return copy.slice(0, n)
  }

  bytes (n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i += 4) {
      const v = this.u32()
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff
    }
    return out
  }

  exponential (mean: number): number {
    return -mean * Math.log(1 - this.next())
  }

  /** Standard normal (Box–Muller). */
  normal (): number {
    const u = 1 - this.next()
    const v = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** Log-normal with the given median and shape sigma. */
  lognormal (median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal())
  }

  /** Weibull with shape k and scale lambda. */
  weibull (shape: number, scale: number): number {
    return scale * Math.pow(-Math.log(1 - this.next()), 1 / shape)
  }

  /** Pareto with shape alpha and minimum xm. */
  pareto (alpha: number, xm: number): number {
    return xm / Math.pow(1 - this.next(), 1 / alpha)
  }
}
