/**
 * Whole-ring tools for the simulator, benchmarks and tests (they see every machine, so they are not
 * protocol code): brute-force ownership, the ring invariant, and an "oracle" bootstrap that writes
 * the correct successor lists, predecessors and fingers from the sorted id list. The oracle exists so
 * 10^5-node rings can be measured without simulating 10^5 joins; lookups on such a ring still run as
 * real messages through the simulator. Joins and stabilization are exercised on smaller rings.
 */
import { compareNodes, compareToKey, prefixOf, PREFIX_BITS, type NodeInfo } from './node.js'
import { RingView, type VNode } from './routing.js'
import type { ChordMachine } from './machine.js'

/** All joined vnodes of the given hosts, sorted by id. */
export function sortedRing (machines: ChordMachine[]): NodeInfo[] {
  const all: NodeInfo[] = []
  for (const m of machines) for (const v of m.vnodes) if (v.joined) all.push(v.self)
  const keys = new Float64Array(all.length)
  for (let i = 0; i < all.length; i++) keys[i] = all[i].p
  const order = prefixOrder(keys, (a, b) => compareNodes(all[a], all[b]))
  const out: NodeInfo[] = new Array(all.length)
  for (let i = 0; i < out.length; i++) out[i] = all[order[i]]
  return out
}

/**
 * The permutation that sorts `keys` (prefixes in [0, 2^48)), equal keys ordered by `tie` on their
 * indices. A bucket sort (one bucket per key on average, keys are hashes) and an insertion sort within
 * each bucket: at 10^6 vnodes a comparator sort over node objects took seconds.
 */
export function prefixOrder (keys: Float64Array, tie: (a: number, b: number) => number): Int32Array {
  const n = keys.length
  const scale = n / 2 ** PREFIX_BITS
  // bucket(k) = floor(k · n / 2^48): monotone in k, so buckets are in key order
  const start = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) start[Math.min(n - 1, Math.floor(keys[i] * scale)) + 1]++
  for (let b = 0; b < n; b++) start[b + 1] += start[b]
  const order = new Int32Array(n)
  const next = start.slice(0, n)
  for (let i = 0; i < n; i++) order[next[Math.min(n - 1, Math.floor(keys[i] * scale))]++] = i
  for (let b = 0; b < n; b++) {
    for (let j = start[b] + 1; j < start[b + 1]; j++) {
      const x = order[j]
      let h = j - 1
      while (h >= start[b] && (keys[order[h]] > keys[x] || (keys[order[h]] === keys[x] && tie(order[h], x) > 0))) { order[h + 1] = order[h]; h-- }
      order[h + 1] = x
    }
  }
  return order
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

/**
 * Brute-force ownership over a fixed sorted ring, searching a typed array of the 48-bit prefixes (at
 * 10^6 vnodes a search over the objects is ~20 cache misses per key) and bigints only on prefix ties.
 */
export class RingIndex {
  private readonly pre: Float64Array
  constructor (readonly ring: NodeInfo[], private readonly bits: number) {
    this.pre = Float64Array.from(ring, x => x.p)
  }

  /** successor(key): the first node with id ≥ key, wrapping. */
  owner (key: bigint): NodeInfo {
    const { pre, ring } = this
    const kp = prefixOf(key, this.bits)
    let lo = 0; let hi = pre.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (pre[mid] < kp) lo = mid + 1; else hi = mid
    }
    while (lo < pre.length && pre[lo] === kp && ring[lo].id < key) lo++
    return ring[lo === pre.length ? 0 : lo]
  }
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
  // every vnode with its host, in spawn order (the order the objects sit in memory)
  const vs: VNode[] = []
  const hostOf: number[] = []
  machines.forEach((m, h) => { for (const v of m.vnodes) { v.joined = true; vs.push(v); hostOf.push(h) } })
  const n = vs.length
  const keys = new Float64Array(n)
  const succCount = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    keys[i] = vs[i].self.p
    succCount[i] = Math.min(n - 1, machines[hostOf[i]].o.successors)
  }
  // sorted by id (prefixes first, from a typed array: no object per compare)
  const order = prefixOrder(keys, (a, b) => compareNodes(vs[a].self, vs[b].self))
  const ring: NodeInfo[] = new Array(n)
  const pre = new Float64Array(n)
  for (let i = 0; i < n; i++) { ring[i] = vs[order[i]].self; pre[i] = keys[order[i]] }
  const bits = machines[0]?.bits ?? 160
  const mask = machines[0]?.mask ?? 0n
  const fingers = new FingerCursors(ring, pre)
  const view = new RingView(ring, pre)
  // table entries per vnode: itself, its predecessor, r successors and about log2 n distinct fingers
  const perVnode = 2 + (n > 0 ? succCount[0] : 0) + Math.ceil(Math.log2(n + 1)) + 4
  const tables = new TableChunks(n * perVnode)
  // pass 1, in ring order, over typed arrays and the ring only: each host's table and each vnode's
  // finger count (visiting the vnode and host objects in ring order was a cache miss or two per vnode)
  const fingerCount = new Int32Array(n)
  const tabChunk = new Int32Array(machines.length)
  const tabOff = new Int32Array(machines.length)
  const tabLen = new Int32Array(machines.length)
  const selfAt = new Int32Array(machines.length).fill(-1)
  const left = new Int32Array(machines.length)
  machines.forEach((m, h) => { left[h] = m.vnodes.length })
  // hosts with several vnodes collect their entries until their last vnode is done
  const partial = new Map<number, number[]>()
  const known: number[] = []
  for (let i = 0; i < n; i++) {
    const vi = order[i]
    const h = hostOf[vi]
    const several = left[h] > 1 || partial.has(h)
    let into = known
    if (several) {
      into = partial.get(h) ?? []
      partial.set(h, into)
    } else known.length = 0
    into.push(i)
    if (n > 1) into.push((i - 1 + n) % n)
    const r = succCount[vi]
    for (let j = 1; j <= r; j++) into.push((i + j) % n)
    fingerCount[vi] = n > 1 ? fingers.fill(ring[i], bits, mask, i, into) : 0
    if (!several) {
      tabOff[h] = tables.adoptOne(into, n, i)
      selfAt[h] = i
    } else {
      if (--left[h] > 0) continue
      tabOff[h] = tables.adopt(into)
      partial.delete(h)
    }
    tabChunk[h] = tables.chunk
    tabLen[h] = tables.lastLen
  }
  // pass 2, in spawn order: write what pass 1 found into the hosts and vnodes
  const posOf = new Int32Array(n)
  for (let i = 0; i < n; i++) posOf[order[i]] = i
  let vi = 0
  machines.forEach((m, h) => {
    m.routes.adoptView(view, tables.chunks[tabChunk[h]], tabOff[h], tabLen[h], selfAt[h])
    for (const v of m.vnodes) {
      const i = posOf[vi]
      v.pred = n > 1 ? ring[(i - 1 + n) % n] : undefined
      // the list is read from the ring when first asked for (VNode.succs)
      v.impliedSuccs(view, i, succCount[vi])
      v.nextFinger = -1
      // the fingers are read from the table when first asked for (VNode.fingers): no 160-slot array per vnode
      v.impliedFingers(m.routes, fingerCount[vi])
      vi++
    }
  })
}

/**
 * Hosts' tables as runs of ring indices in shared Int32Arrays (a run never spans two), so a host holds
 * no array of its own (RouteTable.adoptView). The first array is sized for the whole ring from an
 * estimate, further ones only if it runs out: V8 counts each new backing store as external memory
 * and starts a full marking of the heap for about every 64 MB of it (16 MB chunks at 10^6 hosts set
 * off marking after marking of a 1.4 GB heap).
 */
class TableChunks {
  readonly chunks: Int32Array[]
  /** Index in `chunks` of the run adopted last, and its length. */
  chunk = 0
  lastLen = 0
  private used = 0

  constructor (estimate: number) { this.chunks = [new Int32Array(Math.max(1024, estimate))] }

  private room (k: number): number {
    const seg = this.chunks[this.chunks.length - 1]
    if (this.used + k > seg.length) { this.chunks.push(new Int32Array(Math.max(1 << 20, k, seg.length >>> 3))); this.used = 0 }
    this.chunk = this.chunks.length - 1
    return this.used
  }

  /** The host's merged table as RouteTable.known() builds it: ring order (= compareNodes), no repeats. Returns its offset. */
  adopt (idx: number[]): number {
    const off = this.room(idx.length)
    const a = this.chunks[this.chunk].subarray(off, off + idx.length)
    a.set(idx)
    a.sort()
    let distinct = 0
    for (let j = 0; j < a.length; j++) if (j === 0 || a[j] !== a[j - 1]) a[distinct++] = a[j]
    this.used += distinct
    this.lastLen = distinct
    return off
  }

  /**
   * adopt() for a one-vnode host at ring index i (of n), whose entries are [self, pred, successors…,
   * fingers…]: from the predecessor on they already run clockwise (fingers at growing distances), so
   * dropping what does not move further clockwise removes the repeats, and rotating at the wrap gives
   * ring order, without a sort.
   */
  adoptOne (idx: number[], n: number, i: number): number {
    const k = idx.length
    const off = this.room(k)
    const seg = this.chunks[this.chunk]
    const from = k > 1 ? idx[1] : i
    let last = -1
    let w = 0
    let len = 0
    for (let j = 0; j < k; j++) {
      const x = j === 0 ? from : j === 1 ? i : idx[j]
      const d = (x - from + n) % n
      if (d <= last) continue
      last = d
      if (len > 0 && x < seg[off + len - 1]) w = len
      seg[off + len++] = x
    }
    // rotate so the run starts at the smallest ring index (the wrap, if any, is at w)
    if (w > 0) {
      const head = seg.slice(off, off + w)
      seg.copyWithin(off, off + w, off + len)
      seg.set(head, off + len - w)
    }
    this.used += len
    this.lastLen = len
    return off
  }
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

/**
 * Fingers of the vnodes in ring order. For k ≥ s the successor of start_k is the first node whose
 * prefix is ≥ (p + 2^(k−s)) on the unwrapped line (index j in [i+1, i+n], prefix + P past the end);
 * that target only grows with i, so one cursor per k walks forward over the ring once or twice in
 * total instead of a binary search per finger. Equal prefixes go to the bigints; a vnode whose
 * successor gap the prefixes cannot bound (d < 2), and rings with m ≤ 48, take the bigint path.
 */
class FingerCursors {
  private readonly cur: Float64Array
  constructor (private readonly ring: NodeInfo[], private readonly pre: Float64Array) {
    this.cur = new Float64Array(Math.max(1, PREFIX_BITS))
  }

  /** Pushes the ring index of each distinct finger of the vnode at ring index i to `known`; returns how many. */
  fill (self: NodeInfo, bits: number, mask: bigint, i: number, known: number[]): number {
    const { ring, pre } = this
    const n = ring.length
    const s = bits - PREFIX_BITS
    const d = (pre[(i + 1) % n] - pre[i] + P) % P
    if (s <= 0 || d < 2) return fillFingers(self, bits, mask, i, ring, pre, known)
    // 2^k < gap for every k with 2^(k−s) ≤ d − 1: those fingers are the successor (implicit)
    const k0 = s + Math.max(0, bitLength(d) - 2)
    const succ = (i + 1) % n
    let last = -1
    let count = 0
    for (let k = k0; k < bits; k++) {
      const target = pre[i] + 2 ** (k - s)
      let j = Math.max(this.cur[k - s], i + 1)
      while (j < i + n && pre[j % n] + (j >= n ? P : 0) < target) j++
      this.cur[k - s] = j
      let f: number
      if (j < i + n && pre[j % n] + (j >= n ? P : 0) === target) f = successorIndex(ring, startOf(self, k, mask), bits)
      else f = j % n
      if (f === i) break
      if (f === succ || f === last) continue
      last = f
      count++
      known.push(f)
    }
    return count
  }
}

/** Fingers of the vnode at ring index i (binary searches): pushes the ring index of each distinct finger to `known`; returns how many. */
/** start of finger k of `self`: (id + 2^k) mod 2^m. */
function startOf (self: NodeInfo, k: number, mask: bigint): bigint { return (self.id + (1n << BigInt(k))) & mask }

function fillFingers (self: NodeInfo, bits: number, mask: bigint, i: number, ring: NodeInfo[], pre: Float64Array, known: number[]): number {
  const n = ring.length
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
      j = lo < n && pre[lo] === sp ? successorIndex(ring, startOf(self, k, mask), bits) : lo % n
    } else j = successorIndex(ring, startOf(self, k, mask), bits)
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
