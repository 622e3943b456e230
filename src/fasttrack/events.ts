/** The events a FastTrack node emits (the public API and metrics listen to them), one typed union. */
import type { PeerRef } from '../overlay/index.js'
import type { FastTrackHit } from './messages.js'

export type FastTrackEvent =
  /** A search started (this node's own). */
  | { type: 'fasttrack:search', qid: string, text: string }
  /** A hit for one of our searches, `latencyMs` after it started. */
  | { type: 'fasttrack:hit', qid: string, hit: FastTrackHit, latencyMs: number }
  /** A search ended (limit, timeout or cancel) with `hits` results. */
  | { type: 'fasttrack:search-done', qid: string, hits: number }
  /** This leaf attached to `supernode`. */
  | { type: 'fasttrack:attached', supernode: string }
  /** This leaf lost its supernode (`reason`: timeout, unreachable, demoted, detached). */
  | { type: 'fasttrack:orphaned', supernode: string, reason: string }
  /** This node became a supernode or went back to being a leaf. */
  | { type: 'fasttrack:role', role: 'supernode' | 'leaf' }
  /** A push request reached us (we are firewalled): we connect out to `requester`. */
  | { type: 'fasttrack:push', requester: PeerRef, hash: string }
