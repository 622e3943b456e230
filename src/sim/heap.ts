/**
 * Binary min-heap of events ordered by (time, seq). `seq` is the insertion counter, so events at
 * equal times run in insertion order and a run is reproducible from its seed.
 */
export interface HeapItem {
  t: number
  seq: number
}

export class EventHeap<T extends HeapItem> {
  private items: T[] = []

  get size (): number { return this.items.length }

  peek (): T | undefined { return this.items[0] }

  push (item: T): void {
    const a = this.items
    a.push(item)
    let i = a.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!less(a[i], a[p])) break
      const tmp = a[i]; a[i] = a[p]; a[p] = tmp
      i = p
    }
  }

  pop (): T | undefined {
    const a = this.items
    if (a.length === 0) return undefined
    const top = a[0]
    const last = a.pop() as T
    if (a.length > 0) {
      a[0] = last
      let i = 0
      const n = a.length
      for (;;) {
        const l = 2 * i + 1
        if (l >= n) break
        const r = l + 1
        const c = r < n && less(a[r], a[l]) ? r : l
        if (!less(a[c], a[i])) break
        const tmp = a[i]; a[i] = a[c]; a[c] = tmp
        i = c
      }
    }
    return top
  }

  clear (): void { this.items = [] }
}

function less (x: HeapItem, y: HeapItem): boolean {
  return x.t < y.t || (x.t === y.t && x.seq < y.seq)
}
