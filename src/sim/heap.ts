/**
 * Binary min-heap of events ordered by (time, seq). `seq` is the insertion counter, so events at
 * equal times run in insertion order and a run is reproducible from its seed.
 * Keys live in typed arrays (cache-friendly comparisons); items in a parallel array.
 */
export interface HeapItem {
  t: number
  seq: number
}

export class EventHeap<T extends HeapItem> {
  private ts = new Float64Array(1024)
  private ss = new Float64Array(1024)
  private items: Array<T | undefined> = new Array(1024)
  private n = 0

  get size (): number { return this.n }

  peek (): T | undefined { return this.n > 0 ? this.items[0] : undefined }

  /** Time of the earliest item, or Infinity. */
  peekTime (): number { return this.n > 0 ? this.ts[0] : Infinity }

  push (item: T): void {
    if (this.n === this.ts.length) this.grow()
    const ts = this.ts; const ss = this.ss; const items = this.items
    const t = item.t; const s = item.seq
    let i = this.n++
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = ts[p]
      if (pt < t || (pt === t && ss[p] < s)) break
      ts[i] = pt; ss[i] = ss[p]; items[i] = items[p]
      i = p
    }
    ts[i] = t; ss[i] = s; items[i] = item
  }

  pop (): T | undefined {
    if (this.n === 0) return undefined
    const ts = this.ts; const ss = this.ss; const items = this.items
    const top = items[0]
    const n = --this.n
    if (n > 0) {
      const t = ts[n]; const s = ss[n]; const item = items[n]
      let i = 0
      for (;;) {
        let c = 2 * i + 1
        if (c >= n) break
        const r = c + 1
        if (r < n && (ts[r] < ts[c] || (ts[r] === ts[c] && ss[r] < ss[c]))) c = r
        const ct = ts[c]
        if (t < ct || (t === ct && s < ss[c])) break
        ts[i] = ct; ss[i] = ss[c]; items[i] = items[c]
        i = c
      }
      ts[i] = t; ss[i] = s; items[i] = item
    }
    items[n] = undefined
    return top
  }

  clear (): void {
    this.items.fill(undefined, 0, this.n)
    this.n = 0
  }

  private grow (): void {
    const size = this.ts.length * 2
    const ts = new Float64Array(size); ts.set(this.ts); this.ts = ts
    const ss = new Float64Array(size); ss.set(this.ss); this.ss = ss
    this.items.length = size
  }
}
