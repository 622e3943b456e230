/**
 * What the Chord machine shares with its parts (lookups, ring maintenance, replication, ring merge):
 * the Env, the resolved options, this host's vnodes and routing table, its item store, the request
 * layer, and the few operations one part asks of another. Parts import this file, never each other
 * nor the machine, so there is no import circle; the machine wires them together.
 */
import type { Env, PeerRef } from '../overlay/types.js'
import type { ChordEvent } from './events.js'
import type { ChordMessage, WireItem } from './messages.js'
import type { NodeInfo } from './node.js'
import type { ResolvedOptions } from './options.js'
import type { RouteTable, VNode } from './routing.js'
import type { ChordStore, StoredItem } from './store.js'

/** An answer from this host's routing state. */
export type RouteAnswer = { done: true, nodes: NodeInfo[] } | { done: false, nodes: NodeInfo[] }

export interface LookupRequest {
  key: bigint
  /** Start by asking this peer (used to join through a bootstrap node). */
  via?: PeerRef
  verifyOwner?: boolean
  mode?: 'iterative' | 'recursive'
  /** Disjoint paths (secure-lookup.ts); 1 is the plain iterative lookup. @default options.lookupPaths */
  paths?: number
  /** The lying-router-resistant walk (secure-lookup.ts) even on one path. @default paths > 1 */
  secure?: boolean
  /** Maintenance lookups do not emit 'chord:lookup' events. */
  internal?: boolean
  onHop?: (node: NodeInfo, hops: number) => void
}

export interface LookupOutcome {
  key: bigint
  owner: NodeInfo
  /** The owner followed by its successors (replica holders), as reported by the key's predecessor. */
  owners: NodeInfo[]
  hops: number
  path: NodeInfo[]
  timeouts: number
  messages: number
  latencyMs: number
}

export type LookupCallback = (err: Error | null, result?: LookupOutcome) => void

/** After a timeout, still accept a slow reply for `graceMs` (the request is then given up for good). */
export interface LateReply { graceMs: number, onLate: (msg: ChordMessage) => void, onGiveUp: () => void }

/** An open lookup, for abort and the overall timeout. */
export interface OpenLookup { cancel: () => void, fail?: (err: Error) => void }

/** Ring maintenance (maintenance.ts), as the other parts use it. */
export interface RingOps {
  /** Replace v's successor list (deduplicated, cut to r); emits and schedules replication on change. */
  setSuccs: (v: VNode, list: Array<NodeInfo | undefined>) => void
  /** Tell `target` that v might be its predecessor. */
  notify: (v: VNode, target: NodeInfo) => void
  /** Routing entries were removed: rebuild the merged table and refill empty successor lists. */
  tableChanged: () => void
  /** A lookup step for `key` was answered here as its predecessor's: stabilize soon where a node may have joined. */
  keyQueried: (key: bigint, asker: string) => void
  /** v's neighbourhood changed within the last moments (the ring is forming or repairing around it). */
  settling: (v: VNode) => boolean
  /** A message came from `peer` (authenticated by the transport): a predecessor heard from needs no ping. */
  heard: (peer: string) => void
}

/** The replicated store's owner/replica side (kv.ts), as the other parts use it. */
export interface KvOps {
  /** The first replicas−1 distinct remote hosts after v. */
  replicaTargets: (v: VNode) => NodeInfo[]
  /** Run a replication round within a moment (the replica set changed). */
  replicateSoon: () => void
  /** Replicate at once if a predecessor or replica host changed since the last check. */
  watch: () => void
  /** The periodic replication round. */
  replicate: () => void
  /** Hand the new predecessor n of v the items it now owns. */
  handoff: (v: VNode, n: NodeInfo) => void
  /** The items v owns (for a graceful leave). */
  ownedItems: (v: VNode) => WireItem[]
  /** Items pushed to us (replication, hand-off, leave) by `from`. */
  onItems: (from: PeerRef, items: WireItem[], handoff: boolean) => void
  /** Apply a write at this host (it owns the key); returns an error string or undefined. */
  applyStore: (from: PeerRef, w: WireItem, op: 'put' | 'delete' | 'provide') => string | undefined
  /** A value read back from `from` for `key`: validated for its namespace and unwrapped; undefined when invalid. */
  readValue: (from: PeerRef, key: Uint8Array, value: Uint8Array) => Uint8Array | undefined
  /** A live item held here, if any. */
  readLocal: (key: Uint8Array, kind: number) => StoredItem | undefined
}

/** The ring-merge check (merge.ts), as the other parts use it. */
export interface MergeOps {
  /** Remember a node whose host was just dropped as dead. */
  lost: (n: NodeInfo | undefined) => void
  /** The periodic check (timer 'merge'). */
  check: () => void
}

export interface ChordContext {
  readonly env: Env<ChordMessage, ChordEvent>
  readonly o: ResolvedOptions
  readonly bits: number
  /** 2^bits − 1. */
  readonly mask: bigint
  readonly self: PeerRef
  readonly vnodes: VNode[]
  readonly routes: RouteTable
  readonly store: ChordStore
  /** Started and not stopped. */
  readonly running: boolean
  /** Open lookups by lookup id. */
  readonly lookups: Map<number, OpenLookup>
  /** Forget a finished lookup (the table goes when empty: most simulated hosts are idle). */
  lookupDone (lid: number): void
  readonly ring: RingOps
  readonly kv: KvOps
  readonly merge: MergeOps

  /** A fresh request id (unguessable by other peers). */
  newReq: () => number
  /** A fresh lookup id (per host). */
  newLookupId: () => number
  /** Send a request and wait for the reply with the same req from the same peer, or time out. */
  request: (to: PeerRef, msg: ChordMessage & { req: number }, onReply: (m: ChordMessage) => void, onTimeout: () => void, timeoutMs?: number, late?: LateReply) => void
  cancelRequest: (req: number) => void
  send: (to: PeerRef, msg: ChordMessage) => void
  /** What this host knows about `key`: the owner list (done) or the closest preceding nodes. */
  route: (key: bigint, kp?: number, exclude?: string[]) => RouteAnswer
  lookup: (req: LookupRequest, cb: LookupCallback) => () => void
  /** A peer failed to answer: remember it for the merge check and drop it from the tables. */
  peerFailed: (peer: string) => void
  /** A request to `peer` timed out: true when that makes it dead (rtt.ts); else it is only a suspect. */
  missed: (peer: string) => boolean
  /** Timed out and not heard from since. */
  suspect: (peer: string) => boolean
  /** The timeout of the next request (rpcTimeoutMs, or more while round trips are slow). */
  rpcTimeout: () => number
  /** Smoothed round trip this host measures (ms); -1 while every round trip has been fast. */
  readonly srtt: number
  /** Third-party node lists: keep only entries whose id is derived from their peer id. */
  valid: (list: NodeInfo[], from?: PeerRef) => NodeInfo[]
  hex: (n: NodeInfo) => string
}
