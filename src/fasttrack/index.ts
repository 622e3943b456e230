/**
 * overlaykit/fasttrack — the two-tier FastTrack/KaZaA overlay: capacity-based roles, a bully election
 * by (capacity, id) where a region lacks supernodes, leaves with refresh lists that attach to a
 * supernode and upload their share lists, supernodes that answer from their leaves' indexes and flood
 * queries among themselves (TTL, duplicate filter, reverse-path hits), leaf-to-leaf downloads over the
 * shared direct-transfer protocol (push through the holder's supernode for firewalled leaves), and
 * failover to the refresh list when a supernode dies.
 *
 * Live: `fasttrack(init)` (FastTrackInit = FastTrackOptions + driver options). Simulated:
 * `simulateSearch(workload, options)` on a `makeSearchWorkload` workload, `buildNetwork(sim, …)`, or
 * `fasttrackSpec` in the Simulator directly.
 */
export { fasttrackSpec, FASTTRACK_PROTOCOL } from './spec.js'
export { FastTrackMachine } from './machine.js'
export { SupernodeRole } from './supernode.js'
export { Election } from './election.js'
export { type FastTrackOptions, type CapacityInit, resolveOptions, DEFAULTS as FASTTRACK_DEFAULTS, PROFILES as FASTTRACK_PROFILES, SMALL_SWARM } from './options.js'
export type { FastTrackEvent } from './events.js'
export { LeafRole } from './leaf.js'
export { capacityScore, compareRank, isEligible } from './capacity.js'
export { fasttrackCodec, encodeFrame, decodeFrame, FASTTRACK_MAX_FRAME } from './codec.js'
export { LIMITS as FASTTRACK_LIMITS } from './limits.js'
export * from './messages.js'
export { RefreshList, CandidateList } from './refresh-list.js'
export { ShareIndex } from './share-index.js'
export { buildNetwork, drawCapacity, tiers, unindexedShares, type NetworkOptions, type FtSimNode } from './sim-network.js'
export { simulateSearch, type FastTrackSimOptions, type FastTrackRunResult } from './sim-search.js'
export { fasttrack, FastTrackService, type FastTrackInit } from './service.js'
