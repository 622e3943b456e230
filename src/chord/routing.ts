/**
 * Routing state. Each virtual node has a finger table (finger[i] = successor of n + 2^i), a
 * successor list and a predecessor. A host routes with the union of what all its virtual nodes
 * know, kept as one array sorted by ring id so the closest preceding node is a binary search.
 */
import { inHalfOpen } from '../overlay/ids.js'
import { compareNodes, compareToKey, type NodeInfo } from './node.js'

/**
 * A converged ring as the oracle bootstrap wrote it, shared by every host it wrote: the nodes sorted
 * by id, their 48-bit prefixes in a typed array, and each host's table as a run of ring indices in a
 * shared Int32Array (see RouteTable.adoptView). A binary search then reads two typed arrays instead of
 * a node object and its boxed prefix per step (at 10^6 hosts each of those was a cache miss), and a
 * host holds no array of its own (~420 bytes per host at 10^6).
 */
export class RingView {
  constructor (readonly ring: NodeInfo[], readonly pre: Float64Array) {}
}

export class VNode {
  pred: NodeInfo | undefined
  /**
   * succs[0] is the successor; empty means "alone on the ring" (successor = self). A list the oracle
   * implied (impliedSuccs) is made on first use: at 10^6 hosts 40 entries per host were ~330 MB for the
   * GC to copy and mark while building, and most hosts never read theirs whole.
   */
  get succs (): NodeInfo[] { return (this.succList ??= this.succsFromView()) }
  set succs (list: NodeInfo[]) { this.succList = list; this.succView = undefined }
  private succList: NodeInfo[] | undefined = []
  /** Set by impliedSuccs: the successors are view.ring[succAt + 1 …] (wrapping), succLen of them. */
  private succView: RingView | undefined = undefined
  private succAt = 0
  private succLen = 0
  /** fix_fingers cursor. */
  nextFinger = -1
  /** True once the join lookup found a successor (or we are the first node). */
  joined = false
  /** fix_fingers runs back to back until one round is complete (after joining). */
  fastFix = false
  /** Join attempts so far (cycles through the bootstrap list). */
  joinAttempts = 0
  private fingerArray: Array<NodeInfo | undefined> | undefined
  /** Set by impliedFingers: the host's table the fingers are read from when first asked for. */
  private fingersFrom: RouteTable | undefined
  private fingersDistinct = 0

  constructor (readonly self: NodeInfo, readonly bits: number) {}

  /**
   * finger[i]; undefined means "not known yet, use the successor". Made on first use: a ring written
   * by the oracle routes with the host's sorted table only, and 160 slots per vnode (1.3 KB) are most
   * of a host's memory at 10^6 hosts.
   */
  get fingers (): Array<NodeInfo | undefined> {
    if (this.fingerArray === undefined) {
      this.fingerArray = new Array(this.bits).fill(undefined)
      if (this.fingersFrom !== undefined) this.readFingers(this.fingersFrom.adopted(), this.fingerArray)
      this.fingersFrom = undefined
    }
    return this.fingerArray
  }

  /**
   * The fingers are those of a converged ring whose nodes include everything in the table `known`
   * adopted (which holds every true finger): they are read from it when first asked for.
   * `distinct` is how many distinct fingers that gives (for entry counts without materializing).
   */
  impliedFingers (known: RouteTable, distinct: number): void {
    this.fingerArray = undefined
    this.fingersFrom = known
    this.fingersDistinct = distinct
  }

  /** Distinct finger entries. */
  distinctFingers (): number {
    if (this.fingerArray === undefined) return this.fingersFrom === undefined ? 0 : this.fingersDistinct
    let n = 0
    let last: NodeInfo | undefined
    for (const f of this.fingerArray) if (f !== undefined && f !== last) { n++; last = f }
    return n
  }

  /**
   * finger[k] = successor(self + 2^k) = the first node of `known` clockwise at distance ≥ 2^k (known
   * holds every true finger and only ring nodes, so none sits between start_k and that finger);
   * fingers equal to the successor stay implicit (undefined), as the oracle and fix_fingers leave them.
   */
  private readFingers (known: NodeInfo[], out: Array<NodeInfo | undefined>): void {
    const n = known.length
    const i0 = known.indexOf(this.self)
    if (i0 < 0 || n < 2) return
    const mask = (1n << BigInt(this.bits)) - 1n
    const succ = known[(i0 + 1) % n]
    let j = 1
    let d = (known[(i0 + 1) % n].id - this.self.id) & mask
    for (let k = 0; k < this.bits; k++) {
      const start = 1n << BigInt(k)
      while (j < n && d < start) {
        j++
        if (j < n) d = (known[(i0 + j) % n].id - this.self.id) & mask
      }
      if (j >= n) break
      const f = known[(i0 + j) % n]
      if (f !== succ) out[k] = f
    }
  }

  /** The successor list is the succLen ring nodes after ring index `at` (the oracle bootstrap). */
  impliedSuccs (view: RingView, at: number, len: number): void {
    this.succList = undefined; this.succView = view; this.succAt = at; this.succLen = len
  }

  /** succs.length, without making an implied list. */
  get succCount (): number { return this.succList !== undefined ? this.succList.length : this.succLen }

  private succsFromView (): NodeInfo[] {
    const ring = (this.succView as RingView).ring
    const n = ring.length
    const out: NodeInfo[] = new Array(this.succLen)
    for (let j = 0; j < this.succLen; j++) out[j] = ring[(this.succAt + 1 + j) % n]
    return out
  }

  /** The successor list for an answer (answers are never mutated): an implied one is made afresh, not kept. */
  succsAnswer (): NodeInfo[] { return this.succList ?? this.succsFromView() }

  get successor (): NodeInfo {
    if (this.succList === undefined) return this.succLen > 0 ? (this.succView as RingView).ring[(this.succAt + 1) % (this.succView as RingView).ring.length] : this.self
    return this.succList[0] ?? this.self
  }

  /**
   * [self, ...succs], made per answer: it is asked for about once per host in a big simulated ring, and
   * a cached copy (~350 bytes at r = 40) in every host that once answered grew the old generation by
   * ~200 MB over 10^6 lookups at 10^6 hosts, for the major GCs to mark again and again.
   */
  ownerList (): NodeInfo[] {
    const s = this.succsAnswer()
    const out: NodeInfo[] = new Array(s.length + 1)
    out[0] = this.self
    for (let i = 0; i < s.length; i++) out[i + 1] = s[i]
    return out
  }

  /** start of finger i: (n + 2^i) mod 2^m. */
  start (i: number, mask: bigint): bigint { return (this.self.id + (1n << BigInt(i))) & mask }

  /** Is key owned by this vnode, as far as it knows: key ∈ (pred, self]? Unknown pred ⇒ only if alone. */
  owns (key: bigint): boolean {
    if (this.succCount === 0 || this.successor.tag === this.self.tag) return true
    if (this.pred === undefined) return key === this.self.id
    return inHalfOpen(key, this.pred.id, this.self.id)
  }
}

/** Host-level view: all vnodes' fingers, successor lists, predecessors and the vnodes themselves. */
export class RouteTable {
  private sorted: NodeInfo[] = []
  private dirty = true
  /**
   * The table as the oracle wrote it: `view.ring[seg[off + j]]` for j < len, in ring order. Kept after
   * the table changes (`compact` false then), for fingers implied by it and not yet read.
   */
  private view: RingView | undefined = undefined
  private seg: Int32Array | undefined = undefined
  private off = 0
  private len = 0
  /** Searches read the view (nothing changed since adoptView); known() is then made only when asked for. */
  private compact = false
  /** Table index of this host's only vnode in the oracle's table; -1 with several vnodes. */
  private selfPos = -1

  constructor (readonly host: string, readonly vnodes: VNode[]) {}

  invalidate (): void { this.dirty = true; this.compact = false }

  /** Install the list known() would build, made by a caller that sees the whole ring (the oracle bootstrap). */
  adopt (sorted: NodeInfo[]): void { this.sorted = sorted; this.dirty = false; this.compact = false }

  /**
   * Install the table known() would build as ring indices `seg[off, off + len)` into `view` (the oracle
   * bootstrap): nothing per host but the four fields; known() makes the node array only when asked for.
   */
  adoptView (view: RingView, seg: Int32Array, off: number, len: number, selfRing = -1): void {
    this.view = view; this.seg = seg; this.off = off; this.len = len
    this.sorted = []
    this.dirty = true
    this.compact = true
    this.selfPos = -1
    if (selfRing >= 0 && this.vnodes.length === 1) for (let j = 0; j < len; j++) if (seg[off + j] === selfRing) this.selfPos = j
  }

  /**
   * ChordMachine.route0 on the oracle's table of a one-vnode host, reading only the typed arrays and
   * the ring's node pointers: the same answer the general path gives (which reads each node it
   * compares), or undefined when it cannot be sure (the table or the predecessor changed since).
   * The vnode is at table index t; nothing in the table sits between its predecessor (index t − 1)
   * and it, so key ∈ (pred, self] is "the closest entry at or before the key is the predecessor and
   * not equal to the key, or is self and equal to the key"; the only own entry is at t.
   */
  routeCompact (key: bigint, kp: number, alternates: number): { done: true, nodes: NodeInfo[] } | { done: false, nodes: NodeInfo[] } | undefined {
    const t = this.selfPos
    if (!this.compact || t < 0) return undefined
    const v = this.vnodes[0]
    const n = this.len
    const tp = (t - 1 + n) % n
    if (!v.joined || v.pred === undefined || n < 2 || v.pred !== this.at(tp)) return undefined
    const idx = this.closestInView(kp, key)
    const { ring, pre } = this.view as RingView
    const seg = this.seg as Int32Array
    if (idx === tp) {
      const r = seg[this.off + tp]
      if (pre[r] !== kp || ring[r].id !== key) return { done: true, nodes: v.ownerList() }
    } else if (idx === t) {
      const r = seg[this.off + t]
      if (pre[r] === kp && ring[r].id === key) return { done: true, nodes: v.ownerList() }
      return { done: true, nodes: v.succCount > 0 ? v.succsAnswer() : [v.self] }
    }
    const out: NodeInfo[] = []
    for (let j = 0; j < n && out.length < alternates; j++) {
      const i = (idx - j + n) % n
      if (i !== t) out.push(ring[seg[this.off + i]])
    }
    return { done: false, nodes: out }
  }

  /** The nodes of the table adoptView installed (made afresh; empty if none). */
  adopted (): NodeInfo[] {
    const { view, seg, off, len } = this
    if (view === undefined || seg === undefined) return []
    const out: NodeInfo[] = new Array(len)
    for (let j = 0; j < len; j++) out[j] = view.ring[seg[off + j]]
    return out
  }

  /** Entries in known(). */
  get size (): number { return this.compact ? this.len : this.known().length }

  /** known()[i], without making known() while the oracle's table stands. */
  at (i: number): NodeInfo {
    if (this.compact) return (this.view as RingView).ring[(this.seg as Int32Array)[this.off + i]]
    return this.known()[i]
  }

  /** The sorted, deduplicated list of every node this host knows (rebuilt lazily). */
  known (): NodeInfo[] {
    if (this.compact && this.dirty) { this.sorted = this.adopted(); this.dirty = false }
    if (!this.dirty) return this.sorted
    const all: NodeInfo[] = []
    for (const v of this.vnodes) {
      if (!v.joined) continue
      all.push(v.self)
      if (v.pred !== undefined) all.push(v.pred)
      for (const s of v.succs) all.push(s)
      let last: NodeInfo | undefined
      for (const f of v.fingers) { if (f !== undefined && f !== last) { all.push(f); last = f } }
    }
    all.sort(compareNodes)
    // equal ids sort next to each other: drop repeats of the same node
    const out: NodeInfo[] = []
    for (const n of all) if (out.length === 0 || out[out.length - 1].tag !== n.tag) out.push(n)
    this.sorted = out
    this.dirty = false
    return out
  }

  /**
   * Index in known() of the closest node at or before `key` (a node whose id equals the key counts:
   * it owns the key). Wraps to the last entry. -1 when nothing is known.
   */
  closestIndex (kp: number, key: bigint): number {
    if (this.compact) return this.closestInView(kp, key)
    const a = this.known()
    if (a.length === 0) return -1
    let lo = 0; let hi = a.length
    while (lo < hi) { // first index with node > key
      const mid = (lo + hi) >>> 1
      if (compareToKey(a[mid], kp, key) <= 0) lo = mid + 1; else hi = mid
    }
    return (lo - 1 + a.length) % a.length
  }

  /** closestIndex over the oracle's table: prefixes from the shared typed array, ids only on prefix ties. */
  private closestInView (kp: number, key: bigint): number {
    const { ring, pre } = this.view as RingView
    const seg = this.seg as Int32Array
    const off = this.off
    const n = this.len
    if (n === 0) return -1
    let lo = 0; let hi = n
    while (lo < hi) { // first index with node > key
      const mid = (lo + hi) >>> 1
      const r = seg[off + mid]
      const p = pre[r]
      if (p < kp || (p === kp && ring[r].id <= key)) lo = mid + 1; else hi = mid
    }
    return (lo - 1 + n) % n
  }

  /** The first known node after `key` (undefined when nothing is known). */
  after (key: bigint, kp: number): NodeInfo | undefined {
    const i = this.closestIndex(kp, key)
    return i < 0 ? undefined : this.at((i + 1) % this.size)
  }

  /**
   * n.peer === this host, reading n's object only: a node of ours with a vnode index we have holds
   * that vnode's id (ids are derived from (peer, vnode) and checked on receipt), so a different prefix
   * settles it without comparing peer-id strings (another object, a cache miss per entry at 10^6 hosts).
   */
  isOwn (n: NodeInfo): boolean {
    const v = this.vnodes[n.vnode]
    if (v !== undefined && v.self.p !== n.p) return false
    return n.peer === this.host
  }

  vnodeOf (n: NodeInfo): VNode | undefined {
    if (n.peer !== this.host) return undefined
    const v = this.vnodes[n.vnode]
    return v !== undefined && v.self.tag === n.tag ? v : undefined
  }

  /** Forget every vnode of a peer (it was found dead). Returns true when anything changed. */
  removePeer (peer: string): boolean { return this.remove(n => n.peer === peer) }

  /** Forget one node (it left). Returns true when anything changed. */
  removeNode (tag: string): boolean { return this.remove(n => n.tag === tag) }

  private remove (gone: (n: NodeInfo) => boolean): boolean {
    let changed = false
    for (const v of this.vnodes) {
      if (v.pred !== undefined && gone(v.pred)) { v.pred = undefined; changed = true }
      const before = v.succs.length
      v.succs = v.succs.filter(s => !gone(s))
      if (v.succs.length !== before) changed = true
      for (let i = 0; i < v.fingers.length; i++) {
        const f = v.fingers[i]
        if (f !== undefined && gone(f)) { v.fingers[i] = undefined; changed = true }
      }
    }
    if (changed) this.invalidate()
    return changed
  }

  /** Routing entries held by this host: distinct finger entries + successor-list entries + predecessors. */
  entryCount (): number {
    let n = 0
    for (const v of this.vnodes) {
      n += v.distinctFingers() + v.succCount + (v.pred !== undefined ? 1 : 0)
    }
    return n
  }
}
