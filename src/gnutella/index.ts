/**
 * overlaykit/gnutella — Gnutella 0.4: byte-exact descriptors, ping/pong with pong caching, query
 * flooding with TTL/hops rules, bounded duplicate suppression, reverse-path routing, push; file search
 * and direct download through the shared parts in overlaykit/search.
 *
 * Live: `gnutella(init)` (GnutellaInit = GnutellaOptions + driver options). Simulated:
 * `simulateSearch(workload, { ttl })` on a `makeSearchWorkload` workload, or `gnutellaSpec` in the
 * Simulator directly.
 */
export { gnutellaSpec, GNUTELLA_PROTOCOL } from './spec.js'
export { GnutellaServent, type GnutellaHit, type GnutellaEvent, type ConnectFailure, ipPortOf } from './servent.js'
export { type GnutellaOptions, resolveGnutellaOptions, resolveOptions as resolveGnutellaDefaults, DEFAULTS as GNUTELLA_DEFAULTS } from './options.js'
export { gnutellaCodec, type GnutellaMsg, GNUTELLA_MAX_FRAME } from './codec.js'
export * from './descriptor.js'
export { simulateSearch, simulateSearchTtls, type GnutellaSimOptions, type GnutellaRunResult } from './sim-search.js'
export { gnutella, GnutellaService, ConnectRefusedError, type GnutellaInit } from './service.js'
