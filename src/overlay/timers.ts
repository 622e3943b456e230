/**
 * A keyed timer table over any scheduler: one pending timer per key, re-arming replaces it.
 * The live runtime uses it with setTimeout; machines never touch it directly.
 */
export interface Scheduler<H> {
  schedule (delayMs: number, fire: () => void): H
  cancel (handle: H): void
}

export class TimerTable<H> {
  private readonly pending = new Map<string, H>()
  constructor (private readonly scheduler: Scheduler<H>, private readonly onFire: (key: string) => void) {}

  set (key: string, delayMs: number): void {
    this.clear(key)
    const handle = this.scheduler.schedule(Math.max(0, delayMs), () => {
      this.pending.delete(key)
      this.onFire(key)
    })
    this.pending.set(key, handle)
  }

  clear (key: string): void {
    const h = this.pending.get(key)
    if (h !== undefined) { this.scheduler.cancel(h); this.pending.delete(key) }
  }

  has (key: string): boolean { return this.pending.has(key) }
  get size (): number { return this.pending.size }

  clearAll (): void {
    for (const h of this.pending.values()) this.scheduler.cancel(h)
    this.pending.clear()
  }
}
