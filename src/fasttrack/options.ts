/**
 * FastTrack options, all optional, with the defaults the machine uses.
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
  capacity?: CapacityInit
  /** Files this node shares from the start; `store` names the io store of the bytes. @default [] (store: `share/<hash>`) */
  shares?: Array<SharedFile & { store?: string }>
  /** Direct-transfer options (chunk size, pipeline, timeouts). @default the shared transfer defaults */
  transfer?: TransferOptions
  /** Least upload bandwidth (kbit/s) to be eligible as a supernode. @default 1000 */
  minSupernodeKbps?: number
  /** Least uptime (ms, prior + measured) to be eligible as a supernode. @default 0 */
  minSupernodeUptimeMs?: number
  /** Uptime at which the capacity score's uptime factor saturates (score = kbps × (1 + min(uptime, this)/this)). @default 3_600_000 */
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
  /** TTL of a query among supernodes (1 = only the leaf's supernode's neighbours). @default 4 */
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
  /** Heartbeat and maintenance period (ping, link upkeep, demotion checks, route expiry). @default 30_000 */
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
  /** A supernode forgets a leaf (and its shares) after this long without a ping. @default 3 × maintenanceMs */
  leafTimeoutMs?: number
  /** Random delay before the first attach, so a crowd joining together does not elect at once. @default 0 */
  joinJitterMs?: number
  /** Most files indexed per leaf; more are refused and counted. @default 5000 */
  maxSharesPerLeaf?: number
  /** Most local hits a supernode returns per query. @default 50 */
  maxHitsPerQuery?: number
  /** Search duration: hits arriving later are dropped. @default 10_000 */
  searchTimeoutMs?: number
  /** How long reverse-path routes (and the duplicate filter) are kept. @default 60_000 */
  routeTtlMs?: number
  /** Refresh-list entries sent in a pong / attach reply / probe reply. @default 20 */
  gossipSample?: number
}

/**
 * Settings for a swarm of tens of nodes that must form in seconds (the live demo, tests), not a
 * network of thousands: a minimum of 2 leaves (with the default 10, every supernode of a small swarm
 * is under the minimum and keeps demoting), maintenance every second, and timeouts loose enough that
 * a busy CPU does not make live peers look dead.
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

export function resolveOptions (o: FastTrackOptions = {}): ResolvedOptions {
  const maintenanceMs = o.maintenanceMs ?? 30_000
  return {
    bootstrap: o.bootstrap ?? [],
    capacity: {
      upKbps: o.capacity?.upKbps ?? 256,
      firewalled: o.capacity?.firewalled ?? false,
      priorUptimeMs: o.capacity?.priorUptimeMs ?? 0
    },
    shares: o.shares ?? [],
    transfer: o.transfer ?? {},
    minSupernodeKbps: o.minSupernodeKbps ?? 1000,
    minSupernodeUptimeMs: o.minSupernodeUptimeMs ?? 0,
    uptimeSaturationMs: o.uptimeSaturationMs ?? 3_600_000,
    maxLeaves: o.maxLeaves ?? 150,
    minLeaves: o.minLeaves ?? 10,
    demotePeriods: o.demotePeriods ?? 4,
    supernodeDegree: o.supernodeDegree ?? 8,
    maxSupernodeLinks: o.maxSupernodeLinks ?? 16,
    queryTtl: o.queryTtl ?? 4,
    maxTtl: o.maxTtl ?? 7,
    refreshListSize: o.refreshListSize ?? 200,
    maxAttachTries: o.maxAttachTries ?? 8,
    maxCandidates: o.maxCandidates ?? 32,
    electionFanout: o.electionFanout ?? 8,
    electionTimeoutMs: o.electionTimeoutMs ?? 2000,
    coordinatorTimeoutMs: o.coordinatorTimeoutMs ?? 6000,
    maintenanceMs,
    replyTimeoutMs: o.replyTimeoutMs ?? 5000,
    attachTimeoutMs: o.attachTimeoutMs ?? 2000,
    maxAttachTimeouts: o.maxAttachTimeouts ?? 1,
    leafTimeoutMs: o.leafTimeoutMs ?? 3 * maintenanceMs,
    queryPingAfterMs: o.queryPingAfterMs ?? 2000,
    joinJitterMs: o.joinJitterMs ?? 0,
    maxSharesPerLeaf: o.maxSharesPerLeaf ?? 5000,
    maxHitsPerQuery: o.maxHitsPerQuery ?? 50,
    searchTimeoutMs: o.searchTimeoutMs ?? 10_000,
    routeTtlMs: o.routeTtlMs ?? 60_000,
    gossipSample: o.gossipSample ?? 20
  }
}
