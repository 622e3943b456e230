/**
 * A node's armed timers by key, kept in the node object itself. Nodes rarely have more than two at
 * once (a periodic tick and a request timeout), so two keys live in the node's fields and only further
 * ones in a Map: no hashing on the hot path, and no table object of its own (reading one was a cache
 * miss more per timer set or cleared at 10^4+ nodes; ~12 % of a ping run).
 */
export interface TimerSlots<T> {
  tk0: string | undefined
  tv0: T | undefined
  tk1: string | undefined
  tv1: T | undefined
  /** Keys beyond two. Kept once made (a node that had three timers at once tends to again: making and
   * dropping it per timer was 5 % of a ping run); it goes when the node has no timer left. */
  tmore: Map<string, T> | undefined
}

export function timerCount (h: TimerSlots<unknown>): number {
  return (h.tk0 !== undefined ? 1 : 0) + (h.tk1 !== undefined ? 1 : 0) + (h.tmore !== undefined ? h.tmore.size : 0)
}

export function timerGet<T> (h: TimerSlots<T>, key: string): T | undefined {
  if (h.tk0 === key) return h.tv0
  if (h.tk1 === key) return h.tv1
  return h.tmore?.get(key)
}

/** Arm `key` (it must not be armed already: callers get first). */
export function timerSet<T> (h: TimerSlots<T>, key: string, value: T): void {
  if (h.tk0 === undefined) { h.tk0 = key; h.tv0 = value } else if (h.tk1 === undefined) { h.tk1 = key; h.tv1 = value } else (h.tmore ??= new Map()).set(key, value)
}

export function timerDelete<T> (h: TimerSlots<T>, key: string): void {
  if (h.tk0 === key) { h.tk0 = undefined; h.tv0 = undefined } else if (h.tk1 === key) { h.tk1 = undefined; h.tv1 = undefined } else if (h.tmore !== undefined) h.tmore.delete(key)
  if (h.tmore !== undefined && h.tk0 === undefined && h.tk1 === undefined && h.tmore.size === 0) h.tmore = undefined
}

export function timerValues<T> (h: TimerSlots<T>): T[] {
  const out: T[] = []
  if (h.tk0 !== undefined) out.push(h.tv0 as T)
  if (h.tk1 !== undefined) out.push(h.tv1 as T)
  if (h.tmore !== undefined) for (const v of h.tmore.values()) out.push(v)
  return out
}

export function timerClear (h: TimerSlots<unknown>): void {
  h.tk0 = undefined; h.tv0 = undefined; h.tk1 = undefined; h.tv1 = undefined; h.tmore = undefined
}
