/**
 * The event queue: a binary min-heap ordered by (time, seq). `seq` is the insertion counter, so events
 * at equal times run in insertion order and a run is reproducible from its seed.
 *
 * Indexed, so a cancelled timer leaves the queue in O(log n) instead of waiting until its time (at 10^5
 * ping nodes 84 % of the old queue was such dead timers). The heap itself is typed arrays only: keys
 * (time, seq), a small integer id per queued item, and the slot of each id. Sifting never touches the
 * items, which at 10^4+ nodes would be a cache miss per level.
 */
export interface HeapItem {
  t: number
  seq: number
  /** The item's id in the heap while queued, -1 (or absent) otherwise; maintained by the heap. */
  hid?: number
}

/** Min-heap of small integer ids keyed by (t, seq), with removal by id. */
export class IdHeap {
  private ts = new Float64Array(1024)
  private ss = new Float64Array(1024)
  private ids = new Int32Array(1024)
  /** slot of each id, -1 when not queued */
  private slot = new Int32Array(1024).fill(-1)
  private n = 0

  get size (): number { return this.n }

  /** Time of the earliest id, or Infinity. */
  peekTime (): number { return this.n > 0 ? this.ts[0] : Infinity }

  /** The earliest id, left in place; -1 when empty. */
  peek (): number { return this.n > 0 ? this.ids[0] : -1 }

  has (id: number): boolean { return id < this.slot.length && this.slot[id] >= 0 }

  push (id: number, t: number, s: number): void {
    if (this.n === this.ts.length) this.growHeap()
    while (id >= this.slot.length) this.growSlots()
    this.up(this.n++, id, t, s)
  }

  /** The earliest id, taken out; -1 when empty. */
  pop (): number {
    if (this.n === 0) return -1
    const id = this.ids[0]
    this.removeAt(0)
    return id
  }

  remove (id: number): boolean {
    if (id >= this.slot.length) return false
    const i = this.slot[id]
    if (i < 0) return false
    this.removeAt(i)
    return true
  }

  private removeAt (i: number): void {
    const ts = this.ts; const ss = this.ss; const ids = this.ids
    this.slot[ids[i]] = -1
    const n = --this.n
    if (i === n) return
    // the last entry fills the hole, then moves up or down to its place
    const t = ts[n]; const s = ss[n]; const id = ids[n]
    const p = (i - 1) >> 1
    if (i > 0 && (ts[p] > t || (ts[p] === t && ss[p] > s))) this.up(i, id, t, s)
    else this.down(i, id, t, s, n)
  }

  private up (i: number, id: number, t: number, s: number): void {
    const ts = this.ts; const ss = this.ss; const ids = this.ids; const slot = this.slot
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = ts[p]
      if (pt < t || (pt === t && ss[p] < s)) break
      ts[i] = pt; ss[i] = ss[p]; ids[i] = ids[p]; slot[ids[i]] = i
      i = p
    }
    ts[i] = t; ss[i] = s; ids[i] = id; slot[id] = i
  }

  private down (i: number, id: number, t: number, s: number, n: number): void {
    const ts = this.ts; const ss = this.ss; const ids = this.ids; const slot = this.slot
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      const r = c + 1
      if (r < n && (ts[r] < ts[c] || (ts[r] === ts[c] && ss[r] < ss[c]))) c = r
      const ct = ts[c]
      if (t < ct || (t === ct && s < ss[c])) break
      ts[i] = ct; ss[i] = ss[c]; ids[i] = ids[c]; slot[ids[i]] = i
      i = c
    }
    ts[i] = t; ss[i] = s; ids[i] = id; slot[id] = i
  }

  private growHeap (): void {
    const size = this.ts.length * 2
    const ts = new Float64Array(size); ts.set(this.ts); this.ts = ts
    const ss = new Float64Array(size); ss.set(this.ss); this.ss = ss
    const ids = new Int32Array(size); ids.set(this.ids); this.ids = ids
  }

  private growSlots (): void {
    const slot = new Int32Array(this.slot.length * 2).fill(-1)
    slot.set(this.slot)
    this.slot = slot
  }
}

/** The heap over objects: each queued item borrows an id (recycled), kept in `item.hid`. */
export class EventHeap<T extends HeapItem> {
  private readonly heap = new IdHeap()
  private items: Array<T | undefined> = []
  private readonly freeIds: number[] = []

  get size (): number { return this.heap.size }

  peek (): T | undefined {
    const id = this.heap.peek()
    return id < 0 ? undefined : this.items[id]
  }

  /** Time of the earliest item, or Infinity. */
  peekTime (): number { return this.heap.peekTime() }

  push (item: T): void {
    const id = this.freeIds.pop() ?? this.items.length
    this.items[id] = item
    item.hid = id
    this.heap.push(id, item.t, item.seq)
  }

  pop (): T | undefined {
    const id = this.heap.pop()
    if (id < 0) return undefined
    return this.release(id)
  }

  /** Take `item` out of the queue; false when it is not queued here. */
  remove (item: T): boolean {
    const id = item.hid
    if (id === undefined || id < 0 || this.items[id] !== item || !this.heap.remove(id)) return false
    this.release(id)
    return true
  }

  /** True while `item` is queued here. */
  has (item: T): boolean {
    const id = item.hid
    return id !== undefined && id >= 0 && this.items[id] === item
  }

  clear (): void {
    while (this.heap.size > 0) this.release(this.heap.pop())
  }

  private release (id: number): T {
    const item = this.items[id] as T
    this.items[id] = undefined
    item.hid = -1
    this.freeIds.push(id)
    return item
  }
}
