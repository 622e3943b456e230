/**
 * The live BitTorrent service for libp2p: torrent machines in a TorrentHost, reachable over a
 * libp2p protocol (BEP 3 bytes on the stream) and optionally over plain TCP for stock clients; a
 * tracker client (and server, with `serveTracker`) on its own protocol; trackerless discovery
 * through any ContentRouting. `seed()` and `download()` return a Torrent handle.
 */
import { serviceCapabilities, type Startable, type Stream, type Connection, type StreamMessageEvent, type StreamCloseEvent } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { logger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import { OverlayDriver, type DriverOptions } from '../../runtime/libp2p/driver.js'
import { FsBlobStorage, type BlobStorage } from '../../runtime/libp2p/storage.js'
import { stripPeerId } from '../../runtime/libp2p/addrs.js'
import { toPeerRef } from '../../runtime/libp2p/service.js'
import { RUNS_ON_LIMITED_CONNECTION } from '../../runtime/libp2p/limited.js'
import { optionalComponent } from '../../runtime/libp2p/components.js'
import { acquireGate } from '../../runtime/policy/gate.js'
import { InvalidArgumentError } from '../../overlay/errors.js'
import { WriteBatcher } from '../../runtime/bytestream/batch.js'
import { TorrentHost, type ConnSink, type WireConn, type WireTransport } from './host.js'
import type { TcpEndpoint } from '../../runtime/bytestream/tcp-endpoint.js'
import { trackerSpec, type TrackerMachine, type TrackerOptions } from '../tracker.js'
import { PEER_WIRE_PROTOCOL } from '../spec.js'
import type { Sha1 } from '../sha1.js'
import { createTorrent, parseTorrent, type CreateFile, type Metainfo } from '../metainfo.js'
import { parseMagnet } from '../magnet.js'
import { hasNodeBuiltins, readDisk, requireDisk } from './files.js'
import { fetchMetadata } from './magnet-fetch.js'
import { Torrent, type DownloadOptions, type SeedOptions } from './torrent.js'
import type { TrackerMsg } from '../tracker-codec.js'
import type { OverlayComponents } from '../../runtime/libp2p/components.js'
import type { ContentRouting } from '../../overlay/capabilities.js'
import type { PeerRef } from '../../overlay/types.js'

const log = logger('overlaykit:bittorrent')

export interface BitTorrentInit {
  /** Where downloads without a `path` go. @default in memory (one buffer per torrent in its machine) */
  storage?: BlobStorage
  /** Also listen for plain-TCP BEP 3 peers (stock clients). @default off */
  tcp?: { port?: number, host?: string }
  /** Default tracker for seed()/download(): a PeerRef or a multiaddr ending in /p2p/<id>. */
  tracker?: PeerRef | string
  /** Run a tracker on this node too. @default false */
  serveTracker?: boolean | TrackerOptions
  /** Default trackerless discovery. */
  contentRouting?: ContentRouting
  /** Re-announce / re-query discovery this often, ms. @default 30000 */
  announceIntervalMs?: number
  /**
   * Peer-wire streams per connection, each way (libp2p's per-protocol stream limit; beyond it a new
   * stream is reset). One stream carries one torrent between two peers, so this bounds the torrents
   * two peers exchange at once, and what a hostile peer can make us hold per connection (each stream
   * has a parser buffer and a session). Inside a stream the request queue is bounded by the machine
   * (`maxQueuedRequests` per peer, 256 by default; more are dropped and counted). @default 32
   */
  maxInboundStreams?: number
  /**
   * Worker threads that SHA-1-verify pieces off the event loop (Node); 0 hashes on the event loop
   * with node:crypto (about 50 ms per 64 MiB). Off by default: moving a piece to a worker (one copy,
   * a message each way, more garbage) cost the event loop more than the hashing it saves
   * (benchmarks/results/bittorrent-live-one-leecher.md). In browsers pieces are hashed by WebCrypto,
   * off the page's thread, whatever this says. @default 0
   */
  hashWorkers?: number
  /** Seed for machine randomness (tests). @default random */
  seed?: number | string
  /** Options for the tracker client's driver. */
  driver?: DriverOptions
}

/** See BitTorrentInit.maxInboundStreams. */
export const MAX_STREAMS_PER_CONNECTION = 32

/** toPeerRef, plus BitTorrent's TCP trackers without a peer id: `tcp:host:port` or `host:port`. */
function toRef (peer: PeerRef | string): PeerRef {
  if (typeof peer !== 'string' || peer.startsWith('tcp:')) return typeof peer === 'string' ? { id: peer } : peer
  if (/\/p2p\/[^/]+$/.test(peer)) return toPeerRef(peer)
  if (/^[^/:]+:\d+$/.test(peer)) return { id: `tcp:${peer}` }
  return { id: peer }
}

/**
 * One PeerRef per peer id, with all its addresses: a magnet lists a peer once per address (x.pe),
 * e.g. TCP and WebSockets, and the machines keep only the first ref of an id. A browser can dial
 * only the /ws one, so it must not be dropped.
 */
function mergeRefs (refs: PeerRef[]): PeerRef[] {
  const byId = new Map<string, PeerRef>()
  for (const r of refs) {
    const known = byId.get(r.id)
    if (known === undefined) byId.set(r.id, { ...r, ...(r.addrs !== undefined ? { addrs: [...r.addrs] } : {}) })
    else if (r.addrs !== undefined) byId.set(r.id, { ...known, addrs: [...new Set([...(known.addrs ?? []), ...r.addrs])] })
  }
  return [...byId.values()]
}

/** BEP 3 bytes over libp2p streams. */
class Libp2pTransport implements WireTransport {
  private readonly streams = new Set<Stream>()
  constructor (private readonly components: OverlayComponents, private readonly host: TorrentHost) {}

  handles (ref: PeerRef): boolean {
    if (ref.id.startsWith('tcp:')) return false
    try { peerIdFromString(ref.id); return true } catch { return false }
  }

  async dial (ref: PeerRef, sink: ConnSink): Promise<WireConn> {
    const peerId = peerIdFromString(ref.id)
    const addrs = (ref.addrs ?? []).flatMap(a => { try { return [multiaddr(stripPeerId(a))] } catch { return [] } })
    if (addrs.length > 0) await this.components.peerStore.merge(peerId, { multiaddrs: addrs }).catch(() => {})
    // optimistic protocol selection: the handshake rides with the protocol name, saving a round trip
    const signal = AbortSignal.timeout(10_000)
    const connection = await this.components.connectionManager.openConnection(peerId, { signal })
    const stream = await connection.newStream(PEER_WIRE_PROTOCOL, { signal, negotiateFully: false })
    this.pump(stream, sink)
    return this.wrap(stream)
  }

  inbound (stream: Stream, connection: Connection): void {
    const ref = { id: connection.remotePeer.toString(), addrs: [stripPeerId(connection.remoteAddr.toString())] }
    this.pump(stream, this.host.accept(ref, this.wrap(stream)))
  }

  private wrap (stream: Stream): WireConn {
    // send() always buffers; the protocol bounds what is in flight (pipelined requests), so no drain wait
    const batch = new WriteBatcher(bytes => { if (stream.writeStatus === 'writable') stream.send(bytes) })
    return {
      write: (b, lazy) => { batch.write(b, lazy) },
      close: () => { batch.flush(); stream.close({ signal: AbortSignal.timeout(1000) }).catch(() => { stream.abort(new Error('closed')) }) }
    }
  }

  private pump (stream: Stream, sink: ConnSink): void {
    this.streams.add(stream)
    // the stream's events straight to the parser: its async iterator would add a queue and a
    // promise per chunk, measurable at tens of MB/s
    const onMessage = (evt: StreamMessageEvent): void => {
      const d = evt.data
      // a list's parts go to the parser as they are: frames inside one part are not copied
      if (d instanceof Uint8Array) sink.data(d); else for (const part of d) sink.data(part)
    }
    const end = (evt?: StreamCloseEvent): void => {
      stream.removeEventListener('message', onMessage)
      stream.removeEventListener('close', end)
      stream.removeEventListener('remoteCloseWrite', end)
      if (!this.streams.delete(stream)) return
      if (evt?.error !== undefined) log('stream ended: %s', evt.error.message)
      sink.closed()
    }
    stream.addEventListener('message', onMessage)
    stream.addEventListener('close', end)
    stream.addEventListener('remoteCloseWrite', end)
  }

  stop (): void { for (const s of [...this.streams]) s.abort(new Error('bittorrent stopped')); this.streams.clear() }
}

export class BitTorrentService implements Startable {
  // set in the constructor: a computed-key field initializer is a side effect for bundlers, which
  // would then keep the whole BitTorrent code in pages that do not use it
  declare readonly [serviceCapabilities]: string[]
  host: TorrentHost
  readonly trackerDriver: OverlayDriver<TrackerMsg, TrackerOptions, TrackerMachine>
  tcp: TcpEndpoint | undefined
  private transport: Libp2pTransport | undefined
  private readonly torrents = new Map<string, Torrent>()
  private started = false
  private releaseGate: (() => void) | undefined
  private hashers: { hash: (parts: readonly Uint8Array[]) => Promise<Uint8Array>, stop: () => Promise<void> } | undefined

  constructor (private readonly components: OverlayComponents, readonly init: BitTorrentInit = {}) {
    this[serviceCapabilities] = ['@overlaykit/bittorrent']
    const serve = init.serveTracker
    this.trackerDriver = new OverlayDriver(components, trackerSpec, { ...(typeof serve === 'object' ? serve : {}), serve: serve !== undefined && serve !== false }, { runOnLimitedConnection: RUNS_ON_LIMITED_CONNECTION['bittorrent-tracker'], ...init.driver })
    this.host = new TorrentHost({ self: { id: components.peerId.toString() }, storage: init.storage, seed: init.seed })
  }

  get [Symbol.toStringTag] (): string { return '@overlaykit/bittorrent' }

  async start (): Promise<void> {
    // native SHA-1 where Node has it: the machine calls it synchronously, so load it now
    // (browsers keep the machine's pure-JS SHA-1: there, even a failed import('node:crypto') logs a console error)
    let sha1: Sha1 | undefined
    if (hasNodeBuiltins()) {
      try {
        const name = 'node:crypto'
        const crypto = await import(/* @vite-ignore */ /* webpackIgnore: true */ name)
        sha1 = (d) => {
          const h = crypto.createHash('sha1')
          if (d instanceof Uint8Array) h.update(d); else for (const part of d) h.update(part)
          return new Uint8Array(h.digest())
        }
      } catch { /* the pure-JS SHA-1 */ }
    }
    let hashAsync: ((parts: readonly Uint8Array[]) => Promise<Uint8Array>) | undefined
    if (sha1 !== undefined && (this.init.hashWorkers ?? 0) > 0) {
      // Node only, loaded on demand like the TCP endpoint below (bundlers leave it out)
      const workers = './sha1-workers.js'
      const { Sha1Workers } = await import(/* @vite-ignore */ /* webpackIgnore: true */ workers) as typeof import('./sha1-workers.js')
      this.hashers = new Sha1Workers(this.init.hashWorkers)
      hashAsync = this.hashers.hash
    }
    // refusals go through the node's shared list (as the libp2p overlays'): a peer cut off here is
    // refused by the node, with its connections closed, and one cut off elsewhere is refused here
    const { gate, release } = acquireGate(optionalComponent(this.components, 'connectionGater'), this.components)
    this.releaseGate = release
    const onCutOff = (peer: string): void => {
      try { for (const c of this.components.connectionManager.getConnections(peerIdFromString(peer))) c.abort(new Error('peer cut off')) } catch { /* not a libp2p peer id (a TCP peer) */ }
    }
    this.host = new TorrentHost({ self: this.self, storage: this.init.storage, seed: this.init.seed, sha1, hashAsync, gate, onCutOff })
    this.transport = new Libp2pTransport(this.components, this.host)
    this.host.addTransport(this.transport)
    await this.components.registrar.handle(PEER_WIRE_PROTOCOL, (stream: Stream, connection: Connection) => { this.transport?.inbound(stream, connection) }, {
      maxInboundStreams: this.init.maxInboundStreams ?? MAX_STREAMS_PER_CONNECTION,
      maxOutboundStreams: this.init.maxInboundStreams ?? MAX_STREAMS_PER_CONNECTION
    })
    await this.trackerDriver.start()
    if (this.init.tcp !== undefined) {
      // Node only (node:net), loaded on demand. The module name is a variable so that bundlers for
      // the browser (esbuild in scripts/build-browser.mjs, vite, webpack) leave it out of the bundle
      const endpoint = '../../runtime/bytestream/tcp-endpoint.js'
      const { TcpEndpoint } = await import(/* @vite-ignore */ /* webpackIgnore: true */ endpoint) as typeof import('../../runtime/bytestream/tcp-endpoint.js')
      this.tcp = new TcpEndpoint(this.host, this.init.tcp)
      this.host.addTransport(this.tcp)
      await this.tcp.listen()
    }
    this.started = true
  }

  async stop (): Promise<void> {
    this.started = false
    for (const t of [...this.torrents.values()]) await t.stop()
    this.torrents.clear()
    await this.host.stop()
    this.transport?.stop()
    await this.hashers?.stop()
    this.hashers = undefined
    await this.components.registrar.unhandle(PEER_WIRE_PROTOCOL).catch(() => {})
    await this.trackerDriver.stop()
    await this.tcp?.close()
    this.releaseGate?.()
    this.releaseGate = undefined
  }

  isStarted (): boolean { return this.started }

  get self (): PeerRef {
    const addrs = this.components.addressManager?.getAddresses().map(a => stripPeerId(a.toString())) ?? []
    return { id: this.components.peerId.toString(), addrs }
  }

  /** The tracker machine (server state when `serveTracker`). */
  get tracker (): TrackerMachine { return this.trackerDriver.machine }

  get (infoHash: string): Torrent | undefined { return this.torrents.get(infoHash.toLowerCase()) }

  /**
   * Seed bytes, in-memory files, or files from disk (one file, or one directory → a multi-file
   * torrent). Resolves once the torrent is being served and announced.
   */
  async seed (input: Uint8Array | CreateFile[] | string, opts: SeedOptions = {}): Promise<Torrent> {
    let files: CreateFile[]
    let name = opts.name
    let storage: BlobStorage | undefined
    let content: Uint8Array | undefined
    if (typeof input === 'string') {
      const disk = await readDisk(input)
      files = disk.files; name ??= disk.name; storage = new FsBlobStorage(disk.root)
    } else if (input instanceof Uint8Array) {
      files = [{ path: name ?? 'data', data: input }]; name ??= 'data'; content = input
    } else files = input
    if (name === undefined) throw new InvalidArgumentError('seed: give a name')
    const { torrent, metainfo } = createTorrent(files, { name, pieceLength: opts.pieceLength, announce: opts.announce, multiFile: opts.multiFile ?? files.length > 1, sha1: this.host?.sha1 })
    if (content === undefined && storage === undefined) {
      // in-memory files: keep the concatenated content in the machine
      content = new Uint8Array(metainfo.length)
      let off = 0
      for (const f of files) { content.set(f.data, off); off += f.data.length }
    }
    return this.run(metainfo, { ...opts, torrentFile: torrent, seeding: true, content, storage })
  }

  /**
   * Download from a .torrent (bytes), a parsed Metainfo, or a magnet link: its info dict is then
   * fetched from peers (BEP 9) found through x.pe, `peers`, the tracker or ContentRouting.
   */
  async download (id: Uint8Array | Metainfo | string, opts: DownloadOptions = {}): Promise<Torrent> {
    if (opts.path !== undefined && opts.storage === undefined) requireDisk(`download(…, { path: "${opts.path}" })`)
    let metainfo: Metainfo
    if (id instanceof Uint8Array) metainfo = parseTorrent(id)
    else if (typeof id === 'string') {
      const magnet = parseMagnet(id)
      const known = this.torrents.get(magnet.infoHash)
      if (known !== undefined) return known
      // BEP 9: ask peers for the info dict first
      const tracker = opts.tracker ?? this.init.tracker ?? magnet.trackers.find(t => t.startsWith('/'))
      // the magnet's x.pe peers stay peers of the download itself
      opts = { ...opts, peers: [...magnet.peers, ...(opts.peers ?? [])] }
      metainfo = await fetchMetadata(this, magnet, {
        peers: mergeRefs(opts.peers!.map(toRef)),
        tracker: tracker === undefined ? undefined : toRef(tracker),
        contentRouting: opts.contentRouting ?? this.init.contentRouting,
        signal: opts.signal
      })
    } else metainfo = id
    const storage = opts.storage ?? (opts.path !== undefined ? new FsBlobStorage(opts.path) : undefined)
    return this.run(metainfo, { ...opts, storage, seeding: false })
  }

  private async run (metainfo: Metainfo, o: DownloadOptions & { seeding: boolean, content?: Uint8Array, torrentFile?: Uint8Array, storage?: BlobStorage }): Promise<Torrent> {
    if (!this.started) throw new InvalidArgumentError('bittorrent service is not started')
    if (this.torrents.has(metainfo.infoHash)) throw new InvalidArgumentError(`torrent ${metainfo.infoHash} is already running`)
    const tracker = o.tracker ?? this.init.tracker
    const t = new Torrent(this, metainfo, {
      ...o,
      tracker: tracker === undefined ? undefined : toRef(tracker),
      contentRouting: o.contentRouting ?? this.init.contentRouting,
      announceIntervalMs: o.announceIntervalMs ?? this.init.announceIntervalMs ?? 30_000,
      peers: o.peers === undefined ? undefined : mergeRefs(o.peers.map(toRef))
    })
    this.torrents.set(metainfo.infoHash, t)
    t.onStop(() => { this.torrents.delete(metainfo.infoHash) })
    await t.start()
    return t
  }
}

export function bittorrent (init: BitTorrentInit = {}): (components: OverlayComponents) => BitTorrentService {
  return (components) => new BitTorrentService(components, init)
}
