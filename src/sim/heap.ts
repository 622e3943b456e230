/**
 * The event queue: a min-heap ordered by (time, seq). `seq` is the insertion counter, so events
 * at equal times run in insertion order and a run is reproducible from its seed.
 *
 * Indexed, so a cancelled timer leaves the queue in O(log n) instead of waiting until its time (at 10^5
 * ping nodes 84 % of the old queue was such dead timers). The heap itself is typed arrays only: keys
 * (time, seq), a small integer id per queued item, and the slot of each id. Sifting never touches the
 * items, which at 10^4+ nodes would be a cache miss per level.
 */
export interface HeapSlot {
  /** The item's id in the heap while queued, -1 (or absent) otherwise; maintained by the heap. */
  hid?: number
}

/** An item that carries its own key. */
export interface HeapItem extends HeapSlot {
  t: number
  seq: number
}

/**
 * Min-heap of small integer ids keyed by (t, seq), with removal by id. Four-ary, with each entry's two
 * keys side by side (`keys[2i]`, `keys[2i + 1]`): a sift-down reads a node's four children from one or
 * two cache lines, and the tree is half as deep as a binary one (at 10^4 ping nodes the queue holds
 * ~18 000 ids: 7 levels instead of 14). The order is the same total order on (t, seq), so which event
 * pops next does not depend on the heap's shape.
 */
export class IdHeap {
  private keys = new Float64Array(2 * 1024)
  private ids = new Int32Array(1024)
  /** slot of each id, -1 when not queued */
  private slot = new Int32Array(1024).fill(-1)
  private n = 0

  get size (): number { return this.n }

  /** Time of the earliest id, or Infinity. */
  peekTime (): number { return this.n > 0 ? this.keys[0] : Infinity }

  /** The earliest id, left in place; -1 when empty. */
  peek (): number { return this.n > 0 ? this.ids[0] : -1 }

  has (id: number): boolean { return id < this.slot.length && this.slot[id] >= 0 }

  push (id: number, t: number, s: number): void {
    if (this.n === this.ids.length) this.growHeap()
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
    const keys = this.keys; const ids = this.ids
    this.slot[ids[i]] = -1
    const n = --this.n
    if (i === n) return
    // the last entry fills the hole, then moves up or down to its place
    const t = keys[2 * n]; const s = keys[2 * n + 1]; const id = ids[n]
    const p = (i - 1) >> 2
    if (i > 0 && (keys[2 * p] > t || (keys[2 * p] === t && keys[2 * p + 1] > s))) this.up(i, id, t, s)
    else this.down(i, id, t, s, n)
  }

  private up (i: number, id: number, t: number, s: number): void {
    const keys = this.keys; const ids = this.ids; const slot = this.slot
    while (i > 0) {
      const p = (i - 1) >> 2
      const pt = keys[2 * p]; const ps = keys[2 * p + 1]
      if (pt < t || (pt === t && ps < s)) break
      keys[2 * i] = pt; keys[2 * i + 1] = ps
      const pid = ids[p]; ids[i] = pid; slot[pid] = i
      i = p
    }
    keys[2 * i] = t; keys[2 * i + 1] = s; ids[i] = id; slot[id] = i
  }

  private down (i: number, id: number, t: number, s: number, n: number): void {
    const keys = this.keys; const ids = this.ids; const slot = this.slot
    for (;;) {
      const c = 4 * i + 1
      if (c >= n) break
      // the least of up to four children
      let m = c; let mt = keys[2 * c]; let ms = keys[2 * c + 1]
      const end = c + 4 < n ? c + 4 : n
      for (let j = c + 1; j < end; j++) {
        const jt = keys[2 * j]
        if (jt < mt || (jt === mt && keys[2 * j + 1] < ms)) { m = j; mt = jt; ms = keys[2 * j + 1] }
      }
      if (t < mt || (t === mt && s < ms)) break
      keys[2 * i] = mt; keys[2 * i + 1] = ms
      const mid = ids[m]; ids[i] = mid; slot[mid] = i
      i = m
    }
    keys[2 * i] = t; keys[2 * i + 1] = s; ids[i] = id; slot[id] = i
  }

  private growHeap (): void {
    const size = this.ids.length * 2
    const keys = new Float64Array(2 * size); keys.set(this.keys); this.keys = keys
    const ids = new Int32Array(size); ids.set(this.ids); this.ids = ids
  }

  private growSlots (): void {
    const slot = new Int32Array(this.slot.length * 2).fill(-1)
    slot.set(this.slot)
    this.slot = slot
  }
}

/** The heap over objects: each queued item borrows an id (recycled), kept in `item.hid`. */
export class EventHeap<T extends HeapSlot | HeapItem> {
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

  push (item: T & HeapItem): void { this.pushAt(item, item.t, item.seq) }

  /** Queue `item` under the key (t, seq), kept in the heap only (the item need not carry it). */
  pushAt (item: T, t: number, seq: number): void {
    const id = this.freeIds.pop() ?? this.items.length
    this.items[id] = item
    item.hid = id
    this.heap.push(id, t, seq)
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
