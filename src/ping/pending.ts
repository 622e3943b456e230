/**
 * The pings awaiting their pong, by seq, kept in the machine's own fields: a node rarely has more than
 * two in flight (one per interval, answered within a round trip), so two live in fields and only
 * further ones in a Map. In the simulator at 10^4+ nodes a Map and its table were two cold objects
 * read per ping sent and per pong received.
 */
export interface PendingSlots<V> {
  /** seq of slot 0, -1 when free (seqs are uint32, so -1 is never one) */
  ps0: number
  pv0: V | undefined
  ps1: number
  pv1: V | undefined
  pmore: Map<number, V> | undefined
}

export function pendingGet<V> (h: PendingSlots<V>, seq: number): V | undefined {
  if (h.ps0 === seq) return h.pv0
  if (h.ps1 === seq) return h.pv1
  return h.pmore?.get(seq)
}

/** Add `seq` (not already pending: seqs are fresh). */
export function pendingSet<V> (h: PendingSlots<V>, seq: number, value: V): void {
  if (h.ps0 < 0) { h.ps0 = seq; h.pv0 = value } else if (h.ps1 < 0) { h.ps1 = seq; h.pv1 = value } else (h.pmore ??= new Map()).set(seq, value)
}

/** True when `seq` was pending. */
export function pendingDelete<V> (h: PendingSlots<V>, seq: number): boolean {
  if (h.ps0 === seq) { h.ps0 = -1; h.pv0 = undefined; return true }
  if (h.ps1 === seq) { h.ps1 = -1; h.pv1 = undefined; return true }
  return h.pmore?.delete(seq) ?? false
}

export function pendingCount (h: PendingSlots<unknown>): number {
  return (h.ps0 >= 0 ? 1 : 0) + (h.ps1 >= 0 ? 1 : 0) + (h.pmore?.size ?? 0)
}

export function pendingValues<V> (h: PendingSlots<V>): V[] {
  const out: V[] = []
  if (h.ps0 >= 0) out.push(h.pv0 as V)
  if (h.ps1 >= 0) out.push(h.pv1 as V)
  if (h.pmore !== undefined) for (const v of h.pmore.values()) out.push(v)
  return out
}

export function pendingClear (h: PendingSlots<unknown>): void {
  h.ps0 = -1; h.pv0 = undefined; h.ps1 = -1; h.pv1 = undefined; h.pmore = undefined
}
