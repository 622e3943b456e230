/** Gossip options, with the defaults the live service uses. */
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
  /** The counter limit, or 1/probability for the coin. @default 3 */
  k?: number
  /** Partners contacted per round. @default 1 */
  fanout?: number
  /** Length of a round (gossip period). @default 1000 */
  periodMs?: number
  /**
   * Fire every node's round at multiples of periodMs (synchronous rounds, as in the paper; for the
   * simulator). Off, each node's rounds start at a random phase. @default false
   */
  alignRounds?: boolean
  /** Push a new rumor to `fanout` partners as soon as it arrives instead of at the next round. @default false */
  eager?: boolean
  /** Contacts a node accepts per round; more are refused with 'busy' (0 = unlimited). @default 0 */
  connectionLimit?: number
  /** After a refusal, try up to this many other partners in the same round (the paper's hunting). @default 0 */
  hunt?: number
  /** Anti-entropy every `periodMs` (0 = off) with a random partner. @default { periodMs: 10000, mode: 'push-pull' } */
  antiEntropy?: { periodMs: number, mode?: AeMode }
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
   * is also the longest partition after which a broadcast still reaches the other side (the live
   * service's default is 10 min, see LIVE_DEFAULTS). @default 60000
   */
  ttlMs?: number
  /** Largest payload `publish` accepts. @default 1048576 */
  maxMessageBytes?: number
  /** Larger payloads are announced (id, size, SHA-256) and pulled from the announcer. @default 16384 */
  maxInlineBytes?: number
  /** Updates per rumor/anti-entropy message. @default 64 */
  maxUpdatesPerMessage?: number
  /** Updates stored for relaying (the oldest go first). @default 10000 */
  maxStored?: number
  /** Death certificates are kept this long; at least ttlMs, so no expired write can resurrect a key. @default 2 * ttlMs */
  tombstoneTtlMs?: number
  /** Causal delivery with vector timestamps for groups of at most `maxGroup` publishers. @default false */
  causal?: boolean | { maxGroup?: number }
  /** How long to wait for an announced payload before asking another announcer. @default 2000 */
  fetchTimeoutMs?: number
}

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
  aePeriodMs: number
  aeMode: AeMode
  membership: MembershipOptions
  recoveryPeriodMs: number
  recoveryMaxPeers: number
  ttlMs: number
  maxMessageBytes: number
  maxInlineBytes: number
  maxUpdatesPerMessage: number
  maxStored: number
  tombstoneTtlMs: number
  causal: boolean
  maxGroup: number
  fetchTimeoutMs: number
}

export function resolveOptions (o: GossipOptions = {}): ResolvedOptions {
  const ttlMs = o.ttlMs ?? 60_000
  const k = o.k ?? 3
  if (!(k > 0)) throw new RangeError('gossip: k must be > 0')
  const causal = o.causal !== undefined && o.causal !== false
  return {
    mode: o.mode ?? 'push',
    stop: o.stop ?? 'feedback-counter',
    k,
    fanout: Math.max(1, Math.floor(o.fanout ?? 1)),
    periodMs: o.periodMs ?? 1000,
    alignRounds: o.alignRounds ?? false,
    eager: o.eager ?? false,
    connectionLimit: o.connectionLimit ?? 0,
    hunt: o.hunt ?? 0,
    aePeriodMs: o.antiEntropy?.periodMs ?? 10_000,
    aeMode: o.antiEntropy?.mode ?? 'push-pull',
    membership: o.membership ?? { kind: 'full' },
    recoveryPeriodMs: o.recovery?.periodMs ?? 5000,
    recoveryMaxPeers: Math.max(0, Math.floor(o.recovery?.maxPeers ?? 32)),
    ttlMs,
    maxMessageBytes: o.maxMessageBytes ?? 1024 * 1024,
    maxInlineBytes: o.maxInlineBytes ?? 16 * 1024,
    maxUpdatesPerMessage: o.maxUpdatesPerMessage ?? 64,
    maxStored: o.maxStored ?? 10_000,
    tombstoneTtlMs: Math.max(ttlMs, o.tombstoneTtlMs ?? 2 * ttlMs),
    causal,
    maxGroup: typeof o.causal === 'object' ? (o.causal.maxGroup ?? 32) : 32,
    fetchTimeoutMs: o.fetchTimeoutMs ?? 2000
  }
}
