/**
 * overlaykit/gossip — epidemic broadcast and a replicated map after Demers et al. 1987: SIR rumor
 * mongering (push / pull / push-pull; feedback or blind; counter or coin) backed by anti-entropy,
 * over full membership or a Cyclon partial view. Live as a libp2p service (`gossip()`), and the
 * same machine in the simulator (`gossipSpec`, `runExperiment`).
 */
export { gossipSpec, GOSSIP_PROTOCOL } from './spec.js'
export { GossipMachine, originPeer } from './machine.js'
export { type GossipOptions, type MembershipOptions, type ResolvedOptions, DEFAULTS as GOSSIP_DEFAULTS, PROFILES as GOSSIP_PROFILES, resolveOptions } from './options.js'
export { gossipCodec, LIMITS as GOSSIP_LIMITS } from './codec.js'
export type { GossipEvent } from './events.js'
export type { GossipMessage, Update, UpdateId, RumorMode, StopRule, AeMode, DigestEntry } from './types.js'
export { LwwMap } from './lww.js'
export { CyclonView } from './cyclon.js'
export { FullMembership, type Membership } from './membership.js'
export { runExperiment, type ExperimentOptions, type ExperimentResult, type RunResult } from './experiment.js'
export { gossip, GossipService, LIVE_DEFAULTS, type GossipInit, type BroadcastMessage } from './service.js'
