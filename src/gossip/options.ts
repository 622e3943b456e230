/**
 * Gossip options: `DEFAULTS` is the single source of every default (the model of Demers et al., as
 * the simulator and the experiments run it); `PROFILES.live` is what the libp2p service (`gossip()`)
 * lays over it — rumors pushed at once, short rounds, frequent anti-entropy, a long TTL.
 */
import type { PeerRef } from '../overlay/types.js'
import type { AeMode, RumorMode, StopRule } from './types.js'

export type MembershipOptions =
  /** Uniform choice among all nodes (Demers). `peers` may be shared by reference between simulated nodes. */
  | { kind: 'full', peers?: readonly PeerRef[] }
  /** A bounded partial view kept by a Cyclon shuffle. */
  | { kind: 'cyclon', viewSize?: number, shuffleLength?: number, periodMs?: number, bootstrap?: readonly PeerRef[] }

export interface GossipOptions {
  /** Rumor mongering direction; 'none' turns rumor mongering off (pure anti-entropy). @default 'push' */
  mode?: RumorMode | 'none'
  /** When an infected node loses interest in a rumor. @default 'feedback-counter' */
  stop?: StopRule
  /** The counter limit, or 1/probability for the coin (`gossip()`: PROFILES.live, 2). @default 3 */
  k?: number
  /** Partners contacted per round (`gossip()`: 3). @default 1 */
  fanout?: number
  /** Length of a round (gossip period; `gossip()`: 200). @default 1000 */
  periodMs?: number
  /**
   * Fire every node's round at multiples of periodMs (synchronous rounds, as in the paper; for the
   * simulator). Off, each node's rounds start at a random phase. @default false
   */
  alignRounds?: boolean
  /** Push a new rumor to `fanout` partners as soon as it arrives instead of at the next round (`gossip()`: true). @default false */
  eager?: boolean
  /** Contacts a node accepts per round; more are refused with 'busy' (0 = unlimited). @default 0 */
  connectionLimit?: number
  /** After a refusal, try up to this many other partners in the same round (the paper's hunting). @default 0 */
  hunt?: number
  /**
   * Anti-entropy every `periodMs` (0 = off) with a random partner. Adaptive when `maxPeriodMs` is
   * larger (unset: equal to periodMs, a fixed period as in the paper): while exchanges find nothing
   * to repair the period doubles up to maxPeriodMs, and the first exchange that repairs something
   * brings it straight back to periodMs (`gossip()`: 1000 ms, backing off to 8000 ms when idle).
   * Adaptive only: a new rumor arms one follow-up exchange `followUpMs` later (unset: 2 × periodMs,
   * once rumor mongering has had time to finish), which is how a node the rumor missed is found
   * before the backed-off period; shorter finds stragglers sooner, at the cost of exchanges that
   * may run while the rumor is still spreading.
   * @default { periodMs: 10000, mode: 'push-pull', maxPeriodMs: 10000, followUpMs: 20000 }
   */
  antiEntropy?: { periodMs: number, mode?: AeMode, maxPeriodMs?: number, followUpMs?: number }
  /** @default { kind: 'full' } */
  membership?: MembershipOptions
  /**
   * Peers dropped from the membership because they failed (unreachable, an unanswered Cyclon
   * shuffle) are remembered (at most `maxPeers`, the oldest forgotten first) and, while any is, one
   * of them is probed every `periodMs` on average (jittered ±50%; 0 = off): without it, after a
   * partition longer than failure detection both sides have dropped every peer of the other and
   * never reconcile once it heals. A probe that gets an answer puts the peer back.
   * @default { periodMs: 5000, maxPeers: 32 }
   */
  recovery?: { periodMs?: number, maxPeers?: number }
  /**
   * Updates expire this long after publication: no longer stored, relayed, repaired or accepted. So it
   * is also the longest partition after which a broadcast still reaches the other side (`gossip()`:
   * 10 min, which covers such outages). @default 60000
   */
  ttlMs?: number
  /** Largest payload `publish` accepts. @default 1048576 */
  maxMessageBytes?: number
  /** Larger payloads are announced (id, size, SHA-256) and pulled from the announcer. @default 16384 */
  maxInlineBytes?: number
  /**
   * Largest payload accepted inline in a pushed update (rumor, reply, anti-entropy push). Honest peers
   * push at most their `maxInlineBytes` and announce the rest, so a larger pushed payload is refused
   * (`gossip:oversize-push`) with a penalty of 1 per 8 KiB carried: a peer pushing 1 MiB bodies is cut
   * off at the first, before its payload is hashed or verified. Keep it ≥ every peer's
   * `maxInlineBytes` (unset: 4 × maxInlineBytes, 64 KiB with the defaults).
   */
  maxPushedBytes?: number
  /** Updates per rumor/anti-entropy message. @default 64 */
  maxUpdatesPerMessage?: number
  /** Updates stored for relaying (the oldest go first). @default 10000 */
  maxStored?: number
  /** Death certificates are kept this long; at least ttlMs, so no expired write can resurrect a key (unset: 2 × ttlMs). @default 120000 */
  tombstoneTtlMs?: number
  /** Causal delivery with vector timestamps for groups of at most `maxGroup` publishers. @default false */
  causal?: boolean | { maxGroup?: number }
  /** How long to wait for an announced payload before asking another announcer. @default 2000 */
  fetchTimeoutMs?: number
  /**
   * Sign what this node publishes with its identity key (`env.signer`: the libp2p node's key live,
   * `simIdentity(seed, i)` in the simulator) and accept only updates and map writes signed by their
   * origin; unsigned or badly signed ones are dropped, counted and their relay penalised. `false`
   * makes the node open: it signs nothing and verifies nothing (labs, large simulations). Cost of
   * leaving it on (benchmarks/results/gossip-sign.md): one signature at the origin and one
   * verification per node per new update (duplicates are not verified) — 1.3–1.6 k of each per second
   * with 64-byte payloads on this machine at load 25 on 2 cores, several times that on an idle core —
   * and 66 bytes more per update on the wire (the signature; the origin is a peer id either way).
   * @default true
   */
  signed?: boolean
  /**
   * Signature checks handed to the driver at once, where it checks them off the event loop (the live
   * runtime on Node: libuv's thread pool; see verifying.ts). Past it, updates are verified on the loop
   * as they arrive; 0 (the default) always verifies on the loop, as the simulator does. Off the loop,
   * each hop of a rumor waits for a turn of the event loop to take the answer back: in a 64-node
   * one-process swarm that made time-to-all p50 1.9× the on-loop figure (medians of 3, 136.6 vs
   * 70.6 ms; benchmarks/results/gossip-live-off-loop.md), so it is for a node whose event loop has
   * other work that must not wait behind verifications. @default 0
   */
  maxPendingChecks?: number
  /**
   * Clocks may disagree by this much: an update stamped further in the future, or a map write whose
   * (hybrid) Lamport clock is further ahead of this node's clock, is refused. @default 30000
   */
  maxClockSkewMs?: number
  /** Payload bytes stored for relaying, in total (the oldest go first). @default 67108864 */
  maxStoredBytes?: number
  /** Payload bytes stored per origin peer; more from that origin is refused until some expires. @default 8388608 */
  maxStoredBytesPerOrigin?: number
  /** Bytes of values the replicated map holds; new keys beyond it are refused. @default 67108864 */
  maxMapBytes?: number
  /**
   * Origins (publisher incarnations) tracked by the seen-set within the TTL window. Only origins
   * silent for longer than the TTL are forgotten (a replay of theirs is refused as expired), so a
   * flood of fresh origins cannot make this node forget what it delivered: past the limit, updates
   * from new origins are refused until one expires. @default 100000
   */
  maxOrigins?: number
}

/** Every default, once. `tombstoneTtlMs` (2 × ttlMs) and `maxPushedBytes` (4 × maxInlineBytes) are derived when unset, so they are not listed. */
export const DEFAULTS = {
  mode: 'push',
  stop: 'feedback-counter',
  k: 3,
  fanout: 1,
  periodMs: 1000,
  alignRounds: false,
  eager: false,
  connectionLimit: 0,
  hunt: 0,
  antiEntropy: { periodMs: 10_000, mode: 'push-pull', maxPeriodMs: 10_000, followUpMs: 20_000 },
  membership: { kind: 'full' },
  recovery: { periodMs: 5000, maxPeers: 32 },
  ttlMs: 60_000,
  maxMessageBytes: 1024 * 1024,
  maxInlineBytes: 16 * 1024,
  maxUpdatesPerMessage: 64,
  maxStored: 10_000,
  causal: false,
  fetchTimeoutMs: 2000,
  signed: true,
  maxPendingChecks: 0,
  maxClockSkewMs: 30_000,
  maxStoredBytes: 64 * 1024 * 1024,
  maxStoredBytesPerOrigin: 8 * 1024 * 1024,
  maxMapBytes: 64 * 1024 * 1024,
  maxOrigins: 100_000
} as const satisfies GossipOptions

/** Largest causal group when `causal: true`. */
const MAX_GROUP = 32

/**
 * Named profiles, partial overrides of DEFAULTS. `live` is what the libp2p service applies (rumors
 * pushed at once and short rounds for latency; a 10 min TTL because a broadcast is repaired across a
 * healed partition only within it — with 60 s, everything published during a minute-long cut was lost
 * on the other side); `sim` is the paper's model, i.e. DEFAULTS as they are.
 */
export const PROFILES = {
  live: {
    k: 2,
    fanout: 3,
    periodMs: 200,
    eager: true,
    // idle anti-entropy costs a frame per node every 8 s; a repair brings it back to every second
    antiEntropy: { periodMs: 1000, mode: 'push-pull', maxPeriodMs: 8000 },
    ttlMs: 600_000
  },
  sim: {}
} as const satisfies Record<'live' | 'sim', GossipOptions>

export interface ResolvedOptions {
  mode: RumorMode | 'none'
  stop: StopRule
  k: number
  fanout: number
  periodMs: number
  alignRounds: boolean
  eager: boolean
  connectionLimit: number
  hunt: number
  antiEntropy: { periodMs: number, mode: AeMode, maxPeriodMs: number, followUpMs: number }
  membership: MembershipOptions
  recovery: { periodMs: number, maxPeers: number }
  ttlMs: number
  maxMessageBytes: number
  maxInlineBytes: number
  maxPushedBytes: number
  maxUpdatesPerMessage: number
  maxStored: number
  tombstoneTtlMs: number
  causal: boolean
  maxGroup: number
  fetchTimeoutMs: number
  signed: boolean
  maxPendingChecks: number
  maxClockSkewMs: number
  maxStoredBytes: number
  maxStoredBytesPerOrigin: number
  maxMapBytes: number
  maxOrigins: number
}

export function resolveOptions (o: GossipOptions = {}): ResolvedOptions {
  const d = DEFAULTS
  const ttlMs = o.ttlMs ?? d.ttlMs
  const k = o.k ?? d.k
  if (!(k > 0)) throw new RangeError('gossip: k must be > 0')
  const causal = o.causal ?? d.causal
  return {
    mode: o.mode ?? d.mode,
    stop: o.stop ?? d.stop,
    k,
    fanout: Math.max(1, Math.floor(o.fanout ?? d.fanout)),
    periodMs: o.periodMs ?? d.periodMs,
    alignRounds: o.alignRounds ?? d.alignRounds,
    eager: o.eager ?? d.eager,
    connectionLimit: o.connectionLimit ?? d.connectionLimit,
    hunt: o.hunt ?? d.hunt,
    antiEntropy: resolveAe(o.antiEntropy),
    membership: o.membership ?? d.membership,
    recovery: {
      periodMs: o.recovery?.periodMs ?? d.recovery.periodMs,
      maxPeers: Math.max(0, Math.floor(o.recovery?.maxPeers ?? d.recovery.maxPeers))
    },
    ttlMs,
    maxMessageBytes: o.maxMessageBytes ?? d.maxMessageBytes,
    maxInlineBytes: o.maxInlineBytes ?? d.maxInlineBytes,
    maxPushedBytes: o.maxPushedBytes ?? 4 * (o.maxInlineBytes ?? d.maxInlineBytes),
    maxUpdatesPerMessage: o.maxUpdatesPerMessage ?? d.maxUpdatesPerMessage,
    maxStored: o.maxStored ?? d.maxStored,
    tombstoneTtlMs: Math.max(ttlMs, o.tombstoneTtlMs ?? 2 * ttlMs),
    causal: causal !== false,
    maxGroup: typeof causal === 'object' ? (causal.maxGroup ?? MAX_GROUP) : MAX_GROUP,
    fetchTimeoutMs: o.fetchTimeoutMs ?? d.fetchTimeoutMs,
    signed: o.signed ?? d.signed,
    maxPendingChecks: Math.max(0, Math.floor(o.maxPendingChecks ?? d.maxPendingChecks)),
    maxClockSkewMs: o.maxClockSkewMs ?? d.maxClockSkewMs,
    maxStoredBytes: o.maxStoredBytes ?? d.maxStoredBytes,
    maxStoredBytesPerOrigin: o.maxStoredBytesPerOrigin ?? d.maxStoredBytesPerOrigin,
    maxMapBytes: o.maxMapBytes ?? d.maxMapBytes,
    maxOrigins: o.maxOrigins ?? d.maxOrigins
  }
}

function resolveAe (ae: GossipOptions['antiEntropy']): ResolvedOptions['antiEntropy'] {
  const d = DEFAULTS.antiEntropy
  const periodMs = ae?.periodMs ?? d.periodMs
  // a period given without a maximum is a fixed period
  const maxPeriodMs = ae?.maxPeriodMs ?? (ae?.periodMs !== undefined ? periodMs : d.maxPeriodMs)
  if (ae?.followUpMs !== undefined && !(ae.followUpMs > 0)) throw new RangeError(`antiEntropy.followUpMs must be > 0, got ${String(ae.followUpMs)}`)
  return { periodMs, mode: ae?.mode ?? d.mode, maxPeriodMs: Math.max(periodMs, maxPeriodMs), followUpMs: ae?.followUpMs ?? (ae?.periodMs !== undefined ? 2 * periodMs : d.followUpMs) }
}
