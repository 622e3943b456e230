/**
 * What the machine shares with its parts (election, supernode role): the Env, the resolved options,
 * the refresh and candidate lists, and this node's current capacity.
 */
import type { Env, PeerRef } from '../overlay/index.js'
import type { FastTrackEvent } from './events.js'
import type { FastTrackMsg, SupernodeInfo } from './messages.js'
import type { ResolvedOptions } from './options.js'
import type { CandidateList, RefreshList } from './refresh-list.js'
import type { RttEstimator } from './attach-backoff.js'

export interface FtContext {
  readonly env: Env<FastTrackMsg, FastTrackEvent>
  readonly o: ResolvedOptions
  readonly refresh: RefreshList
  readonly candidates: CandidateList
  /** Round trips measured to the peers we ask (a slow network, e.g. an overloaded host, stretches waits). */
  readonly rtt: RttEstimator
  /** Current capacity score (declared bandwidth × uptime factor). */
  capacity (): number
  /** May this node be a supernode now? */
  eligible (): boolean
  /** This node as a refresh-list entry (meaningful when it is a supernode). */
  selfInfo (): SupernodeInfo
  /**
   * Count a refused or dropped piece of bad input (`ft.bad.<reason>`); with `from`, the peer that sent
   * it is penalised too (see refuse() in overlay/penalty.ts; `weight` from PENALTY, default `refused`).
   */
  bad (reason: string, from?: PeerRef, weight?: number): void
}
