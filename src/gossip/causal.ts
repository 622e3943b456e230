/**
 * Causal delivery with vector timestamps (the causal-multicast rule): an update carries, per origin,
 * the highest seq its publisher had delivered when it published (its own previous seq included, for
 * FIFO). A receiver holds it back until it has delivered at least that much from every origin.
 *
 * Meant for small groups: every update carries up to `maxGroup` entries, so the group size is
 * limited to `maxGroup` publishers (default 32). Causality holds within the update TTL: a held-back
 * update whose predecessor never arrives is dropped when it expires (counted), and its successors
 * are then no longer blocked by it.
 */
import type { Dep, Update } from './types.js'

export class CausalBuffer {
  private readonly delivered = new Map<string, number>()
  private pending: Update[] = []
  /** Held-back updates dropped at expiry. */
  expired = 0

  constructor (readonly maxGroup = 32, private readonly maxPending = 10_000) {}

  /** The vector timestamp for a new local update. Throws if the group grew beyond maxGroup. */
  deps (): Dep[] {
    const out: Dep[] = []
    for (const [origin, seq] of this.delivered) if (seq > 0) out.push({ origin, seq })
    if (out.length > this.maxGroup) throw new RangeError(`causal group of ${out.length} publishers exceeds maxGroup ${this.maxGroup}`)
    return out
  }

  /** Mark a local update delivered (we delivered it to ourselves when publishing). */
  local (origin: string, seq: number): void {
    if ((this.delivered.get(origin) ?? 0) < seq) this.delivered.set(origin, seq)
  }

  get held (): number { return this.pending.length }

  /** Offer a received update; returns every update now deliverable, in a causal order. */
  offer (u: Update): Update[] {
    if (!this.ready(u)) {
      if (this.pending.length >= this.maxPending) { this.expired++; return [] }
      this.pending.push(u)
      return []
    }
    const out = [u]
    this.mark(u)
    this.drain(out)
    return out
  }

  /** Drop held-back updates older than `expiredBefore`; returns updates that became deliverable. */
  expire (expiredBefore: number): Update[] {
    const keep: Update[] = []
    for (const u of this.pending) {
      if (u.time < expiredBefore) { this.expired++; this.local(u.origin, u.seq) } else keep.push(u)
    }
    this.pending = keep
    const out: Update[] = []
    this.drain(out)
    return out
  }

  private ready (u: Update): boolean {
    const self = this.delivered.get(u.origin) ?? 0
    if (u.seq <= self) return true // a duplicate would not reach here; late ones are not held
    for (const d of u.deps ?? []) {
      if ((this.delivered.get(d.origin) ?? 0) < d.seq) return false
    }
    // FIFO: deps carry the origin's own previous seq when it had one
    return true
  }

  private mark (u: Update): void { this.local(u.origin, u.seq) }

  private drain (out: Update[]): void {
    let progress = true
    while (progress && this.pending.length > 0) {
      progress = false
      for (let i = 0; i < this.pending.length; i++) {
        const u = this.pending[i]
        if (this.ready(u)) {
          this.pending.splice(i, 1)
          this.mark(u)
          out.push(u)
          progress = true
          break
        }
      }
    }
  }
}
