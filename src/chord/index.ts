/**
 * overlaykit/chord — the Chord DHT (Stoica et al. 2001 / ToN 2003): m-bit ring with ids derived from
 * peer ids, finger tables, successor lists, stabilization, virtual nodes (host-level routing), a
 * replicated key/value store and content routing. Live as a libp2p service (`chord()`), simulated
 * through `chordSpec` / `chordSpecFor(bits)`.
 *
 * Hop counts: `hops` is the number of remote nodes that answered a routing request (the path from
 * the initiator to the key's predecessor, which names the owner); see lookup.ts.
 *
 * Security (every peer may lie): ring ids are H(peer id, vnode) with vnode < maxVnodes (32), so a peer
 * cannot choose where it sits; records live in namespaces with a validator and a selector (records.ts:
 * `imm` = hash-addressed, `signed` = BEP 44-style with seq and CAS; other keys only on `open` nodes);
 * writes and replica copies are admitted only where they belong and within byte quotas (admission.ts);
 * replies are accepted only from the peer asked, for unguessable request ids; `lookupPaths` > 1 runs
 * lookups over disjoint paths that a lying router cannot steer (secure-lookup.ts).
 * Not defended: Sybil attacks with many peer ids. Peer ids cost nothing to make, so an attacker with
 * enough identities can still surround a key (its ids land where the hash puts them; for a chosen key it
 * needs about N/k identities to get one within the k nodes before it) and, with a majority of a key's
 * replica set, withhold the key (it cannot forge a validated record, only refuse to serve it). The
 * S/Kademlia crypto puzzle on node keys, which would price identities, is not implemented.
 */
export { chord, ChordService, type ChordInit, type ChordLookupResult, type ChordLookupOptions, type LookupProgress, type RingInfo } from './service.js'
export { chordSpec, chordSpecFor, CHORD_PROTOCOL } from './spec.js'
export { ChordMachine, type RouteAnswer } from './machine.js'
export { DEFAULTS as CHORD_DEFAULTS, PROFILES as CHORD_PROFILES, type ChordOptions } from './options.js'
export type { ChordEvent, ChordEventType } from './events.js'
export type { ChordMessage, WireItem, ProviderRecord } from './messages.js'
export type { LookupOutcome, LookupRequest, ChordContext } from './context.js'
export { chordCodec, LIMITS as CHORD_LIMITS } from './codec.js'
export { MemoryStore, type ChordStore, type StoredItem } from './store.js'
export { deriveNodeId, type NodeInfo } from './node.js'
export { oracleBootstrap, checkRing, sortedRing, ownerOf } from './oracle.js'
export * as chordKv from './kv.js'
export { immutableKey, signedKey, namespacedKey, type RecordNamespace, type SignedRecord } from './records.js'
export { simulateSearch, type ChordSearchOptions, type ChordSearchResult } from './sim-search.js'
