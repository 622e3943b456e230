/**
 * The Chord message union as machines see it (the codec maps it to protobuf frames). Requests carry
 * a `req` id the reply echoes. Messages that name a vnode of the receiver use its index (`vnode`).
 */
import type { NodeInfo } from './node.js'

/** A provider record: a peer that announced it can serve a key, until `expires` (ms, sender's clock). */
export interface ProviderRecord {
  peer: string
  addrs: string[]
  expires: number
}

/** A stored item as it travels between replicas. */
export interface WireItem {
  /** The application key (raw bytes; its ring position is hash(key)). */
  key: Uint8Array
  /** 0 = value, 1 = provider set. */
  kind: number
  version: number
  /** Present for live values. */
  value?: Uint8Array
  deleted: boolean
  providers: ProviderRecord[]
}

export type ChordMessage =
  /** Iterative routing step: "who is closest to key, or who owns it?" */
  | { t: 'find', req: number, key: bigint, /** the key's 48-bit prefix (derived, not on the wire) */ kp?: number, /** peers the asker found dead: leave them out of the answer */ exclude?: string[], /** the asker was told we own the key: a vnode that does not know its predecessor yet accepts */ confirm?: boolean, /** also name, last, the first node we know after the key (secure lookups check owners against it; on the wire: kind = 1) */ succ?: boolean }
  /** done ⇒ `nodes` is the owner's successor list (owner first); else closest preceding candidates, best first. */
  | { t: 'next', req: number, done: boolean, nodes: NodeInfo[] }
  /** Recursive lookup, forwarded hop by hop; the node that knows the owner answers `origin` with `rdone`. */
  | { t: 'rfind', req: number, key: bigint, origin: string, originAddrs: string[], hops: number, path: NodeInfo[] }
  | { t: 'rdone', req: number, nodes: NodeInfo[], hops: number, path: NodeInfo[] }
  /** stabilize: ask vnode `vnode` of the receiver for its predecessor and successor list. */
  | { t: 'get_pred', req: number, vnode: number }
  | { t: 'pred', req: number, ok: boolean, pred?: NodeInfo, nodes: NodeInfo[] }
  /** `node` (a vnode of the sender) thinks it might be the predecessor of the receiver's vnode `vnode`. */
  | { t: 'notify', vnode: number, node: NodeInfo }
  | { t: 'ping', req: number }
  | { t: 'pong', req: number }
  /** Graceful leave of the sender's vnode `node`: its predecessor and successor list, and the items it owned. */
  | { t: 'leave', node: NodeInfo, pred?: NodeInfo, nodes: NodeInfo[], items: WireItem[] }
  /** Store an item at its owner (put, delete = tombstone, provide = provider record). */
  | { t: 'store', req: number, item: WireItem, op: 'put' | 'delete' | 'provide' }
  | { t: 'stored', req: number, ok: boolean, error?: string }
  /** Read an item. */
  | { t: 'fetch', req: number, key: Uint8Array, kind: number }
  | { t: 'fetched', req: number, key: Uint8Array, kind: number, found: boolean, item?: WireItem }
  /** Replication: the owner lists what it holds (key, kind, version); the replica asks for what it lacks. */
  | { t: 'digest', req: number, keys: Uint8Array[], kinds: number[], versions: number[], /** the owner's range (lo, hi]: items in it missing from the digest are pushed back */ lo: bigint, hi: bigint, /** the last batch of this period: only then are missing items pushed back */ last: boolean }
  | { t: 'want', req: number, keys: Uint8Array[], kinds: number[] }
  /** Items pushed to a replica (or handed to a new owner on join / leave). */
  | { t: 'items', items: WireItem[], handoff: boolean }

export type ChordMessageType = ChordMessage['t']
