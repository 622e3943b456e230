/**
 * The resource policy every live driver enforces per peer, whatever the overlay: what a peer may make
 * this node buffer, how fast it may send, how long it may take to finish a frame, and how much
 * misbehaviour it may show before it is cut off and refused for a while. Anchors: the go-libp2p
 * resource manager (per-peer memory and stream budgets) and gossipsub v1.1 peer scoring (penalties
 * that decay, a threshold that disconnects, a back-off before the peer is accepted again).
 *
 * Types and defaults only (the contract floor); the drivers in src/runtime enforce them. An overlay
 * may tune its own defaults (`OverlaySpec.resources`), an application tightens or loosens them per
 * service (`driver: { resources: {...} }`). docs/limits.md says what each limit protects against.
 */

/** A token bucket: `perSec` tokens refill each second, up to `burst`. */
export interface RateLimit {
  perSec: number
  burst: number
}

/** How much each kind of misbehaviour adds to a peer's score (machine refusals bring their own weight, see PENALTY). */
export interface PenaltyWeights {
  /** A frame the codec cannot decode. */
  decodeError: number
  /** A well-framed message of a type this node does not know (likely a newer peer: light). */
  unknownType: number
  /** A length prefix over the frame limit, or a stream that ended inside a frame. */
  badFrame: number
  /** Each time a peer's stream is paused because it is over its frames/s or bytes/s rate. */
  rateExceeded: number
  /** A stream reset because a frame was not completed in time. */
  slow: number
  /**
   * A stream reset because the peer made us hold more than its buffer budget. Our own driver never
   * does (one stream per peer and protocol, one frame at a time, the budget is at least one frame),
   * so by default this alone cuts the peer off.
   */
  overBudget: number
}

export interface ScorePolicy {
  /** Past this score the peer's streams are reset, its connections closed and it is refused for `backoffMs`. */
  threshold: number
  /** The score halves every this many ms (penalties fade: an honest peer's rare error is forgotten). */
  halfLifeMs: number
  /** How long a peer past the threshold is refused; doubles for each repeat, up to `maxBackoffMs`. */
  backoffMs: number
  maxBackoffMs: number
  weights: PenaltyWeights
}

export interface ResourcePolicy {
  /** Bytes of incomplete frames this node holds for one peer across all its streams of this protocol. */
  maxBufferedBytesPerPeer: number
  /** Bytes of incomplete frames held for all peers of this protocol together. */
  maxBufferedBytesTotal: number
  /** A frame whose length prefix has arrived must be complete within this many ms, or its stream is reset (slowloris). */
  frameDeadlineMs: number
  /** An inbound stream that carries nothing for this long is closed (0 = never). */
  streamIdleMs: number
  /** Frames per second from one peer on this protocol; over it the peer's stream is paused (the sender waits). */
  frames: RateLimit
  /** Frame bytes per second from one peer on this protocol. */
  bytes: RateLimit
  /** Concurrent inbound streams of this protocol per connection. */
  maxInboundStreams: number
  /** Concurrent outbound streams of this protocol per connection. */
  maxOutboundStreams: number
  score: ScorePolicy
}

/** A partial policy: any field, nested objects partially. */
export type ResourcePolicyInit = Partial<Omit<ResourcePolicy, 'frames' | 'bytes' | 'score'>> & {
  frames?: Partial<RateLimit>
  bytes?: Partial<RateLimit>
  score?: Partial<Omit<ScorePolicy, 'weights'>> & { weights?: Partial<PenaltyWeights> }
}

/**
 * Defaults for a public node: generous enough for every overlay's honest bursts (a gossip broadcast
 * fan-in, a Chord stabilisation round, a search reply storm), tight enough that one peer cannot hold
 * more than a few MiB or a core. Local swarms use the same values (tests check them).
 */
export const RESOURCE_DEFAULTS: ResourcePolicy = {
  maxBufferedBytesPerPeer: 4 * 1024 * 1024,
  maxBufferedBytesTotal: 64 * 1024 * 1024,
  frameDeadlineMs: 10_000,
  streamIdleMs: 600_000,
  // a burst is processed in one go (one chunk of tiny frames): keep it to a few tens of ms of work;
  // over the rate a stream is paused, not dropped, so an honest burst only waits
  frames: { perSec: 4_000, burst: 2_000 },
  bytes: { perSec: 64 * 1024 * 1024, burst: 64 * 1024 * 1024 },
  maxInboundStreams: 16,
  maxOutboundStreams: 16,
  score: {
    threshold: 100,
    halfLifeMs: 10_000,
    backoffMs: 60_000,
    maxBackoffMs: 3_600_000,
    weights: { decodeError: 0.2, unknownType: 0.01, badFrame: 10, rateExceeded: 2, slow: 50, overBudget: 100 }
  }
}

/** Fill a policy from `base` (the defaults unless given), then each layer in order (overlay defaults, then the application's). */
export function resolveResourcePolicy (...layers: Array<ResourcePolicyInit | undefined>): ResourcePolicy {
  const d = RESOURCE_DEFAULTS
  const out: ResourcePolicy = { ...d, frames: { ...d.frames }, bytes: { ...d.bytes }, score: { ...d.score, weights: { ...d.score.weights } } }
  for (const l of layers) {
    if (l === undefined) continue
    const { frames, bytes, score, ...flat } = l
    for (const [k, v] of Object.entries(flat)) if (v !== undefined) (out as any)[k] = v
    if (frames !== undefined) Object.assign(out.frames, defined(frames))
    if (bytes !== undefined) Object.assign(out.bytes, defined(bytes))
    if (score !== undefined) {
      const { weights, ...rest } = score
      Object.assign(out.score, defined(rest))
      if (weights !== undefined) Object.assign(out.score.weights, defined(weights))
    }
  }
  return out
}

function defined<T extends object> (o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** Why a driver cut a peer off; the stable reason names in stats are `driver:<reason>`. */
export interface PeerBannedEvent {
  readonly [key: string]: unknown
  readonly type: 'driver:peer-banned'
  readonly peer: string
  /** The penalty that crossed the threshold (e.g. 'decode-error', 'gossip:bad-signature'). */
  readonly reason: string
  readonly score: number
  readonly backoffMs: number
  /** Ms from the peer's first penalty (since its score was last zero) to the cut-off. */
  readonly sinceFirstOffenceMs: number
}
