/** Chord options: DEFAULTS is the single source of every default; resolveOptions fills from it. */
import { InvalidArgumentError } from '../overlay/errors.js'
import type { PeerRef } from '../overlay/types.js'
import type { RecordNamespace } from './records.js'
import type { ChordStore } from './store.js'

export interface ChordOptions {
  /** Identifier bits m. @default 160 */
  bits?: number
  /** Virtual nodes per host. @default 1 */
  vnodes?: number
  /** Expected ring size, used only for the default successor-list length. @default 1024 */
  expectedNodes?: number
  /**
   * Successor-list length r. Unset, it is max(8, 2·⌈log2 expectedNodes⌉): 20 for the default 1024.
   * @default 20
   */
  successors?: number
  /** Copies of every item: the owner plus the next replicas−1 distinct hosts. @default 3 */
  replicas?: number
  /** Nodes to join through; none ⇒ this host starts a new ring. @default [] */
  bootstrap?: PeerRef[]
  /** Start maintenance timers (stabilize, fix_fingers, check_predecessor, replication). @default true */
  maintenance?: boolean
  /** Mean stabilize period per vnode; each period is uniform in [0.5, 1.5] × this. @default 1000 */
  stabilizeMs?: number
  /**
   * Fastest stabilize period: right after a vnode's successor list or predecessor changes (or a node
   * joins just after it) it stabilizes this often, and each quiet round doubles the period back up to
   * stabilizeMs. A forming ring converges in a few of these; a quiet one pays only stabilizeMs.
   * 0 keeps the period fixed at stabilizeMs. @default 50
   */
  stabilizeMinMs?: number
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
  /**
   * The join lookup is forwarded by the contact (recursive): the nodes on its path use the connections
   * they have and only the new node's predecessor-to-be connects back, where an iterative join opens a
   * connection from the new node to every node on the path (the main cost of forming a live ring).
   * Falls back to an iterative join when no answer comes. @default true
   */
  recursiveJoin?: boolean
  /** A lookup contacts the presumed owner to confirm it is alive and owns the key (not counted as a hop). @default false */
  verifyOwner?: boolean
  /** Drop a peer from this host's tables when a request to it times out. @default true */
  repairOnTimeout?: boolean
  /**
   * Ring-merge check period (see merge.ts): a host that dropped peers as dead probes one of them this
   * often, so rings formed on both sides of a healed partition merge again. It scales with the
   * maintenance budget (unset: 5 × stabilizeMs); 0 disables. @default 5000
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
  /** Item store factory; unset, items are kept in memory (MemoryStore). @default undefined */
  store?: () => ChordStore
  /**
   * Ring positions one peer id may hold: vnode indices 0 … maxVnodes−1. A NETWORK-WIDE constant (every
   * node must use the same value): node ids with a higher index are refused, so one peer id cannot place
   * itself before an arbitrary key. `vnodes` must not exceed it. @default 32
   */
  maxVnodes?: number
  /**
   * Accept writes to keys outside every registered namespace (no validator: anyone may overwrite them,
   * versions are taken on trust). An explicit choice for labs and the simulator (PROFILES.sim); on an
   * open network leave it off and use the `immutable` and `signed` namespaces. @default false
   */
  open?: boolean
  /**
   * Application namespaces (kad-dht's validators/selectors): key prefix `/<name>/` → validator and
   * selector. The built-in `imm` (immutable) and `signed` (BEP 44-style) namespaces are always present. @default {}
   */
  namespaces?: Record<string, RecordNamespace>
  /** Bytes of stored items (keys + values) this host keeps for everyone together; beyond it writes are refused. @default 268435456 */
  maxStoredBytes?: number
  /** Bytes of values one peer may have stored here through its own writes (store requests). @default 16777216 */
  maxPeerBytes?: number
  /**
   * Disjoint paths per lookup (S/Kademlia §4.4): d > 1 runs d iterative lookups that never share a node,
   * started from different first hops, and returns the closest owner any path confirmed. @default 1
   */
  lookupPaths?: number
}

export interface ResolvedOptions {
  bits: number; vnodes: number; successors: number; replicas: number; bootstrap: PeerRef[]
  maintenance: boolean; stabilizeMs: number; stabilizeMinMs: number; fixFingersMs: number; checkPredecessorMs: number
  replicateMs: number; rpcTimeoutMs: number; lookupTimeoutMs: number; alternates: number
  lookupMode: 'iterative' | 'recursive'; recursiveJoin: boolean; verifyOwner: boolean; repairOnTimeout: boolean
  mergeCheckMs: number; mergeMemory: number; mergeForgetMs: number
  maxValueBytes: number; providerTtlMs: number; tombstoneMs: number; store?: () => ChordStore
  maxVnodes: number; open: boolean; namespaces: Record<string, RecordNamespace>
  maxStoredBytes: number; maxPeerBytes: number; lookupPaths: number
}

/** The default of every option (the single source; `@default` tags above repeat these values). */
export const DEFAULTS = {
  bits: 160,
  vnodes: 1,
  expectedNodes: 1024,
  successors: 20,
  replicas: 3,
  bootstrap: [] as PeerRef[],
  maintenance: true,
  stabilizeMs: 1000,
  stabilizeMinMs: 50,
  fixFingersMs: 1000,
  checkPredecessorMs: 2000,
  replicateMs: 5000,
  rpcTimeoutMs: 1000,
  lookupTimeoutMs: 30000,
  alternates: 4,
  lookupMode: 'iterative' as 'iterative' | 'recursive',
  recursiveJoin: true,
  verifyOwner: false,
  repairOnTimeout: true,
  mergeCheckMs: 5000,
  mergeMemory: 16,
  mergeForgetMs: 3_600_000,
  maxValueBytes: 65536,
  providerTtlMs: 86_400_000,
  tombstoneMs: 600_000,
  store: undefined as (() => ChordStore) | undefined,
  maxVnodes: 32,
  open: false,
  namespaces: {} as Record<string, RecordNamespace>,
  maxStoredBytes: 268435456,
  maxPeerBytes: 16777216,
  lookupPaths: 1
}

/** Named overrides of DEFAULTS: the live service and the simulator harnesses start from these. */
export const PROFILES: { live: ChordOptions, sim: ChordOptions } = {
  live: {},
  /** Simulated labs store plain keys (no validator): open. */
  sim: { open: true }
}

export function resolveOptions (o: ChordOptions = {}): ResolvedOptions {
  const d = DEFAULTS
  const bits = o.bits ?? d.bits
  if (!Number.isInteger(bits) || bits < 8 || bits > 256) throw new InvalidArgumentError('bits must be an integer in [8, 256]')
  const vnodes = o.vnodes ?? d.vnodes
  if (!Number.isInteger(vnodes) || vnodes < 1 || vnodes > 1024) throw new InvalidArgumentError('vnodes must be in [1, 1024]')
  const maxVnodes = o.maxVnodes ?? d.maxVnodes
  if (!Number.isInteger(maxVnodes) || maxVnodes < 1 || maxVnodes > 0x10000) throw new InvalidArgumentError('maxVnodes must be in [1, 65536]')
  if (vnodes > maxVnodes) throw new InvalidArgumentError(`vnodes (${vnodes}) exceeds maxVnodes (${maxVnodes}), the network-wide limit`)
  const expected = Math.max(2, o.expectedNodes ?? d.expectedNodes)
  const stabilizeMs = o.stabilizeMs ?? d.stabilizeMs
  return {
    bits,
    vnodes,
    successors: Math.max(1, o.successors ?? (o.expectedNodes === undefined ? d.successors : Math.max(8, 2 * Math.ceil(Math.log2(expected))))),
    replicas: Math.max(1, o.replicas ?? d.replicas),
    bootstrap: o.bootstrap ?? [...d.bootstrap],
    maintenance: o.maintenance ?? d.maintenance,
    stabilizeMs,
    stabilizeMinMs: Math.max(0, Math.min(stabilizeMs, o.stabilizeMinMs ?? d.stabilizeMinMs)),
    fixFingersMs: o.fixFingersMs ?? d.fixFingersMs,
    checkPredecessorMs: o.checkPredecessorMs ?? d.checkPredecessorMs,
    replicateMs: o.replicateMs ?? d.replicateMs,
    rpcTimeoutMs: o.rpcTimeoutMs ?? d.rpcTimeoutMs,
    lookupTimeoutMs: o.lookupTimeoutMs ?? d.lookupTimeoutMs,
    alternates: Math.max(1, o.alternates ?? d.alternates),
    lookupMode: o.lookupMode ?? d.lookupMode,
    recursiveJoin: o.recursiveJoin ?? d.recursiveJoin,
    verifyOwner: o.verifyOwner ?? d.verifyOwner,
    repairOnTimeout: o.repairOnTimeout ?? d.repairOnTimeout,
    mergeCheckMs: Math.max(0, o.mergeCheckMs ?? (o.stabilizeMs === undefined ? d.mergeCheckMs : 5 * stabilizeMs)),
    mergeMemory: Math.max(0, Math.floor(o.mergeMemory ?? d.mergeMemory)),
    mergeForgetMs: o.mergeForgetMs ?? d.mergeForgetMs,
    maxValueBytes: o.maxValueBytes ?? d.maxValueBytes,
    providerTtlMs: o.providerTtlMs ?? d.providerTtlMs,
    tombstoneMs: o.tombstoneMs ?? d.tombstoneMs,
    store: o.store ?? d.store,
    maxVnodes,
    open: o.open ?? d.open,
    namespaces: o.namespaces ?? { ...d.namespaces },
    maxStoredBytes: o.maxStoredBytes ?? d.maxStoredBytes,
    maxPeerBytes: o.maxPeerBytes ?? d.maxPeerBytes,
    lookupPaths: Math.max(1, Math.floor(o.lookupPaths ?? d.lookupPaths))
  }
}

/**
 * Hosts made from the same options object share its resolved form, frozen (one is ~350 bytes: 10^6
 * simulated hosts made from one object would hold 10^6 copies). ChordMachine.join() replaces its
 * options rather than change them.
 */
const resolvedOf = new WeakMap<ChordOptions, ResolvedOptions>()
export function sharedOptions (options: ChordOptions): ResolvedOptions {
  let r = resolvedOf.get(options)
  if (r === undefined) { r = Object.freeze(resolveOptions(options)); resolvedOf.set(options, r) }
  return r
}
