/**
 * Admission: how many connections a node accepts and how fast. These are libp2p connection-manager
 * settings; overlaykit names two profiles so that the choice is explicit (docs/limits.md):
 *
 * - `node`: a node on a real network. A few hundred connections (every overlay's neighbour sets fit
 *   with room), few handshakes pending at once (each costs a Noise handshake: CPU), and libp2p's own
 *   per-IP inbound rate (a host that opens connections faster than 5/s is refused for that second).
 * - `local-test`: swarms of tens to hundreds of nodes in one process or on one host, which dial each
 *   other from 127.0.0.1 at once — the per-IP rate and pending cap of `node` would refuse them.
 *
 * Streams per connection are bounded per protocol by each driver (ResourcePolicy.maxInboundStreams).
 */

export interface ConnectionLimits {
  /** Open connections, inbound and outbound; past it libp2p refuses inbound ones and prunes. */
  maxConnections: number
  /** Inbound connections still in their handshake. */
  maxIncomingPendingConnections: number
  /** Inbound connections per second from one IP address (libp2p's per-host rate limiter). */
  inboundConnectionThreshold: number
  /** Time an inbound connection gets to finish Noise + muxer negotiation, ms. */
  inboundUpgradeTimeout: number
}

export const CONNECTION_PROFILES: Readonly<Record<'node' | 'local-test', ConnectionLimits>> = {
  node: {
    maxConnections: 256,
    maxIncomingPendingConnections: 16,
    inboundConnectionThreshold: 5,
    inboundUpgradeTimeout: 3000
  },
  'local-test': {
    maxConnections: 4096,
    maxIncomingPendingConnections: 1024,
    inboundConnectionThreshold: 100_000,
    // 100 nodes' handshakes on two cores can take seconds
    inboundUpgradeTimeout: 10_000
  }
}

export type ConnectionProfile = keyof typeof CONNECTION_PROFILES

/** libp2p `connectionManager` options for a profile, with overrides. */
export function connectionLimits (profile: ConnectionProfile, overrides: Partial<ConnectionLimits> = {}): ConnectionLimits {
  return { ...CONNECTION_PROFILES[profile], ...overrides }
}
