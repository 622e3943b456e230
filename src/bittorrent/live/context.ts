/**
 * What a running torrent and a magnet fetch need from the BitTorrent service: its host, identity,
 * tracker client and settings. A narrow interface, so that torrent.ts and magnet-fetch.ts do not import
 * service.ts (which creates them) back.
 */
import type { PeerRef } from '../../overlay/types.js'
import type { BlobStorage } from '../../runtime/libp2p/storage.js'
import type { TrackerMachine } from '../tracker.js'
import type { TorrentHost } from './host.js'

export interface TorrentServiceContext {
  readonly host: TorrentHost
  /** This node, with its listen addresses. */
  readonly self: PeerRef
  /** The plain-TCP endpoint, when the service listens on one. */
  readonly tcp: { readonly port: number } | undefined
  readonly init: { readonly storage?: BlobStorage }
  readonly trackerDriver: { isStarted: () => boolean }
  readonly tracker: TrackerMachine
}
