/**
 * Counters and histograms. Drivers count messages by type (sent, received, bytes, dropped);
 * machines add their own counters (`inc`) and distributions (`observe`).
 */

export interface Summary {
  count: number
  mean: number
  min: number
  p1: number
  p50: number
  p99: number
  max: number
}

/** Stores every sample (Float64Array, grown by doubling) so percentiles are exact. */
export class Histogram {
  private values = new Float64Array(16)
  private n = 0
  private sum = 0
  private sorted = true

  add (v: number): void {
    if (this.n === this.values.length) {
      const grown = new Float64Array(this.values.length * 2)
      grown.set(this.values)
      this.values = grown
    }
    this.values[this.n++] = v
    this.sum += v
    this.sorted = false
  }

  get count (): number { return this.n }
  get mean (): number { return this.n === 0 ? 0 : this.sum / this.n }

  /** Nearest-rank percentile, q in [0, 100]. */
  percentile (q: number): number {
    if (this.n === 0) return 0
    this.sort()
    const rank = Math.min(this.n - 1, Math.max(0, Math.ceil((q / 100) * this.n) - 1))
    return this.values[rank]
  }

  summary (): Summary {
    if (this.n === 0) return { count: 0, mean: 0, min: 0, p1: 0, p50: 0, p99: 0, max: 0 }
    this.sort()
    return {
      count: this.n,
      mean: this.mean,
      min: this.values[0],
      p1: this.percentile(1),
      p50: this.percentile(50),
      p99: this.percentile(99),
      max: this.values[this.n - 1]
    }
  }

  /** Counts per integer value (for hop PDFs): index i = samples equal to i (rounded). */
  pdf (): number[] {
    const out: number[] = []
    for (let i = 0; i < this.n; i++) {
      const k = Math.round(this.values[i])
      while (out.length <= k) out.push(0)
      out[k]++
    }
    return out.map(c => c / Math.max(1, this.n))
  }

  samples (): Float64Array {
    return this.values.slice(0, this.n)
  }

  private sort (): void {
    if (this.sorted) return
    const view = this.values.subarray(0, this.n)
    view.sort()
    this.sorted = true
  }
}

export interface MessageCounters {
  sent: number
  received: number
  bytesSent: number
  bytesReceived: number
  dropped: number
}

export class Stats {
  readonly messages = new Map<string, MessageCounters>()
  readonly counters = new Map<string, number>()
  readonly histograms = new Map<string, Histogram>()

  // the last two message types looked up: a driver counts every message, and most runs send few
  // types (ping and pong), so a string identity check saves a Map lookup per message
  private t0: string | undefined = undefined
  private c0: MessageCounters | undefined = undefined
  private t1: string | undefined = undefined
  private c1: MessageCounters | undefined = undefined

  private msg (type: string): MessageCounters {
    if (type === this.t0) return this.c0 as MessageCounters
    if (type === this.t1) return this.c1 as MessageCounters
    let c = this.messages.get(type)
    if (c === undefined) {
      c = { sent: 0, received: 0, bytesSent: 0, bytesReceived: 0, dropped: 0 }
      this.messages.set(type, c)
    }
    this.t1 = this.t0; this.c1 = this.c0; this.t0 = type; this.c0 = c
    return c
  }

  sent (type: string, bytes = 0): void { const c = this.msg(type); c.sent++; c.bytesSent += bytes }
  received (type: string, bytes = 0): void { const c = this.msg(type); c.received++; c.bytesReceived += bytes }
  /** A message (or frame) dropped; `type` may be a reason like 'decode-error' or 'queue-full'. */
  dropped (type: string): void { this.msg(type).dropped++ }

  inc (name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by)
  }

  get (name: string): number {
    return this.counters.get(name) ?? 0
  }

  observe (name: string, value: number): void {
    this.histogram(name).add(value)
  }

  histogram (name: string): Histogram {
    let h = this.histograms.get(name)
    if (h === undefined) { h = new Histogram(); this.histograms.set(name, h) }
    return h
  }

  totals (): MessageCounters {
    const t: MessageCounters = { sent: 0, received: 0, bytesSent: 0, bytesReceived: 0, dropped: 0 }
    for (const c of this.messages.values()) {
      t.sent += c.sent; t.received += c.received; t.bytesSent += c.bytesSent
      t.bytesReceived += c.bytesReceived; t.dropped += c.dropped
    }
    return t
  }

  reset (): void {
    this.messages.clear(); this.counters.clear(); this.histograms.clear()
    this.t0 = undefined; this.c0 = undefined; this.t1 = undefined; this.c1 = undefined
  }

  toJSON (): Record<string, unknown> {
    const hist: Record<string, Summary> = {}
    for (const [k, h] of this.histograms) hist[k] = h.summary()
    return {
      messages: Object.fromEntries(this.messages),
      counters: Object.fromEntries(this.counters),
      histograms: hist
    }
  }
}
