/** The OverlaySpec that runs a TorrentMachine in the simulator (or any driver). */
import { TorrentMachine, type TorrentOptions } from './machine.js'
import { wireCodec, type WireMsg } from './wire.js'
import type { OverlaySpec } from '../overlay/types.js'

export const PEER_WIRE_PROTOCOL = '/overlaykit/bittorrent/1.0.0'

export const torrentSpec: OverlaySpec<WireMsg, TorrentOptions, TorrentMachine> = {
  name: 'bittorrent',
  protocol: PEER_WIRE_PROTOCOL,
  codec: wireCodec,
  create: (env, options) => new TorrentMachine(env, options)
}
