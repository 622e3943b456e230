/**
 * overlaykit/bittorrent — BEP 3 swarming: metainfo and magnet links, the peer wire over libp2p
 * and plain TCP, rarest-first piece selection with endgame, tit-for-tat choking, verified storage
 * with resume, a tracker, and trackerless discovery through any ContentRouting.
 *
 * ```ts
 * const node = await createLibp2p({ ..., services: { bittorrent: bittorrent({ tracker: trackerAddr }) } })
 * const t = await node.services.bittorrent.seed(bytes, { name: 'file.bin' })
 * // elsewhere
 * const d = await other.services.bittorrent.download(t.torrentFile, { path: '/tmp/dl', onProgress: console.log })
 * await d.done
 * ```
 *
 * Layout: the protocol (machines, wire, picker, choker, stores, metainfo) is synchronous and runs
 * in both runtimes; `live/` holds what only runs live — the host that drives machines over byte
 * streams, the libp2p service and public API, the plain-TCP endpoint, disk reads.
 */
export { bittorrent, BitTorrentService, type BitTorrentInit } from './live/service.js'
export { Torrent, torrentFileOf, type SeedOptions, type DownloadOptions, type CommonOptions } from './live/torrent.js'
export { TorrentMachine, type TorrentOptions, type TorrentProgress, type TorrentEvent } from './machine.js'
export { DEFAULTS as TORRENT_DEFAULTS, resolveOptions as resolveTorrentOptions } from './options.js'
export { torrentSpec, PEER_WIRE_PROTOCOL } from './spec.js'
export { createTorrent, parseTorrent, parseInfoBytes, pieceSize, type Metainfo, type TorrentFile, type CreateFile, type CreateTorrentOptions } from './metainfo.js'
export { parseMagnet, toMagnet, type Magnet } from './magnet.js'
export { wireCodec, encodeWire, decodeWire, wireSize, WireParser, type WireMsg, BLOCK_SIZE } from './wire.js'
export { bencode, bdecode } from './bencode.js'
export { TrackerMachine, trackerSpec, TRACKER_PROTOCOL, type TrackerOptions, type AnnounceReply, type ScrapeEntry } from './tracker.js'
export { trackerCodec, type TrackerMsg } from './tracker-codec.js'
export { tracker, TrackerService, type TrackerInit } from './live/tracker-service.js'
export { TorrentHost, type HostedTorrent, type WireTransport, type WireConn, type ConnSink } from './live/host.js'
// the plain-TCP endpoint (Node only) is enabled with bittorrent({ tcp: { port } }); its module is ../runtime/bytestream/tcp-endpoint.js
export { MetadataMachine, type MetadataOptions } from './metadata.js'
export { runSwarm, bounds, type SwarmParams, type SwarmResult } from './sim-swarm.js'
