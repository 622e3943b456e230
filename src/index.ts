/**
 * overlaykit — classic peer-to-peer overlays on libp2p, live and in a deterministic simulator.
 *
 * The root export is the common contract (Machine/Env, PeerRef, ids, Rng, Stats, errors, codec
 * helpers, capabilities). Each overlay has its own entry point: `overlaykit/chord`,
 * `overlaykit/gossip`, `overlaykit/napster`, `overlaykit/gnutella`, `overlaykit/fasttrack`,
 * `overlaykit/bittorrent`; the simulator is `overlaykit/sim`, the libp2p runtime `overlaykit/runtime`,
 * the reference protocol `overlaykit/ping`.
 */
import './node-check/index.js' // first: one clear line and exit 1 on Node.js < 22
export * from './overlay/index.js'
