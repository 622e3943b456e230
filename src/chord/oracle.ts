/**
 * Whole-ring tools for the simulator, benchmarks and tests (they see every machine, so they are not
 * protocol code): brute-force ownership, the ring invariant, and an "oracle" bootstrap that writes
 * the correct successor lists, predecessors and fingers from the sorted id list. The oracle exists so
 * 10^5-node rings can be measured without simulating 10^5 joins; lookups on such a ring still run as
 * real messages through the simulator. Joins and stabilization are exercised on smaller rings.
 */
import { compareNodes, compareToKey, prefixOf, PREFIX_BITS, type NodeInfo } from './node.js'
import type { VNode } from './routing.js'
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
 * values a converged ring would have, and hand each host its merged routing table already sorted.
 * Marks all vnodes joined.
 *
 * Cost: fingers are found on the 48-bit numeric prefixes (`NodeInfo.p`), touching bigints only where
 * the prefixes cannot decide. Exactness: with m > 48 bits, id = p·2^s + low (s = m − 48, low < 2^s).
 * For k ≥ s, start_k = id + 2^k has prefix (p + 2^(k−s)) mod 2^48 and the same low bits, so a node
 * whose prefix differs from that is on the same side of start_k as its prefix says; equal prefixes go
 * to the bigint comparison. A node x at prefix distance D from the vnode is at exact distance
 * D·2^s + δ with |δ| < 2^s, so 2^k ≤ dist(x) is decided numerically unless 2^(k−s) = D (bigint then);
 * fingers with k < s, and rings with m ≤ 48, take the bigint path. A test checks the result against
 * the plain bigint construction.
 */
export function oracleBootstrap (machines: ChordMachine[]): void {
  for (const m of machines) for (const v of m.vnodes) v.joined = true
  const ring = sortedRing(machines)
  const n = ring.length
  const index = new Map<NodeInfo, number>()
  const pre = new Float64Array(n)
  for (let i = 0; i < n; i++) { index.set(ring[i], i); pre[i] = ring[i].p }
  const known: number[] = []
  const distinct: number[] = []
  for (const m of machines) {
    known.length = 0
    distinct.length = 0
    for (const v of m.vnodes) {
      const i = index.get(v.self) as number
      known.push(i)
      v.pred = n > 1 ? ring[(i - 1 + n) % n] : undefined
      if (n > 1) known.push((i - 1 + n) % n)
      const succs: NodeInfo[] = []
      for (let j = 1; j < n && j <= m.o.successors; j++) { succs.push(ring[(i + j) % n]); known.push((i + j) % n) }
      v.succs = succs
      v.nextFinger = -1
      distinct.push(n > 1 ? fillFingers(v, m.bits, m.mask, i, ring, pre, known) : 0)
    }
    const table = sortedKnown(known, ring)
    m.routes.adopt(table)
    // the fingers are read from the table when first asked for (VNode.fingers): no 160-slot array per vnode
    m.vnodes.forEach((v, j) => { v.impliedFingers(table, distinct[j]) })
  }
}

/** The host's merged table as RouteTable.known() builds it: ring order (= compareNodes), no repeats. */
function sortedKnown (idx: number[], ring: NodeInfo[]): NodeInfo[] {
  const a = Int32Array.from(idx).sort()
  const out: NodeInfo[] = []
  for (let j = 0; j < a.length; j++) if (j === 0 || a[j] !== a[j - 1]) out.push(ring[a[j]])
  return out
}

const P = 2 ** PREFIX_BITS

/** First index with pre ≥ x (n when none). */
function lowerBound (pre: Float64Array, x: number): number {
  let lo = 0; let hi = pre.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (pre[mid] < x) lo = mid + 1; else hi = mid
  }
  return lo
}

/** Fingers of the vnode at ring index i: pushes the ring index of each distinct finger to `known`; returns how many. */
function fillFingers (v: VNode, bits: number, mask: bigint, i: number, ring: NodeInfo[], pre: Float64Array, known: number[]): number {
  const n = ring.length
  const self = v.self
  const s = bits - PREFIX_BITS
  const numeric = s > 0
  const succ = ring[(i + 1) % n]
  // fingers below the gap to the successor all equal the successor (kept implicit)
  let k = gapBits(self, succ, s, mask)
  let count = 0
  while (k < bits) {
    let j: number
    if (numeric && k >= s) {
      const sp = (self.p + 2 ** (k - s)) % P
      const lo = lowerBound(pre, sp)
      j = lo < n && pre[lo] === sp ? successorIndex(ring, v.start(k, mask), bits) : lo % n
    } else j = successorIndex(ring, v.start(k, mask), bits)
    const f = ring[j]
    if (f === self) break
    k++
    count++
    known.push(j)
    // following fingers whose start is still at or before f point to f as well: 2^k ≤ dist(self, f)
    const d = (f.p - self.p + P) % P
    while (k < bits) {
      let within: boolean
      if (numeric && k >= s && 2 ** (k - s) !== d) within = 2 ** (k - s) < d
      else within = (1n << BigInt(k)) <= ((f.id - self.id) & mask)
      if (!within) break
      k++
    }
  }
  return count
}

/** Bit length of the clockwise gap self → succ (numeric unless the prefixes leave it open). */
function gapBits (self: NodeInfo, succ: NodeInfo, s: number, mask: bigint): number {
  const d = (succ.p - self.p + P) % P
  // gap = d·2^s + δ, |δ| < 2^s: its bit length is s + bitlen(d) unless d is a power of two or < 2
  if (s > 0 && d >= 2 && 2 ** (bitLength(d) - 1) !== d) return s + bitLength(d)
  return ((succ.id - self.id) & mask).toString(2).length
}

/** Bit length of an integer below 2^53. */
function bitLength (d: number): number {
  const hi = Math.floor(d / 2 ** 32)
  return hi > 0 ? 64 - Math.clz32(hi) : 32 - Math.clz32(d)
}
