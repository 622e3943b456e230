/** The gossip OverlaySpec: what a driver (simulator or libp2p) needs to run the machine. */
import type { OverlaySpec } from '../overlay/types.js'
import { gossipCodec } from './codec.js'
import type { GossipEvent } from './events.js'
import { GossipMachine } from './machine.js'
import type { GossipOptions } from './options.js'
import type { GossipMessage } from './types.js'

export const GOSSIP_PROTOCOL = '/overlaykit/gossip/1.0.0'

export const gossipSpec: OverlaySpec<GossipMessage, GossipOptions, GossipMachine, GossipEvent> = {
  name: 'gossip',
  protocol: GOSSIP_PROTOCOL,
  codec: gossipCodec,
  // bytes from one peer: a relay pushing large updates as fast as the transport takes them (1 MiB
  // each: decrypt, hash, verify, store) would take the event loop from everything else; honest peers
  // announce large payloads and send bodies only when fetched. Above it the stream is paused (the
  // sender waits); the burst holds three of the largest frames (LIMITS.frameBytes). While paused we
  // hold a complete frame and what the muxer already let in (a 2 MiB stream window): the buffer
  // budget covers both, or an honest sender of large frames would be cut off as over budget.
  resources: { bytes: { perSec: 8 * 1024 * 1024, burst: 8 * 1024 * 1024 }, maxBufferedBytesPerPeer: 8 * 1024 * 1024 },
  create: (env, options) => new GossipMachine(env, options)
}
