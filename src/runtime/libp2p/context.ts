/**
 * What the driver's parts (outbound channels, inbound read loops) see of the driver: a narrow
 * context, so each part is readable alone (the pattern of fasttrack's FtContext).
 */
import type { AddressBook } from './addrs.js'
import type { OverlayComponents } from './components.js'
import type { PeerPolicy } from '../policy/peers.js'
import type { Stats } from '../../overlay/stats.js'
import type { Logger, Machine, OverlaySpec, PeerRef } from '../../overlay/types.js'

export interface DriverContext<M> {
  readonly spec: OverlaySpec<M, any, any>
  readonly components: OverlayComponents
  readonly stats: Stats
  readonly log: Logger
  readonly book: AddressBook
  readonly selfRef: PeerRef
  readonly peers: PeerPolicy
  /** True between start() and stop(). */
  readonly running: boolean
  /** Bumped by start() and stop(): async work from an older run checks it and gives up. */
  readonly generation: number
  /** Aborted by stop(): pending dials and drain waits end. */
  readonly signal: AbortSignal
  /** The running machine, or undefined before start / after stop. */
  readonly current: Machine<M> | undefined
  /** Run a machine callback; a throw is logged and counted, never fatal. */
  guard (what: string, fn: () => void): void
}

/** Driver tuning resolved from DriverOptions. */
export interface ChannelLimits {
  maxQueued: number
  dialTimeoutMs: number
  backoffMs: number
  closeTimeoutMs: number
  runOnLimitedConnection: boolean
}
