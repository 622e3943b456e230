/**
 * The servent's public types: its search hit and its typed event union (in their own file so the
 * servent's parts, e.g. links.ts, can name them without importing servent.ts).
 */
import type { SearchHit } from '../overlay/capabilities.js'

/** A search hit with what a Gnutella download needs (servent id and file index for a push). */
export interface GnutellaHit extends SearchHit {
  servent: string
  index: number
  firewalled: boolean
}

export type GnutellaEvent =
  | { type: 'gnutella:neighbour-up', peer: string }
  | { type: 'gnutella:neighbour-down', peer: string, reason: string }
  /**
   * Our CONNECT to `peer` failed: it refused (busy: at its neighbour limit), never answered, could not
   * be reached, or accepted when we had no room left ourselves (local-limit).
   */
  | { type: 'gnutella:connect-failed', peer: string, reason: ConnectFailure }
  | { type: 'gnutella:hit', query: string, hit: GnutellaHit }

export type ConnectFailure = 'busy' | 'timeout' | 'unreachable' | 'local-limit'
