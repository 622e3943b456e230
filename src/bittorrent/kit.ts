/** BitTorrent's entry in the overlay registry (src/overlays.ts). */
import * as options from './options.js'
import { bittorrentNodeOps } from './node-ops.js'
import { bittorrent } from './live/service.js'
import { torrentSpec } from './spec.js'

export const bittorrentKit = {
  name: 'bittorrent',
  description: 'BitTorrent (BEP 3) over libp2p: seed files, download torrents, optional tracker',
  specs: [torrentSpec],
  services: { bittorrent },
  options,
  node: bittorrentNodeOps
} as const
