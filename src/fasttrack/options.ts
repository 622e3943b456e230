/**
 * FastTrack options: `DEFAULTS` is the single source of every default (the JSDoc `@default`s equal
 * it; test/overlay/defaults.spec.ts checks), `PROFILES` the live (small swarm) and simulator
 * overrides, `resolveOptions` fills from them.
 */
import type { PeerRef } from '../overlay/index.js'
import type { SharedFile } from '../overlay/index.js'
import type { TransferOptions } from '../search/transfer.js'

/** What this node declares about itself; together with its measured uptime it decides eligibility. */
export interface CapacityInit {
  /** Upload bandwidth in kbit/s. @default 256 */
  upKbps?: number
  /** Behind a NAT/firewall (cannot accept inbound connections): never a supernode, downloads from it need push. @default false */
  firewalled?: boolean
  /** Uptime before this session (ms), e.g. remembered from previous runs; measured uptime is added. @default 0 */
  priorUptimeMs?: number
}

export interface FastTrackOptions {
  /** Peers to contact first (any role); refresh lists and candidates grow from their replies. @default [] */
  bootstrap?: PeerRef[]
  /** What this node declares about itself. @default { upKbps: 256, firewalled: false, priorUptimeMs: 0 } */
  capacity?: CapacityInit
  /** Files this node shares from the start; `store` names the io store of the bytes (unset: `share/<hash>`). @default [] */
  shares?: Array<SharedFile & { store?: string }>
  /** Direct-transfer options (chunk size, pipeline, timeouts); unset fields take the shared transfer defaults. @default {} */
  transfer?: TransferOptions
  /** Least upload bandwidth (kbit/s) to be eligible as a supernode. @default 1000 */
  minSupernodeKbps?: number
  /** Least uptime (ms, prior + measured) to be eligible as a supernode. @default 0 */
  minSupernodeUptimeMs?: number
  /** Uptime at which the capacity score's uptime factor saturates (score = kbps × (1 + min(uptime, this)/this)). @default 3600000 */
  uptimeSaturationMs?: number
  /** Most leaves a supernode accepts (KaZaA supernodes had about 100–160 children). @default 150 */
  maxLeaves?: number
  /** A supernode with fewer leaves than this for `demotePeriods` maintenance periods demotes (if another supernode has room). @default 10 */
  minLeaves?: number
  /** See minLeaves. @default 4 */
  demotePeriods?: number
  /** Supernode links each supernode keeps (supernode degree). @default 8 */
  supernodeDegree?: number
  /** Most supernode links accepted (inbound ones included). @default 16 */
  maxSupernodeLinks?: number
  /** TTL of a query among supernodes (1: the supernode of the leaf and those linked to it). @default 4 */
  queryTtl?: number
  /** Largest TTL + hops accepted from others; above it a query is dropped and counted. @default 7 */
  maxTtl?: number
  /** Refresh list length. @default 200 */
  refreshListSize?: number
  /** Supernodes an orphan tries (each refusing it as full) before it concludes its region is full and elects. @default 8 */
  maxAttachTries?: number
  /** Candidates remembered for elections. @default 32 */
  maxCandidates?: number
  /** Candidates contacted in one election (the highest-ranked first). @default 8 */
  electionFanout?: number
  /** Wait for an elect_ok before declaring oneself the winner. @default 2000 */
  electionTimeoutMs?: number
  /** Wait for the coordinator after an elect_ok before restarting the election. @default 6000 */
  coordinatorTimeoutMs?: number
  /** Heartbeat and maintenance period (ping, link upkeep, demotion checks, route expiry). @default 30000 */
  maintenanceMs?: number
  /** A ping or probe unanswered this long counts as a dead peer (a ping waits at least the measured round-trip timeout, at most leafTimeoutMs). @default 5000 */
  replyTimeoutMs?: number
  /** An attach request unanswered this long: try the next supernode (kept short, an orphan may hold several dead entries; stretched on a slow network, see maxAttachTimeouts). @default 2000 */
  attachTimeoutMs?: number
  /**
   * Attach requests in a row a supernode may leave unanswered before a leaf forgets it, and only when
   * the leaf knows another supernode: the last one known is never forgotten on a timeout. Until then
   * it is retried after a backoff, each time with a doubled timeout (at most 4 × attachTimeoutMs, and
   * never below the measured round trip), and a late acceptance is still taken. 1 keeps failover fast
   * when a supernode dies (its gossiped entry costs one timeout). @default 1
   */
  maxAttachTimeouts?: number
  /** A leaf that searches and has not heard from its supernode for this long pings it first (fast failover under churn). @default 2000 */
  queryPingAfterMs?: number
  /** A supernode forgets a leaf (and its shares) after this long without a ping; unset: 3 × maintenanceMs. @default 90000 */
  leafTimeoutMs?: number
  /** Random delay before the first attach, so a crowd joining together does not elect at once. @default 0 */
  joinJitterMs?: number
  /** Most files indexed per leaf; more are refused and counted. @default 5000 */
  maxSharesPerLeaf?: number
  /** Most local hits a supernode returns per query. @default 50 */
  maxHitsPerQuery?: number
  /**
   * Share of one search's result limit that one answering supernode may fill: a supernode that reports
   * shares its leaves never uploaded cannot crowd out the others' answers. @default 0.5
   */
  supernodeHitShare?: number
  /** Queries per second a supernode accepts from one leaf (token bucket); above it they are dropped and counted. @default 5 */
  leafQueryRate?: number
  /** Burst of the per-leaf query bucket. @default 20 */
  leafQueryBurst?: number
  /** Shared files per second a supernode indexes from one leaf (token bucket); a batch above it is refused and counted. @default 100 */
  leafShareRate?: number
  /** Burst of the per-leaf share bucket (a whole share list re-uploaded on re-attach fits twice). @default 10000 */
  leafShareBurst?: number
  /** Search duration: hits arriving later are dropped. @default 10000 */
  searchTimeoutMs?: number
  /** How long reverse-path routes (and the duplicate filter) are kept. @default 60000 */
  routeTtlMs?: number
  /** Refresh-list entries sent in a pong / attach reply / probe reply. @default 20 */
  gossipSample?: number
}

/**
 * Settings for a swarm of tens of nodes that must form in seconds (the live demo, tests), not a
 * network of thousands: a minimum of 2 leaves (with the default 10, every supernode of a small swarm
 * is under the minimum and keeps demoting), maintenance every second, and timeouts loose enough that
 * a busy CPU does not make live peers look dead. It is `PROFILES.live`.
 */
export const SMALL_SWARM: Readonly<Partial<FastTrackOptions>> = {
  maxLeaves: 10,
  minLeaves: 2,
  maintenanceMs: 1000,
  replyTimeoutMs: 2000,
  attachTimeoutMs: 2000,
  electionTimeoutMs: 1000,
  coordinatorTimeoutMs: 3000,
  leafTimeoutMs: 5000
}

export type ResolvedOptions = Required<Omit<FastTrackOptions, 'capacity'>> & { capacity: Required<CapacityInit> }

/** Every default, once. */
export const DEFAULTS: ResolvedOptions = {
  bootstrap: [],
  capacity: { upKbps: 256, firewalled: false, priorUptimeMs: 0 },
  shares: [],
  transfer: {},
  minSupernodeKbps: 1000,
  minSupernodeUptimeMs: 0,
  uptimeSaturationMs: 3_600_000,
  maxLeaves: 150,
  minLeaves: 10,
  demotePeriods: 4,
  supernodeDegree: 8,
  maxSupernodeLinks: 16,
  queryTtl: 4,
  maxTtl: 7,
  refreshListSize: 200,
  maxAttachTries: 8,
  maxCandidates: 32,
  electionFanout: 8,
  electionTimeoutMs: 2000,
  coordinatorTimeoutMs: 6000,
  maintenanceMs: 30_000,
  replyTimeoutMs: 5000,
  attachTimeoutMs: 2000,
  maxAttachTimeouts: 1,
  queryPingAfterMs: 2000,
  leafTimeoutMs: 90_000,
  joinJitterMs: 0,
  maxSharesPerLeaf: 5000,
  maxHitsPerQuery: 50,
  supernodeHitShare: 0.5,
  leafQueryRate: 5,
  leafQueryBurst: 20,
  leafShareRate: 100,
  leafShareBurst: 10_000,
  searchTimeoutMs: 10_000,
  routeTtlMs: 60_000,
  gossipSample: 20
}

/** Named overrides of DEFAULTS: `live` for swarms of tens of nodes (SMALL_SWARM), `sim` for the simulator (the defaults). */
export const PROFILES: { readonly live: Readonly<Partial<FastTrackOptions>>, readonly sim: Readonly<Partial<FastTrackOptions>> } = {
  live: SMALL_SWARM,
  sim: {}
}

export function resolveOptions (o: FastTrackOptions = {}): ResolvedOptions {
  const r: ResolvedOptions = { ...DEFAULTS, bootstrap: [], shares: [], transfer: {}, capacity: { ...DEFAULTS.capacity } }
  for (const [k, v] of Object.entries(o)) if (v !== undefined && k !== 'capacity') (r as unknown as Record<string, unknown>)[k] = v
  for (const [k, v] of Object.entries(o.capacity ?? {})) if (v !== undefined) (r.capacity as unknown as Record<string, unknown>)[k] = v
  r.leafTimeoutMs = o.leafTimeoutMs ?? 3 * r.maintenanceMs
  return r
}
