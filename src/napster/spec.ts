import type { OverlaySpec } from '../overlay/types.js'
import { type NapsterMsg, napsterCodec } from './codec.js'
import { NapsterClient, type NapsterClientEvent, type NapsterClientOptions } from './client.js'
import { NapsterServer, type NapsterServerEvent, type NapsterServerOptions } from './server.js'

/**
 * One protocol id for both roles (clients talk to the server and to each other on it), so a libp2p
 * node runs either the server or a client, not both.
 */
export const NAPSTER_PROTOCOL = '/overlaykit/napster/1.0.0'

export const napsterClientSpec: OverlaySpec<NapsterMsg, NapsterClientOptions, NapsterClient, NapsterClientEvent> = {
  name: 'napster',
  protocol: NAPSTER_PROTOCOL,
  codec: napsterCodec,
  create: (env, options) => new NapsterClient(env, options)
}

export const napsterServerSpec: OverlaySpec<NapsterMsg, NapsterServerOptions, NapsterServer, NapsterServerEvent> = {
  name: 'napster-server',
  protocol: NAPSTER_PROTOCOL,
  codec: napsterCodec,
  create: (env, options) => new NapsterServer(env, options)
}
