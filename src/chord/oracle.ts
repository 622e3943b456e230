/**
 * Whole-ring tools for the simulator, benchmarks and tests (they see every machine, so they are not
 * protocol code): brute-force ownership, the ring invariant, and an "oracle" bootstrap that writes
 * the correct successor lists, predecessors and fingers from the sorted id list. The oracle exists so
 * 10^5-node rings can be measured without simulating 10^5 joins; lookups on such a ring still run as
 * real messages through the simulator. Joins and stabilization are exercised on smaller rings.
 */
import { compareNodes, compareToKey, prefixOf, type NodeInfo } from './node.js'
import type { ChordMachine } from './machine.js'

/** All joined vnodes of the given hosts, sorted by id. */
export function sortedRing (machines: ChordMachine[]): NodeInfo[] {
  const all: NodeInfo[] = []
  for (const m of machines) for (const v of m.vnodes) if (v.joined) all.push(v.self)
  return all.sort(compareNodes)
}

/** Index in `ring` of successor(key): the first node with id ≥ key, wrapping. */
export function successorIndex (ring: NodeInfo[], key: bigint, bits?: number): number {
  let lo = 0; let hi = ring.length
  if (bits !== undefined) {
    const kp = prefixOf(key, bits)
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareToKey(ring[mid], kp, key) < 0) lo = mid + 1; else hi = mid
    }
    return lo === ring.length ? 0 : lo
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ring[mid].id < key) lo = mid + 1; else hi = mid
  }
  return lo === ring.length ? 0 : lo
}

export function ownerOf (ring: NodeInfo[], key: bigint): NodeInfo {
  return ring[successorIndex(ring, key)]
}

/**
 * The ring invariant: following successor pointers from any live vnode visits every live vnode once,
 * in id order. Returns a list of violations (empty when the ring is correct).
 */
export function checkRing (machines: ChordMachine[]): string[] {
  const ring = sortedRing(machines)
  const byTag = new Map<string, { m: ChordMachine, i: number }>()
  for (const m of machines) m.vnodes.forEach((v, i) => { if (v.joined) byTag.set(v.self.tag, { m, i }) })
  const errors: string[] = []
  const n = ring.length
  for (let i = 0; i < n; i++) {
    const me = byTag.get(ring[i].tag)
    if (me === undefined) continue
    const v = me.m.vnodes[me.i]
    const want = ring[(i + 1) % n]
    const got = v.succs[0] ?? v.self
    if (got.tag !== want.tag) errors.push(`${ring[i].tag}: successor ${got.tag}, expected ${want.tag}`)
    const wantPred = ring[(i - 1 + n) % n]
    if (n > 1 && v.pred?.tag !== wantPred.tag) errors.push(`${ring[i].tag}: predecessor ${v.pred?.tag ?? 'none'}, expected ${wantPred.tag}`)
  }
  return errors
}

/**
 * Oracle bootstrap: set every vnode's predecessor, successor list (length r) and fingers to the
 * values a converged ring would have. Marks all vnodes joined.
 */
export function oracleBootstrap (machines: ChordMachine[]): void {
  for (const m of machines) for (const v of m.vnodes) v.joined = true
  const ring = sortedRing(machines)
  const n = ring.length
  const index = new Map<string, number>()
  ring.forEach((x, i) => index.set(x.tag, i))
  for (const m of machines) {
    const bits = m.bits
    for (const v of m.vnodes) {
      const i = index.get(v.self.tag) as number
      v.pred = n > 1 ? ring[(i - 1 + n) % n] : undefined
      v.succs = []
      for (let j = 1; j < n && j <= m.o.successors; j++) v.succs.push(ring[(i + j) % n])
      v.fingers.fill(undefined)
      if (n === 1) continue
      const succ = ring[(i + 1) % n]
      // fingers below the gap to the successor all equal the successor (kept implicit)
      let k = ((succ.id - v.self.id) & m.mask).toString(2).length
      while (k < bits) {
        const start = v.start(k, m.mask)
        const s = ring[successorIndex(ring, start, bits)]
        if (s.tag === v.self.tag) break
        v.fingers[k++] = s
        // following fingers whose start is still at or before s point to s as well
        while (k < bits && ((v.start(k, m.mask) - start) & m.mask) <= ((s.id - start) & m.mask)) v.fingers[k++] = s
      }
      v.nextFinger = -1
    }
    m.routes.invalidate()
  }
}
