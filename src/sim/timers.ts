/**
 * A node's armed timers by key. Nodes rarely have more than two at once (a periodic tick and a request
 * timeout), so two keys live in fields and only further ones in a Map: no hashing on the hot path and
 * ~60 bytes per node instead of an empty Map's ~200 (which add up at 10^6 hosts).
 */
export class TimerTable<T> {
  private k0: string | undefined = undefined
  private v0: T | undefined = undefined
  private k1: string | undefined = undefined
  private v1: T | undefined = undefined
  private more: Map<string, T> | undefined = undefined

  get size (): number {
    return (this.k0 !== undefined ? 1 : 0) + (this.k1 !== undefined ? 1 : 0) + (this.more !== undefined ? this.more.size : 0)
  }

  get (key: string): T | undefined {
    if (this.k0 === key) return this.v0
    if (this.k1 === key) return this.v1
    return this.more?.get(key)
  }

  /** Arm `key` (it must not be in the table already: callers get() first). */
  set (key: string, value: T): void {
    if (this.k0 === undefined) { this.k0 = key; this.v0 = value } else if (this.k1 === undefined) { this.k1 = key; this.v1 = value } else (this.more ??= new Map()).set(key, value)
  }

  delete (key: string): void {
    if (this.k0 === key) { this.k0 = undefined; this.v0 = undefined } else if (this.k1 === key) { this.k1 = undefined; this.v1 = undefined } else if (this.more !== undefined) {
      // the Map stays once made (a node that had three timers at once tends to again: making and
      // dropping it per timer was 5 % of a ping run); it goes with the table when the node idles
      this.more.delete(key)
    }
  }

  values (): T[] {
    const out: T[] = []
    if (this.k0 !== undefined) out.push(this.v0 as T)
    if (this.k1 !== undefined) out.push(this.v1 as T)
    if (this.more !== undefined) for (const v of this.more.values()) out.push(v)
    return out
  }

  clear (): void {
    this.k0 = undefined; this.v0 = undefined; this.k1 = undefined; this.v1 = undefined; this.more = undefined
  }
}
