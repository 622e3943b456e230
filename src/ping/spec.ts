import type { OverlaySpec } from '../overlay/types.js'
import { type PingMessage, pingCodec } from './codec.js'
import { type PingOptions, PingMachine } from './machine.js'

export const PING_PROTOCOL = '/overlaykit/ping/1.0.0'

export const pingSpec: OverlaySpec<PingMessage, PingOptions, PingMachine> = {
  name: 'ping',
  protocol: PING_PROTOCOL,
  codec: pingCodec,
  create: (env, options) => new PingMachine(env as any, options)
}
