/**
 * Napster options for both roles: `DEFAULTS` is the single source of every default (the JSDoc
 * `@default`s equal it; test/overlay/defaults.spec.ts checks), `resolveOptions` fills from it. The
 * client reads the client fields, the server the server fields.
 */
import type { PeerRef } from '../overlay/types.js'
import type { TransferOptions } from '../search/transfer.js'

export interface NapsterServerOptions {
  /** Most search results returned (OpenNap: 100; larger values are clamped to it). @default 100 */
  maxResults?: number
  /** Files one user may share. @default 10000 */
  maxFilesPerUser?: number
  /** Users logged in at once. @default 100000 */
  maxUsers?: number
  /** A user silent this long is logged out (clients ping every ~30 s). @default 120000 */
  idleTimeoutMs?: number
}

/** A client's settings (all but the server it uses). */
export interface NapsterClientSettings {
  /** We cannot be dialed: log in with port 0, uploads go by push. @default false */
  firewalled?: boolean
  /** Data port announced when not firewalled (informational over libp2p). @default 6699 */
  port?: number
  /** OpenNap link type 0..10. @default 7 */
  link?: number
  /** Wait this long for the login ack, a search's end (202), a download ack or a keep-alive pong. @default 5000 */
  requestTimeoutMs?: number
  /** Keep-alive ping to the server while online. @default 30000 */
  keepaliveMs?: number
  /** First reconnect delay; doubles up to `reconnectMaxMs`. @default 1000 */
  reconnectMinMs?: number
  /** Longest reconnect delay. @default 30000 */
  reconnectMaxMs?: number
  /** Searches queued behind the running one. @default 32 */
  maxQueuedSearches?: number
  /**
   * Share of one search's result limit that one holder may fill: results are only as true as the
   * server, and a holder that shares junk under every word cannot crowd the others out. @default 0.5
   */
  holderHitShare?: number
  /** Direct-transfer options. @default {} */
  transfer?: TransferOptions
}

export interface NapsterClientOptions extends NapsterClientSettings {
  /** The index server (required for a client). */
  server: PeerRef
}

/** Every user-facing option of both roles (the server's and the client's but `server`). */
export interface NapsterOptions extends NapsterServerOptions, NapsterClientSettings {}

export type ResolvedNapsterOptions = Required<NapsterOptions>

/** Every default, once. */
export const DEFAULTS: ResolvedNapsterOptions = {
  maxResults: 100,
  maxFilesPerUser: 10_000,
  maxUsers: 100_000,
  idleTimeoutMs: 120_000,
  firewalled: false,
  port: 6699,
  link: 7,
  requestTimeoutMs: 5000,
  keepaliveMs: 30_000,
  reconnectMinMs: 1000,
  reconnectMaxMs: 30_000,
  maxQueuedSearches: 32,
  holderHitShare: 0.5,
  transfer: {}
}

export function resolveOptions (o: NapsterOptions = {}): ResolvedNapsterOptions {
  const r: ResolvedNapsterOptions = { ...DEFAULTS, transfer: {} }
  for (const [k, v] of Object.entries(o)) if (v !== undefined && k in DEFAULTS) (r as unknown as Record<string, unknown>)[k] = v
  r.maxResults = Math.min(100, r.maxResults)
  r.holderHitShare = Math.max(0, Math.min(1, r.holderHitShare))
  return r
}
