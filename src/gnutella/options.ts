/**
 * Gnutella options: `DEFAULTS` is the single source of every default (the JSDoc `@default`s below
 * equal it; test/overlay/defaults.spec.ts checks), `resolveOptions` fills from it and clamps.
 */
import type { PeerRef } from '../overlay/types.js'
import type { TransferOptions } from '../search/transfer.js'

export interface GnutellaOptions {
  /** Servents to connect to at start. @default [] */
  bootstrap?: PeerRef[]
  /** Neighbours the servent tries to keep. @default 4 */
  targetDegree?: number
  /** Neighbours it accepts at most; beyond it a CONNECT gets 503 (unless an idle or abusive neighbour makes room). @default 8 */
  maxDegree?: number
  /** TTL of our own Query, Ping and Push descriptors (1..7). @default 7 */
  ttl?: number
  /** TTL of our own Query descriptors, if it should differ from `ttl` (the benchmark varies it alone); unset follows `ttl`. @default 7 */
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
  /** Known hosts wanted before pings for discovery stop (pong caching mode); unset: 2 × maxDegree. @default 16 */
  hostsWanted?: number
  /** Known hosts kept. @default 500 */
  hostCacheSize?: number
  /** QueryHit descriptors forwarded per query id (bounds amplification by lying servents). @default 64 */
  maxHitsPerQuery?: number
  /**
   * Share of one search's result limit that may arrive through one neighbour (when the servent has
   * more than one): a neighbour whose QueryHits name peers that are not there cannot fill a search. @default 0.5
   */
  neighbourHitShare?: number
  /** Results per QueryHit we send. @default 20 */
  maxResults?: number
  /** Queries per second accepted from one neighbour (token bucket); above it they are dropped and counted. @default 50 */
  queryRate?: number
  /** Burst of the per-neighbour query bucket. @default 200 */
  queryBurst?: number
  /**
   * When full, a CONNECT may take the slot of a neighbour that sent no Query and no QueryHit for this
   * long (fake identities that only hold slots). @default 60000
   */
  idleEvictMs?: number
  /** A neighbour whose weighted refusals (halving every minute) reach this is dropped and refused for `retryMs`. @default 20 */
  evictPenalty?: number
  /** Our uploads need a push (we cannot be dialed). @default false */
  firewalled?: boolean
  /** Speed we report in QueryHits, kb/s. @default 1000 */
  speed?: number
  /** Searches in progress at once. @default 64 */
  maxSearches?: number
  /** Direct-transfer options. @default {} */
  transfer?: TransferOptions
}

export type ResolvedGnutellaOptions = Required<Omit<GnutellaOptions, 'transfer'>> & { transfer: TransferOptions }

/** Every default, once. */
export const DEFAULTS: ResolvedGnutellaOptions = {
  bootstrap: [],
  targetDegree: 4,
  maxDegree: 8,
  ttl: 7,
  queryTtl: 7,
  maxTtl: 7,
  pongCaching: true,
  pongCacheSize: 64,
  pongCacheTtlMs: 30_000,
  pongsPerPing: 6,
  pingIntervalMs: 15_000,
  neighbourTimeoutMs: 120_000,
  maintainMs: 2000,
  connectTimeoutMs: 5000,
  retryMs: 30_000,
  routeTableSize: 20_000,
  pushRouteSize: 5000,
  hostsWanted: 16,
  hostCacheSize: 500,
  maxHitsPerQuery: 64,
  neighbourHitShare: 0.5,
  maxResults: 20,
  queryRate: 50,
  queryBurst: 200,
  idleEvictMs: 60_000,
  evictPenalty: 20,
  firewalled: false,
  speed: 1000,
  maxSearches: 64,
  transfer: {}
}

export function resolveOptions (o: GnutellaOptions = {}): ResolvedGnutellaOptions {
  const r: ResolvedGnutellaOptions = { ...DEFAULTS, bootstrap: [...DEFAULTS.bootstrap], transfer: { ...DEFAULTS.transfer } }
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (r as unknown as Record<string, unknown>)[k] = v
  const maxTtl = Math.max(1, Math.min(255, r.maxTtl))
  r.maxTtl = maxTtl
  r.maxDegree = Math.max(r.maxDegree, r.targetDegree)
  r.ttl = Math.max(1, Math.min(maxTtl, r.ttl))
  r.queryTtl = Math.max(1, Math.min(maxTtl, o.queryTtl ?? r.ttl))
  r.hostsWanted = o.hostsWanted ?? 2 * r.maxDegree
  r.neighbourHitShare = Math.max(0, Math.min(1, r.neighbourHitShare))
  return r
}

/** @deprecated the name before the DEFAULTS convention; same function. */
export const resolveGnutellaOptions = resolveOptions
