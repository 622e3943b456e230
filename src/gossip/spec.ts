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
  create: (env, options) => new GossipMachine(env, options)
}
