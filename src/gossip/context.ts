/**
 * What the gossip machine shares with its parts (rumor mongering, anti-entropy, payload fetch, peer
 * upkeep): the Env, the resolved options, the stores, and the one way in for updates from peers.
 */
import type { Env, PeerRef } from '../overlay/types.js'
import type { GossipEvent } from './events.js'
import type { LwwMap } from './lww.js'
import type { Membership } from './membership.js'
import type { ResolvedOptions } from './options.js'
import type { SeenSet } from './seen.js'
import type { UpdateStore } from './store.js'
import type { GossipMessage, MapEntryWire, Update, UpdateId } from './types.js'

export type Via = 'rumor' | 'ae'

export interface GossipContext {
  readonly env: Env<GossipMessage, GossipEvent>
  readonly o: ResolvedOptions
  readonly store: UpdateStore
  readonly seen: SeenSet
  readonly map: LwwMap
  readonly membership: Membership
  /** Is the machine running (timers may be armed)? */
  running (): boolean
  /** Delay to a timer's first firing: aligned to the period, or a random phase. */
  firstDelay (periodMs: number): number
  /** Delay to its next firing: the next multiple of the period (aligned rounds) or one period. */
  nextDelay (periodMs: number): number
  /** Take in updates from `from`; returns the ids we already had and those that were new (for feedback). */
  receiveAll (from: PeerRef, updates: readonly Update[], via: Via): { known: UpdateId[], fresh: UpdateId[] }
  /** Take in one complete update (a fetched body); false when we already had it or refused it. */
  receive (from: PeerRef, u: Update, via: Via): boolean
  /** Rumor traffic with `peer` (anti-entropy then prefers other partners). */
  rumorContact (peer: PeerRef): void
  /** Merge a peer's map entries; returns how many keys changed here. */
  mergeEntries (from: PeerRef, entries: readonly MapEntryWire[]): number
}
