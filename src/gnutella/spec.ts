import type { OverlaySpec } from '../overlay/types.js'
import { type GnutellaMsg, gnutellaCodec } from './codec.js'
import type { GnutellaOptions } from './options.js'
import { type GnutellaEvent, GnutellaServent } from './servent.js'

export const GNUTELLA_PROTOCOL = '/overlaykit/gnutella/0.4.0'

export const gnutellaSpec: OverlaySpec<GnutellaMsg, GnutellaOptions, GnutellaServent, GnutellaEvent> = {
  name: 'gnutella',
  protocol: GNUTELLA_PROTOCOL,
  codec: gnutellaCodec,
  create: (env, options) => new GnutellaServent(env, options)
}
