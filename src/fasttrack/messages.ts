/**
 * The FastTrack message union the machine works with. The codec (codec.ts) maps it to protobuf frames
 * (fasttrack.proto) with hard limits; in the simulator messages may also travel as plain objects.
 */
import type { PeerRef, SearchHit } from '../overlay/index.js'
import type { XferMsg } from '../search/transfer-codec.js'

export const ROLE_LEAF = 0
export const ROLE_SUPERNODE = 1
export type Role = typeof ROLE_LEAF | typeof ROLE_SUPERNODE

/** A refresh-list entry as exchanged on the wire. */
export interface SupernodeInfo {
  peer: PeerRef
  capacity: number
  leaves: number
  /** The supernode accepted leaves when this was last known. */
  room: boolean
}

/** An eligible non-supernode peer: a candidate in elections. */
export interface CandidateInfo {
  peer: PeerRef
  capacity: number
}

/** One shared file as a leaf uploads it to its supernode. */
export interface ShareEntry {
  name: string
  size: number
  /** Content hash (SHA-256, lowercase hex), the key of the direct-transfer protocol. */
  hash: string
  keywords?: string[]
}

/** One search result travelling back along the reverse path. */
export interface HitEntry {
  /** The leaf (or supernode) that holds the file. */
  peer: PeerRef
  /** The supernode that indexed it: where a push request for a firewalled holder goes. */
  via: PeerRef
  firewalled: boolean
  name: string
  size: number
  hash: string
}

/**
 * Every message may carry the sender's own dialable addresses (`addrs`). The machine stamps them on
 * the messages that introduce it (probe, attach, ping, link, elect and their replies), so the peers
 * that hand its PeerRef on (refresh lists, hits) can give others something to dial.
 */
export type FtMessage = FtBody & { addrs?: readonly string[] }

/** Message types that introduce the sender and carry its addresses. */
export const INTRO_TYPES: ReadonlySet<string> = new Set(['probe', 'probe_reply', 'attach', 'attach_reply', 'ping', 'pong', 'link', 'link_reply', 'elect'])

export type FtBody =
  /** Who are you, whom do you know? Sent to bootstrap peers and to refresh the candidate list. */
  | { type: 'probe', capacity: number, eligible: boolean, role: Role }
  | { type: 'probe_reply', capacity: number, eligible: boolean, role: Role, leaves: number, supernodes: SupernodeInfo[], candidates: CandidateInfo[] }
  /** Leaf asks a supernode to take it as a child. */
  | { type: 'attach', capacity: number, firewalled: boolean }
  | { type: 'attach_reply', accepted: boolean, capacity: number, leaves: number, supernodes: SupernodeInfo[], candidates: CandidateInfo[] }
  /**
   * Leaf uploads (a batch of) its share list. `epoch` grows with every full re-upload: a batch of a
   * newer epoch replaces what was indexed for the leaf, one of an older epoch is stale and ignored,
   * so batches may arrive in any order.
   */
  | { type: 'shares', epoch: number, files: ShareEntry[] }
  | { type: 'unshare', hashes: string[] }
  /** Heartbeat leaf→supernode and supernode→supernode; the pong carries a refresh-list sample. */
  | { type: 'ping', capacity: number, leaves: number }
  | { type: 'pong', role: Role, capacity: number, leaves: number, supernodes: SupernodeInfo[] }
  /** Supernode → leaf: I am demoting or stopping, attach elsewhere (sample attached). Leaf → supernode: I leave. */
  | { type: 'detach', supernodes: SupernodeInfo[], candidates: CandidateInfo[] }
  /**
   * Bully election: `eid` is the initiator's election number, echoed in replies. `full` names the
   * supernodes that refused the initiator lately, so a candidate does not redirect it back to them.
   */
  | { type: 'elect', eid: number, capacity: number, eligible: boolean, full: string[] }
  | { type: 'elect_ok', eid: number }
  /** I am not a candidate (not eligible, or a supernode without room). */
  | { type: 'elect_no', eid: number }
  /** The election's winner (sent by the winner or relayed by a candidate that took over). */
  | { type: 'coordinator', eid: number, winner: SupernodeInfo }
  /** Supernode ↔ supernode peering. */
  | { type: 'link', capacity: number, leaves: number }
  | { type: 'link_reply', accepted: boolean, capacity: number, leaves: number, supernodes: SupernodeInfo[] }
  | { type: 'unlink' }
  /** A search: leaf → its supernode, then flooded among supernodes; `qid` is 16 bytes, hex. */
  | { type: 'query', qid: string, ttl: number, hops: number, text: string }
  | { type: 'hit', qid: string, hops: number, hits: HitEntry[] }
  /** Ask the supernode `via` to tell its firewalled leaf `target` to connect out to `requester`. */
  | { type: 'push', target: string, requester: PeerRef, hash: string, token: string }

export type FtType = FtBody['type']
export type FtOf<T extends FtType> = Extract<FtBody, { type: T }> & { addrs?: readonly string[] }

/** Everything on a FastTrack stream: overlay frames and the shared direct-transfer frames. */
export type FastTrackMsg = FtMessage | XferMsg

/** A search hit with what a FastTrack download needs: the indexing supernode, for a push. */
export interface FastTrackHit extends SearchHit {
  via: PeerRef
  firewalled: boolean
}
