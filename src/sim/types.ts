/**
 * The simulator's data: its options, a spawned node, and the one recycled event class. Apart from the
 * Simulator so that the run loop, the per-node Env and these shapes each stay small.
 */
import type { Env, IoResult, Machine, OverlaySpec, PeerRef } from '../overlay/types.js'
import type { Signer } from '../overlay/identity.js'
import type { Stats } from '../overlay/stats.js'
import type { Coords, LatencyModel } from './network.js'
import type { TimerSlots } from './timers.js'

export interface SimOptions {
  /** @default 1 */
  seed?: number | string
  /** @default { kind: 'constant', ms: 10 } */
  latency?: LatencyModel
  /** Probability that a message is lost. @default 0 */
  lossRate?: number
  /** Encode and decode every message through the codec (fidelity; slower). @default false */
  wire?: boolean
  /** Measure message sizes with the codec for stats and bandwidth (forced on for capped nodes). @default false */
  measureBytes?: boolean
  /** A send to a dead or unknown peer calls the sender's onPeerUnreachable after one latency. @default false */
  notifyUnreachable?: boolean
  /** Each node gets its own Stats instead of sharing sim.stats. @default false */
  perNodeStats?: boolean
  /** Virtual delay of an io request. @default 0 */
  ioLatencyMs?: number
  /**
   * Keep each link first-in first-out, as a stream is: a message never overtakes an earlier one
   * from the same sender to the same receiver, whatever the latency model draws. @default false
   */
  fifoLinks?: boolean
}

export interface SpawnOptions {
  /** @default the signer's peer id when a signer is given, else `n` + spawn index, zero-padded to 6 digits */
  id?: string
  /**
   * The node's identity key (see `simIdentity`): its peer id becomes the node id and machines sign with
   * it through `env.signer`, as live nodes do. Without one the node runs unsigned.
   */
  signer?: Signer
  /** Upload bandwidth in bytes/s; messages serialize on it. @default unlimited */
  upBps?: number
  /** Download bandwidth in bytes/s. @default unlimited */
  downBps?: number
  /** Position for the 'coordinates' latency model. */
  coords?: Coords
}

export interface SimNode<M = any, Mach = Machine<M>> extends TimerSlots<TimerEvent> {
  readonly id: string
  readonly ref: PeerRef
  readonly index: number
  readonly machine: Mach
  readonly env: Env<M>
  alive: boolean
  stats: Stats
  /** Messages delivered to this node (its load). */
  received: number
  sent: number
  readonly spec: OverlaySpec<M, any, any>
  readonly options: unknown
  readonly spawnOptions: SpawnOptions
  /** @internal */ upFreeAt: number
  /** @internal */ downFreeAt: number
  /** @internal How many timers are armed; undefined when none. */ readonly timers: { readonly size: number } | undefined
}

/** @internal */
/** `DeliverDown`: a delivery that has had its turn on the receiver's downlink (runs as Deliver, not re-queued). */
export const enum Kind { Deliver, Timer, Call, Io, Unreachable, DeliverDown }

/**
 * One class for every kind of event, so the queue and the run loop see one object shape (monomorphic
 * property access), and events are recycled through a free list: a steady-state run allocates no
 * event objects. `node` is the node the event happens at (the receiver of a delivery). Fields are
 * shared between kinds (`msg`, `key`, the downlink flag in `kind`), and the time and seq live only in
 * the queue's keys (a time is a double: as a field it was an object of its own), so an event is 96
 * bytes with nothing beside it: at 10^4+ nodes the queued events do not fit in the cache, and each is
 * read cold when it runs.
 */
/** @internal */
export class SimEvent {
  /** The event's id in the queue while queued (its time and seq live in the queue's keys only). */
  hid = -1
  /** On the free list (recycled): set by release, cleared by alloc. */
  free = false
  kind: Kind = Kind.Call
  node: SimNode | undefined = undefined
  /**
   * Deliver: the sender's ref (made by spawn, so it carries its node) and index, so that a delivery
   * reads neither from the sender's node object (cold at 10^4+ nodes by the time the message arrives).
   */
  from: PeerRef | undefined = undefined
  fromIndex = 0
  /** Deliver: the message; Call: the function; Io: the result; Unreachable: the peer. */
  msg: unknown = undefined
  size = 0
  /** Timer: its key; Io: the token; Deliver: the receiver's id (it may die and rejoin while the message flies). */
  key = ''
}
/** @internal */
export type TimerEvent = SimEvent
