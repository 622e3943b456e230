/**
 * The seen-set: which updates a node already has, per origin as a contiguous watermark (every
 * seq ≤ watermark) plus the few seqs above it that arrived out of order. It is what makes delivery
 * exactly-once (a replay is recognised forever, not only while the update is stored), and it is
 * the anti-entropy digest, so digests stay a few bytes per active origin.
 *
 * Bounded: gaps below an out-of-order seq whose update has expired can never be filled, so the
 * watermark jumps over them (`expireGaps`); `maxExtra` caps the out-of-order seqs per origin and
 * `maxOrigins` the origins tracked (the least recently active origin with no live update goes).
 */
import type { DigestEntry } from './types.js'

interface OriginState {
  watermark: number
  /** Seqs above the watermark that we have, with their update time (for gap expiry). */
  extra: Map<number, number>
  /** Newest update time seen from this origin. */
  lastTime: number
}

export interface SeenOptions {
  /** Out-of-order seqs kept per origin before the watermark is forced up. @default 4096 */
  maxExtra?: number
  /** Origins tracked. @default 100000 */
  maxOrigins?: number
}

export class SeenSet {
  private readonly origins = new Map<string, OriginState>()
  private readonly maxExtra: number
  private readonly maxOrigins: number
  /** Seqs treated as seen without ever arriving (expired or forced gaps). */
  skipped = 0

  constructor (options: SeenOptions = {}) {
    this.maxExtra = options.maxExtra ?? 4096
    this.maxOrigins = options.maxOrigins ?? 100_000
  }

  has (origin: string, seq: number): boolean {
    const o = this.origins.get(origin)
    if (o === undefined) return false
    return seq <= o.watermark || o.extra.has(seq)
  }

  /** Record (origin, seq); false when it was already there. */
  add (origin: string, seq: number, time: number): boolean {
    let o = this.origins.get(origin)
    if (o === undefined) {
      if (this.origins.size >= this.maxOrigins) this.evictOne()
      o = { watermark: 0, extra: new Map(), lastTime: time }
      this.origins.set(origin, o)
    }
    if (seq <= o.watermark || o.extra.has(seq)) return false
    if (time > o.lastTime) {
      o.lastTime = time
      // most recently active last, so the first origin is the one silent the longest (see admit)
      this.origins.delete(origin)
      this.origins.set(origin, o)
    }
    if (seq === o.watermark + 1) {
      o.watermark = seq
      this.advance(o)
    } else {
      o.extra.set(seq, time)
      if (o.extra.size > this.maxExtra) {
        // force the watermark up to the lowest out-of-order seq; the gap counts as seen
        const low = Math.min(...o.extra.keys())
        this.skipped += low - o.watermark - 1
        o.watermark = low - 1
        this.advance(o)
      }
    }
    return true
  }

  /**
   * May `origin` be tracked? Yes if it is, or there is room, or the origin silent the longest has been
   * silent since before `since` (the start of the TTL window: a replay of its updates is refused as
   * expired, so forgetting it loses nothing). Otherwise no: a flood of fresh origins must not make
   * this node forget what it delivered within the window.
   */
  admit (origin: string, since: number): boolean {
    if (this.origins.has(origin) || this.origins.size < this.maxOrigins) return true
    const first = this.origins.entries().next()
    if (first.done === true || first.value[1].lastTime >= since) return false
    this.origins.delete(first.value[0])
    return true
  }

  /** The highest seq seen from an origin (0 if none). */
  highest (origin: string): number {
    const o = this.origins.get(origin)
    if (o === undefined) return 0
    let h = o.watermark
    for (const s of o.extra.keys()) if (s > h) h = s
    return h
  }

  /** The contiguous watermark of an origin (0 if none). */
  watermark (origin: string): number {
    return this.origins.get(origin)?.watermark ?? 0
  }

  /**
   * Jump over gaps that can no longer be filled: a missing seq is older than the out-of-order seq
   * above it (origins number their updates in time order), so once that one is older than
   * `expiredBefore` the missing ones have expired too.
   */
  expireGaps (expiredBefore: number): void {
    for (const o of this.origins.values()) {
      if (o.extra.size === 0) continue
      let lowest = Infinity
      let lowestTime = 0
      for (const [s, t] of o.extra) if (s < lowest) { lowest = s; lowestTime = t }
      if (lowestTime < expiredBefore) {
        this.skipped += lowest - o.watermark - 1
        o.watermark = lowest - 1
        this.advance(o)
        if (o.extra.size > 0) this.expireGaps(expiredBefore)
      }
    }
  }

  /** Digest entries for origins active since `since` (older ones have nothing left to repair). */
  digest (since: number): DigestEntry[] {
    const out: DigestEntry[] = []
    for (const [origin, o] of this.origins) {
      if (o.lastTime < since) continue
      out.push({ origin, watermark: o.watermark, extra: o.extra.size === 0 ? [] : [...o.extra.keys()] })
    }
    return out
  }

  /**
   * A 53-bit checksum of `digest(since)`, independent of order: two nodes with the same checksum have
   * (almost surely) seen the same updates, and anti-entropy stops there.
   */
  digestSum (since: number): number {
    let h1 = 0; let h2 = 0
    for (const [origin, o] of this.origins) {
      if (o.lastTime < since) continue
      let a = hashStr(origin, 0x811c9dc5) ^ Math.imul(o.watermark, 0x9e3779b1)
      let b = hashStr(origin, 0x01234567) ^ Math.imul(o.watermark + 0x7f4a7c15, 0x85ebca6b)
      for (const x of o.extra.keys()) { a ^= fmix(x * 2 + 1); b ^= fmix(x ^ 0x5bd1e995) }
      h1 ^= fmix(a); h2 ^= fmix(b)
    }
    return (h1 >>> 0) * 2097152 + (h2 >>> 11)
  }

  /** Do we have everything the digest lists? (A gap below the digest's watermark counts as missing.) */
  covers (digest: readonly DigestEntry[]): boolean {
    for (const e of digest) {
      const o = this.origins.get(e.origin)
      const w = o?.watermark ?? 0
      if (e.watermark > w) return false
      for (const x of e.extra) if (x > w && o?.extra.has(x) !== true) return false
    }
    return true
  }

  get size (): number { return this.origins.size }

  private advance (o: OriginState): void {
    while (o.extra.has(o.watermark + 1)) {
      o.extra.delete(o.watermark + 1)
      o.watermark++
    }
  }

  /** Forget the origin silent the longest (callers that must not forget within a window use `admit` first). */
  private evictOne (): void {
    const first = this.origins.keys().next()
    if (first.done !== true) this.origins.delete(first.value)
  }
}

/** Does a digest say its owner has (origin, seq)? Index the digest first with `indexDigest`. */
export function digestHas (index: Map<string, DigestEntry & { set?: Set<number> }>, origin: string, seq: number): boolean {
  const e = index.get(origin)
  if (e === undefined) return false
  if (seq <= e.watermark) return true
  if (e.extra.length === 0) return false
  e.set ??= new Set(e.extra)
  return e.set.has(seq)
}

export function indexDigest (digest: readonly DigestEntry[]): Map<string, DigestEntry & { set?: Set<number> }> {
  const m = new Map<string, DigestEntry & { set?: Set<number> }>()
  for (const e of digest) m.set(e.origin, { ...e })
  return m
}

function hashStr (s: string, h: number): number {
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) }
  return h >>> 0
}

function fmix (h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}
