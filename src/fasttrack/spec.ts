/** The FastTrack OverlaySpec: what a driver (simulator or libp2p) needs to run the machine. */
import type { FastTrackEvent } from './events.js'
import type { OverlaySpec } from '../overlay/index.js'
import { fasttrackCodec } from './codec.js'
import { FastTrackMachine } from './machine.js'
import type { FastTrackMsg } from './messages.js'
import type { FastTrackOptions } from './options.js'

export const FASTTRACK_PROTOCOL = '/overlaykit/fasttrack/1.0.0'

export const fasttrackSpec: OverlaySpec<FastTrackMsg, FastTrackOptions, FastTrackMachine, FastTrackEvent> = {
  name: 'fasttrack',
  protocol: FASTTRACK_PROTOCOL,
  codec: fasttrackCodec,
  create: (env, options) => new FastTrackMachine(env, options)
}
