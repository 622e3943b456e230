/** Chord ring checks over live services, shared by the demo act and the node adapter. */
import type { ChordService } from '../../chord/index.js'

/** Every vnode id (hex) of the given services, sorted by position on the ring. */
export function ringIds (services: ChordService[]): string[] {
  const ids: string[] = []
  for (const s of services) for (const v of s.ring().vnodes) ids.push(v.id)
  return ids.sort((a, b) => { const x = BigInt('0x' + a); const y = BigInt('0x' + b); return x < y ? -1 : x > y ? 1 : 0 })
}

/** Vnodes whose successor is not the next id on the ring (0 when the ring has converged). */
export function ringErrors (services: ChordService[]): number {
  const ids = ringIds(services)
  const next = new Map<string, string>()
  ids.forEach((id, i) => next.set(id, ids[(i + 1) % ids.length]))
  let bad = 0
  for (const s of services) {
    for (const v of s.ring().vnodes) {
      const want = next.get(v.id)
      if (ids.length > 1 && v.successors[0] !== want) bad++
    }
  }
  return bad
}

/** The id (hex) that owns `keyHex`: the first id ≥ key, wrapping. */
export function expectedOwner (ids: string[], keyHex: string): string {
  const k = BigInt('0x' + keyHex)
  for (const id of ids) if (BigInt('0x' + id) >= k) return id
  return ids[0]
}
