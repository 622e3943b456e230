/** Chord options with their defaults. */
import type { PeerRef } from '../overlay/types.js'
import type { ChordStore } from './store.js'

export interface ChordOptions {
  /** Identifier bits m. @default 160 */
  bits?: number
  /** Virtual nodes per host. @default 1 */
  vnodes?: number
  /** Expected ring size, used only for the default successor-list length. @default 1024 */
  expectedNodes?: number
  /** Successor-list length r. @default max(8, 2·ceil(log2(expectedNodes))) */
  successors?: number
  /** Copies of every item: the owner plus the next replicas−1 distinct hosts. @default 3 */
  replicas?: number
  /** Nodes to join through; none ⇒ this host starts a new ring. @default [] */
  bootstrap?: PeerRef[]
  /** Start maintenance timers (stabilize, fix_fingers, check_predecessor, replication). @default true */
  maintenance?: boolean
  /** Mean stabilize period per vnode; each period is uniform in [0.5, 1.5] × this. @default 1000 */
  stabilizeMs?: number
  /** Mean fix_fingers period per vnode (one finger lookup per period), same jitter. @default 1000 */
  fixFingersMs?: number
  /** check_predecessor period. @default 2000 */
  checkPredecessorMs?: number
  /** Replication (digest to replicas, lease refresh, garbage collection) period. @default 5000 */
  replicateMs?: number
  /** Timeout of one request to one peer. @default 1000 */
  rpcTimeoutMs?: number
  /** Overall limit for a lookup. @default 30000 */
  lookupTimeoutMs?: number
  /** Candidates a node returns with each iterative step (the best plus fall-backs). @default 4 */
  alternates?: number
  /** Lookup style: the caller drives each step (iterative), or nodes forward (recursive). @default 'iterative' */
  lookupMode?: 'iterative' | 'recursive'
  /** A lookup contacts the presumed owner to confirm it is alive and owns the key (not counted as a hop). @default false */
  verifyOwner?: boolean
  /** Drop a peer from this host's tables when a request to it times out. @default true */
  repairOnTimeout?: boolean
  /**
   * Ring-merge check period (see merge.ts): a host that dropped peers as dead probes one of them this
   * often, so rings formed on both sides of a healed partition merge again. It scales with the
   * maintenance budget; 0 disables. @default 5 × stabilizeMs (5000)
   */
  mergeCheckMs?: number
  /** Dead peers remembered for the merge check (the most recent ones). @default 16 */
  mergeMemory?: number
  /** A remembered peer that never answered a probe is forgotten after this long. @default 3600000 */
  mergeForgetMs?: number
  /** Largest value accepted by put. @default 65536 */
  maxValueBytes?: number
  /** Provider records live this long. @default 86400000 */
  providerTtlMs?: number
  /** Tombstones of deleted keys are kept this long. @default 600000 */
  tombstoneMs?: number
  /** Item store factory. @default in-memory */
  store?: () => ChordStore
}

export interface ResolvedOptions {
  bits: number; vnodes: number; successors: number; replicas: number; bootstrap: PeerRef[]
  maintenance: boolean; stabilizeMs: number; fixFingersMs: number; checkPredecessorMs: number
  replicateMs: number; rpcTimeoutMs: number; lookupTimeoutMs: number; alternates: number
  lookupMode: 'iterative' | 'recursive'; verifyOwner: boolean; repairOnTimeout: boolean
  mergeCheckMs: number; mergeMemory: number; mergeForgetMs: number
  maxValueBytes: number; providerTtlMs: number; tombstoneMs: number; store?: () => ChordStore
}

export function resolveOptions (o: ChordOptions = {}): ResolvedOptions {
  const bits = o.bits ?? 160
  if (!Number.isInteger(bits) || bits < 8 || bits > 256) throw new RangeError('bits must be an integer in [8, 256]')
  const vnodes = o.vnodes ?? 1
  if (!Number.isInteger(vnodes) || vnodes < 1 || vnodes > 1024) throw new RangeError('vnodes must be in [1, 1024]')
  const expected = Math.max(2, o.expectedNodes ?? 1024)
  return {
    bits,
    vnodes,
    successors: Math.max(1, o.successors ?? Math.max(8, 2 * Math.ceil(Math.log2(expected)))),
    replicas: Math.max(1, o.replicas ?? 3),
    bootstrap: o.bootstrap ?? [],
    maintenance: o.maintenance ?? true,
    stabilizeMs: o.stabilizeMs ?? 1000,
    fixFingersMs: o.fixFingersMs ?? 1000,
    checkPredecessorMs: o.checkPredecessorMs ?? 2000,
    replicateMs: o.replicateMs ?? 5000,
    rpcTimeoutMs: o.rpcTimeoutMs ?? 1000,
    lookupTimeoutMs: o.lookupTimeoutMs ?? 30000,
    alternates: Math.max(1, o.alternates ?? 4),
    lookupMode: o.lookupMode ?? 'iterative',
    verifyOwner: o.verifyOwner ?? false,
    repairOnTimeout: o.repairOnTimeout ?? true,
    mergeCheckMs: Math.max(0, o.mergeCheckMs ?? 5 * (o.stabilizeMs ?? 1000)),
    mergeMemory: Math.max(0, Math.floor(o.mergeMemory ?? 16)),
    mergeForgetMs: o.mergeForgetMs ?? 3_600_000,
    maxValueBytes: o.maxValueBytes ?? 65536,
    providerTtlMs: o.providerTtlMs ?? 86_400_000,
    tombstoneMs: o.tombstoneMs ?? 600_000,
    store: o.store
  }
}
