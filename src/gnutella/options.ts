import type { PeerRef } from '../overlay/types.js'
import type { TransferOptions } from '../search/transfer.js'

export interface GnutellaOptions {
  /** Servents to connect to at start. @default [] */
  bootstrap?: PeerRef[]
  /** Neighbours the servent tries to keep. @default 4 */
  targetDegree?: number
  /** Neighbours it accepts at most; beyond it a CONNECT gets 503. @default 8 */
  maxDegree?: number
  /** TTL of our own Query, Ping and Push descriptors (1..7). @default 7 */
  ttl?: number
  /** TTL of our own Query descriptors, if it should differ from `ttl` (the benchmark varies it alone). @default ttl */
  queryTtl?: number
  /** TTL + hops accepted; larger TTLs are clamped (and counted), larger hops dropped. @default 7 */
  maxTtl?: number
  /** Answer pings from the pong cache instead of flooding them. @default true */
  pongCaching?: boolean
  /** Pongs kept in the cache. @default 64 */
  pongCacheSize?: number
  /** A cached pong is fresh this long. @default 30000 */
  pongCacheTtlMs?: number
  /** Cached pongs sent in answer to one ping. @default 6 */
  pongsPerPing?: number
  /**
   * How often the servent considers pinging its neighbours for hosts: with pong caching only when it
   * lacks neighbours or known hosts; without, it floods a ping every period (0.4 behaviour). @default 15000
   */
  pingIntervalMs?: number
  /** A neighbour silent for this long is dropped (a TTL-1 ping goes to one quiet for ½–¾ of it). @default 120000 */
  neighbourTimeoutMs?: number
  /** Neighbour upkeep period (drop silent ones, dial replacements). @default 2000 */
  maintainMs?: number
  /** Wait for GNUTELLA OK this long. @default 5000 */
  connectTimeoutMs?: number
  /** Do not redial a host that failed or was busy for this long. @default 30000 */
  retryMs?: number
  /** Entries in the duplicate/route table. @default 20000 */
  routeTableSize?: number
  /** Entries in the push (servent id) route table. @default 5000 */
  pushRouteSize?: number
  /** Known hosts wanted before pings for discovery stop (pong caching mode). @default 2 × maxDegree */
  hostsWanted?: number
  /** Known hosts kept. @default 500 */
  hostCacheSize?: number
  /** QueryHit descriptors forwarded per query id (bounds amplification by lying servents). @default 64 */
  maxHitsPerQuery?: number
  /** Results per QueryHit we send. @default 20 */
  maxResults?: number
  /** Our uploads need a push (we cannot be dialed). @default false */
  firewalled?: boolean
  /** Speed we report in QueryHits, kb/s. @default 1000 */
  speed?: number
  /** Searches in progress at once. @default 64 */
  maxSearches?: number
  /** Direct-transfer options. */
  transfer?: TransferOptions
}

export type ResolvedGnutellaOptions = Required<Omit<GnutellaOptions, 'transfer'>> & { transfer: TransferOptions }

export function resolveGnutellaOptions (o: GnutellaOptions = {}): ResolvedGnutellaOptions {
  const maxTtl = Math.max(1, Math.min(255, o.maxTtl ?? 7))
  return {
    bootstrap: o.bootstrap ?? [],
    targetDegree: o.targetDegree ?? 4,
    maxDegree: Math.max(o.maxDegree ?? 8, o.targetDegree ?? 4),
    ttl: Math.max(1, Math.min(maxTtl, o.ttl ?? 7)),
    queryTtl: Math.max(1, Math.min(maxTtl, o.queryTtl ?? o.ttl ?? 7)),
    maxTtl,
    pongCaching: o.pongCaching ?? true,
    pongCacheSize: o.pongCacheSize ?? 64,
    pongCacheTtlMs: o.pongCacheTtlMs ?? 30_000,
    pongsPerPing: o.pongsPerPing ?? 6,
    pingIntervalMs: o.pingIntervalMs ?? 15_000,
    neighbourTimeoutMs: o.neighbourTimeoutMs ?? 120_000,
    maintainMs: o.maintainMs ?? 2000,
    connectTimeoutMs: o.connectTimeoutMs ?? 5000,
    retryMs: o.retryMs ?? 30_000,
    routeTableSize: o.routeTableSize ?? 20_000,
    pushRouteSize: o.pushRouteSize ?? 5000,
    hostCacheSize: o.hostCacheSize ?? 500,
    hostsWanted: o.hostsWanted ?? 2 * Math.max(o.maxDegree ?? 8, o.targetDegree ?? 4),
    maxHitsPerQuery: o.maxHitsPerQuery ?? 64,
    maxResults: o.maxResults ?? 20,
    firewalled: o.firewalled ?? false,
    speed: o.speed ?? 1000,
    maxSearches: o.maxSearches ?? 64,
    transfer: o.transfer ?? {}
  }
}
