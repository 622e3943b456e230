/**
 * Indexed binary min-heap of events ordered by (time, seq). `seq` is the insertion counter, so events
 * at equal times run in insertion order and a run is reproducible from its seed. Every queued item
 * knows its slot (`pos`), so a cancelled timer is removed in O(log n) instead of waiting in the queue
 * until its time (at 10^5 ping nodes 84 % of the queue used to be such dead timers).
 * Keys live in typed arrays (cache-friendly comparisons); items in a parallel array.
 */
export interface HeapItem {
  t: number
  seq: number
  /** Slot in the heap while queued, -1 (or absent) otherwise; maintained by the heap. */
  pos?: number
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
    this.up(this.n++, item, item.t, item.seq)
  }

  pop (): T | undefined {
    if (this.n === 0) return undefined
    const top = this.items[0] as T
    this.removeAt(0)
    return top
  }

  /** Take `item` out of the queue; false when it is not queued here. */
  remove (item: T): boolean {
    const i = item.pos
    if (i === undefined || i < 0 || i >= this.n || this.items[i] !== item) return false
    this.removeAt(i)
    return true
  }

  /** True while `item` is queued here. */
  has (item: T): boolean {
    const i = item.pos
    return i !== undefined && i >= 0 && i < this.n && this.items[i] === item
  }

  clear (): void {
    for (let i = 0; i < this.n; i++) (this.items[i] as T).pos = -1
    this.items.fill(undefined, 0, this.n)
    this.n = 0
  }

  private removeAt (i: number): void {
    const items = this.items
    const gone = items[i] as T
    gone.pos = -1
    const n = --this.n
    if (i < n) {
      // the last item fills the hole, then moves up or down to its place
      const t = this.ts[n]; const s = this.ss[n]; const item = items[n] as T
      const p = (i - 1) >> 1
      if (i > 0 && (this.ts[p] > t || (this.ts[p] === t && this.ss[p] > s))) this.up(i, item, t, s)
      else this.down(i, item, t, s, n)
    }
    items[n] = undefined
  }

  private up (i: number, item: T, t: number, s: number): void {
    const ts = this.ts; const ss = this.ss; const items = this.items
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = ts[p]
      if (pt < t || (pt === t && ss[p] < s)) break
      const moved = items[p] as T
      ts[i] = pt; ss[i] = ss[p]; items[i] = moved; moved.pos = i
      i = p
    }
    ts[i] = t; ss[i] = s; items[i] = item; item.pos = i
  }

  private down (i: number, item: T, t: number, s: number, n: number): void {
    const ts = this.ts; const ss = this.ss; const items = this.items
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      const r = c + 1
      if (r < n && (ts[r] < ts[c] || (ts[r] === ts[c] && ss[r] < ss[c]))) c = r
      const ct = ts[c]
      if (t < ct || (t === ct && s < ss[c])) break
      const moved = items[c] as T
      ts[i] = ct; ss[i] = ss[c]; items[i] = moved; moved.pos = i
      i = c
    }
    ts[i] = t; ss[i] = s; items[i] = item; item.pos = i
  }

  private grow (): void {
    const size = this.ts.length * 2
    const ts = new Float64Array(size); ts.set(this.ts); this.ts = ts
    const ss = new Float64Array(size); ss.set(this.ss); this.ss = ss
    this.items.length = size
  }
}
