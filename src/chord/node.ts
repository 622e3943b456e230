/**
 * Chord node identities. A virtual node's ring id is derived from its host's peer id and its
 * virtual-node index by hashing (SHA-1 for m ≤ 160, SHA-256 above), so a host cannot choose where it
 * sits. Ids are bigints (exact at any m); each NodeInfo also carries a 48-bit numeric prefix `p` so
 * hot paths (sorting, binary search) compare numbers and touch bigints only on prefix ties.
 */
import { sha1 } from '@noble/hashes/legacy.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { idToHex, utf8 } from '../overlay/ids.js'
import type { PeerRef } from '../overlay/types.js'

/** Bits of the numeric prefix: 48 keeps every prefix an exact double. */
export const PREFIX_BITS = 48

/** One virtual node as peers see it. Immutable once made; shared freely between tables. */
export interface NodeInfo {
  /** The host's peer id (libp2p peer id string, or the simulator's node id). */
  readonly peer: string
  /** Virtual-node index on that host, 0-based. */
  readonly vnode: number
  /** Ring id, m bits. */
  readonly id: bigint
  /** Top PREFIX_BITS bits of the id (id shifted left when m < 48), for cheap ordering. */
  readonly p: number
  /** `${peer}/${vnode}`: identity for dedup. */
  readonly tag: string
  /** Where to send messages for this node (its host). */
  readonly ref: PeerRef
}

/**
 * Memo of derived ids, for the checks of ids other peers claim (isDerived, admission), which repeat
 * for the same peers. Bounded: a host's own ids are derived once and not memoised (at 10^6 simulated
 * hosts a memo of every host's id was ~100 bytes per host for nothing).
 */
const idMemo = new Map<string, bigint>()
const MEMO_MAX = 1 << 16

/** ring id of (peer, vnode): H(utf8(peer) ‖ 0x00 ‖ u32be(vnode)), top `bits` bits. Memoised (pure). */
export function deriveNodeId (peer: string, vnode: number, bits: number): bigint {
  const k = `${bits}:${peer}/${vnode}`
  let id = idMemo.get(k)
  if (id !== undefined) return id
  id = hashNodeId(peer, vnode, bits)
  if (idMemo.size >= MEMO_MAX) idMemo.clear()
  idMemo.set(k, id)
  return id
}

/**
 * hashToId(utf8(peer) ‖ 0x00 ‖ u32be(vnode), bits), written out: building a 10^6-host ring spent more
 * on TextEncoder, DataView and a byte-at-a-time bigint than on SHA-1 itself. ASCII peer ids (libp2p's,
 * the simulator's) are copied char by char; others go through the encoder. A test checks it equals hashToId.
 */
function hashNodeId (peer: string, vnode: number, bits: number): bigint {
  if (bits < 1 || bits > 256) throw new RangeError('id bits must be in [1, 256]')
  const n = peer.length
  let data = new Uint8Array(n + 5)
  let len = n
  for (let i = 0; i < n; i++) {
    const c = peer.charCodeAt(i)
    if (c > 0x7f) {
      const pb = utf8(peer)
      data = new Uint8Array(pb.length + 5)
      data.set(pb, 0)
      len = pb.length
      break
    }
    data[i] = c
  }
  data[len + 1] = vnode >>> 24; data[len + 2] = (vnode >>> 16) & 0xff; data[len + 3] = (vnode >>> 8) & 0xff; data[len + 4] = vnode & 0xff
  const digest = bits <= 160 ? sha1(data) : sha256(data)
  const v = digestToBigInt(digest)
  const shift = digest.length * 8 - bits
  return shift === 0 ? v : v >> BigInt(shift)
}

/** Big-endian bytes as a bigint, six bytes (exact in a double) per step. */
function digestToBigInt (d: Uint8Array): bigint {
  let v = 0n
  let i = d.length % 6
  if (i > 0) {
    let x = 0
    for (let j = 0; j < i; j++) x = x * 256 + d[j]
    v = BigInt(x)
  }
  for (; i < d.length; i += 6) {
    const x = ((((d[i] * 256 + d[i + 1]) * 256 + d[i + 2]) * 256 + d[i + 3]) * 256 + d[i + 4]) * 256 + d[i + 5]
    v = (v << 48n) | BigInt(x)
  }
  return v
}

/** Module-private mark: the m for which this object's id was found derived (0 = not checked). */
const VERIFIED = Symbol('chord.verified')
type Checked = NodeInfo & { [VERIFIED]?: number }

export function prefixOf (id: bigint, bits: number): number {
  return bits >= PREFIX_BITS ? Number(id >> BigInt(bits - PREFIX_BITS)) : Number(id) * 2 ** (PREFIX_BITS - bits)
}

/**
 * `ref` may be passed to share a live PeerRef (the driver's self ref, whose addresses track the
 * node's current listen addresses).
 */
export function makeNode (peer: string, vnode: number, bits: number, addrs?: readonly string[], id?: bigint, ref?: PeerRef): NodeInfo {
  const nid = id ?? hashNodeId(peer, vnode, bits)
  // the mark is set in the constructor, so it is stored in the object (added afterwards it went to a
  // separate property array: ~40 bytes more per node); an id we derived ourselves needs no check
  // later, a claimed id (decoded) is checked on first use
  return new Node(peer, vnode, nid, prefixOf(nid, bits), `${peer}/${vnode}`,
    ref ?? (addrs !== undefined && addrs.length > 0 ? { id: peer, addrs } : { id: peer }), id === undefined ? bits : 0)
}

const HALF = 2 ** (PREFIX_BITS / 2)

/**
 * A NodeInfo whose prefix is kept as two 24-bit halves, small integers stored in the object itself: a
 * double field is a separate boxed number in V8, one more cache miss per node compared (at 10^6
 * simulated hosts routing compares prefixes of nodes all over the heap).
 */
class Node implements NodeInfo {
  private readonly ph: number
  private readonly pl: number;
  [VERIFIED]: number

  constructor (readonly peer: string, readonly vnode: number, readonly id: bigint, p: number, readonly tag: string, readonly ref: PeerRef, verified: number) {
    this.ph = Math.floor(p / HALF)
    this.pl = p - this.ph * HALF
    this[VERIFIED] = verified
  }

  get p (): number { return this.ph * HALF + this.pl }
}

/**
 * True when `n.id` is the id derived from (n.peer, n.vnode) and the vnode index is below the network's
 * `maxVnodes` (so one peer id has at most maxVnodes ring positions). Objects already checked are remembered.
 */
export function isDerived (n: NodeInfo, bits: number, maxVnodes = 0x10000): boolean {
  if (n.vnode < 0 || n.vnode >= maxVnodes) return false
  if ((n as Checked)[VERIFIED] === bits) return true
  if (deriveNodeId(n.peer, n.vnode, bits) !== n.id) return false
  ;(n as Checked)[VERIFIED] = bits
  return true
}

const P = 2 ** PREFIX_BITS

/**
 * x ∈ (a, b] on the ring, deciding on the 48-bit prefixes when they are distinct (exact then) and on
 * the bigints otherwise. a == b means the whole ring.
 */
export function inHalfOpenFast (xp: number, x: bigint, a: NodeInfo, b: NodeInfo): boolean {
  if (xp !== a.p && xp !== b.p && a.p !== b.p) {
    const dx = (xp - a.p + P) % P
    const db = (b.p - a.p + P) % P
    return dx < db
  }
  if (a.id < b.id) return x > a.id && x <= b.id
  if (a.id > b.id) return x > a.id || x <= b.id
  return true
}

/** Clockwise distance from n to the key on the prefix ring (a number; exact order when differing by > 1). */
export function prefixDist (n: NodeInfo, kp: number): number {
  return (kp - n.p + P) % P
}

/** Total order on the ring's linear representation: by prefix, then by exact id. */
export function compareNodes (a: NodeInfo, b: NodeInfo): number {
  if (a.p !== b.p) return a.p < b.p ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Compare a node with a key given as (prefix, id). */
export function compareToKey (n: NodeInfo, kp: number, k: bigint): number {
  if (n.p !== kp) return n.p < kp ? -1 : 1
  return n.id < k ? -1 : n.id > k ? 1 : 0
}

const hexMemo = new WeakMap<NodeInfo, string>()
export function nodeHex (n: NodeInfo, bits: number): string {
  let h = hexMemo.get(n)
  if (h === undefined) { h = idToHex(n.id, bits); hexMemo.set(n, h) }
  return h
}

/** Clockwise distance a → b on a 2^bits ring. */
export function dist (a: bigint, b: bigint, mask: bigint): bigint {
  return (b - a) & mask
}
