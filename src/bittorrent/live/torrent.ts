/**
 * The public handle of one running torrent: progress events, a `done` promise, pause/resume,
 * file selection, re-verification, and peer discovery — explicit peers, a tracker, and any
 * ContentRouting (provide the info hash, find providers), re-run every announce interval.
 */
import { logger } from '@libp2p/logger'
import { AbortError, InvalidArgumentError } from '../../overlay/errors.js'
import { toMagnet } from '../magnet.js'
import type { HostedTorrent } from './host.js'
import type { TorrentOptions, TorrentProgress } from '../machine.js'
import type { Metainfo } from '../metainfo.js'
import type { TorrentServiceContext } from './context.js'
import type { ContentRouting } from '../../overlay/capabilities.js'
import type { BlobStorage } from '../../runtime/libp2p/storage.js'
import type { PeerRef } from '../../overlay/types.js'

const log = logger('overlaykit:bittorrent:torrent')

export interface CommonOptions {
  /** Peers to connect to: PeerRefs, multiaddrs with /p2p/<id>, "host:port" or "tcp:host:port" for plain TCP. */
  peers?: Array<PeerRef | string>
  tracker?: PeerRef | string
  contentRouting?: ContentRouting
  /** @default 30000 */
  announceIntervalMs?: number
  /** Upload limit, bytes/s. @default unlimited */
  uploadRate?: number
  /** Download limit, bytes/s. @default unlimited */
  downloadRate?: number
  /** Connected peers at most. @default 50 */
  maxPeers?: number
  signal?: AbortSignal
  onProgress?: (p: TorrentProgress) => void
  /** Further machine options (pipeline, unchoke slots, ...). */
  torrent?: Partial<TorrentOptions>
}

export interface SeedOptions extends CommonOptions {
  name?: string
  /** @default 262144 */
  pieceLength?: number
  announce?: string[]
  multiFile?: boolean
  /**
   * Super-seeding (BEP 16): send no bitfield, offer each peer two pieces at a time with `have`,
   * and a new one once a peer announces an offered piece, so the seed's uplink carries each piece
   * about once. Worth it for the only seed of a new torrent. With `uploadRate` set, the offers per
   * peer grow while the uplink idles, so a seed faster than its leechers stays busy too (simulator:
   * as fast as a plain seed at u_s = 10u, 10–15 % faster at u_s = u; benchmarks/results/
   * bittorrent-bound.md, bittorrent-live.md). Without a rate limit it stays at two offers per peer,
   * which can leave a fast uplink idle. @default false
   */
  superSeed?: boolean
}

export interface DownloadOptions extends CommonOptions {
  /** Download folder (files land at <path>/<name>[/...]); resume data is kept there too. */
  path?: string
  /** Or any BlobStorage. @default the service's storage */
  storage?: BlobStorage
  /** Indices of the files to fetch. @default all */
  files?: number[]
  /** Persist and trust a bitfield of verified pieces. @default true with path/storage */
  resume?: boolean
  /** Start paused. @default false */
  paused?: boolean
}

type RunOptions = DownloadOptions & Pick<SeedOptions, 'superSeed'> & { seeding: boolean, content?: Uint8Array, torrentFile?: Uint8Array, tracker?: PeerRef, peers?: PeerRef[], announceIntervalMs: number }

export class Torrent {
  readonly infoHash: string
  /** The .torrent file (bencoded). */
  readonly torrentFile: Uint8Array
  readonly done: Promise<void>
  hosted: HostedTorrent | undefined
  private resolveDone!: () => void
  private rejectDone!: (err: Error) => void
  private readonly stopHooks: Array<() => void> = []
  private timer: ReturnType<typeof setTimeout> | undefined
  private stopped = false
  private readonly abort = new AbortController()
  /** Discovery results, for tests and the CLI. */
  readonly discovered = new Set<string>()

  constructor (private readonly service: TorrentServiceContext, readonly metainfo: Metainfo, private readonly o: RunOptions) {
    this.infoHash = metainfo.infoHash
    this.torrentFile = o.torrentFile ?? torrentFileOf(metainfo)
    this.done = new Promise((resolve, reject) => { this.resolveDone = resolve; this.rejectDone = reject })
    this.done.catch(() => {})
  }

  /** A magnet link whose x.pe entries are this node (plain-TCP host:port and libp2p multiaddrs). */
  get magnet (): string {
    const self = this.service.self
    const pe = (self.addrs ?? []).map(a => `${a}/p2p/${self.id}`)
    if (this.service.tcp !== undefined) pe.unshift(`127.0.0.1:${this.service.tcp.port}`)
    return toMagnet(this.metainfo, pe)
  }

  async start (): Promise<void> {
    const o = this.o
    if (o.signal?.aborted === true) throw new AbortError()
    const persistent = o.storage !== undefined || o.path !== undefined
    const storage = o.storage
    this.hosted = this.service.host.add({
      metainfo: this.metainfo,
      seed: o.seeding,
      // no path and no storage: bytes stay in one preallocated buffer in the machine
      storage: o.content !== undefined ? 'memory' : (storage !== undefined || this.service.init.storage !== undefined ? 'io' : 'memory'),
      content: o.content,
      resumeStore: !o.seeding && (o.resume ?? persistent) ? `.${this.infoHash}.resume` : undefined,
      files: o.files,
      uploadRate: o.uploadRate,
      downloadRate: o.downloadRate,
      maxPeers: o.maxPeers,
      paused: o.paused,
      // only a seed super-seeds (the machine ignores it until it holds every piece anyway)
      superSeed: o.seeding ? o.superSeed : undefined,
      ...o.torrent
    }, storage)
    this.hosted.onEvents(e => {
      if (e.type === 'bittorrent:piece' || e.type === 'bittorrent:complete') o.onProgress?.(this.progress())
      if (e.type === 'bittorrent:complete') {
        this.resolveDone()
        if (!o.seeding) void this.announce('completed')
      }
    })
    if (this.hosted.machine.done) this.resolveDone()
    o.signal?.addEventListener('abort', () => { this.rejectDone(new AbortError()); void this.stop() }, { once: true })
    for (const p of o.peers ?? []) this.addPeer(p)
    void this.discover('started')
  }

  progress (): TorrentProgress { return this.hosted!.machine.progress() }
  pause (): void { this.hosted?.machine.pause() }
  resume (): void { this.hosted?.machine.resumeTransfer() }
  /** Change which files to fetch (indices into metainfo.files). */
  select (files?: number[]): void { this.hosted?.machine.selectFiles(files) }
  addPeer (peer: PeerRef): void { if (peer.id !== this.service.self.id) this.hosted?.connect(peer) }

  /**
   * The torrent's content as stored (memory, disk or any BlobStorage), `length` bytes from
   * `offset`; pieces not yet downloaded read as zeros. For a downloaded file kept in memory, or to
   * read a range of one on disk without knowing its layout.
   */
  async read (offset = 0, length = this.metainfo.length - offset): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.metainfo.length) throw new InvalidArgumentError(`read: ${offset}+${length} is outside the torrent's ${this.metainfo.length} bytes`)
    const machine = this.hosted?.machine
    if (machine === undefined) throw new InvalidArgumentError('read: the torrent is not running')
    return await new Promise((resolve, reject) => {
      machine.store.read(offset, length, data => { if (data === undefined) reject(new Error('read: the storage failed')); else resolve(data) })
    })
  }

  /** Re-hash what we have; bad pieces are fetched again. */
  async verify (): Promise<{ checked: number, bad: number }> {
    return await new Promise(resolve => { this.hosted!.machine.verify(resolve) })
  }

  onStop (fn: () => void): void { this.stopHooks.push(fn) }

  async stop (): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    for (const fn of this.stopHooks) fn()
    this.rejectDone(new AbortError('torrent stopped'))
    this.abort.abort()
    await Promise.all([this.announce('stopped').catch(() => {}), this.service.host.remove(this.infoHash)])
  }

  // ---- discovery ----

  private async discover (event: 'started' | ''): Promise<void> {
    if (this.stopped) return
    // explicit peers are dialled again each round (a dropped connection comes back)
    if (event === '') for (const p of this.o.peers ?? []) this.addPeer(p)
    await Promise.all([this.announce(event), this.routing()])
    if (!this.stopped) this.timer = setTimeout(() => { void this.discover('') }, this.o.announceIntervalMs)
  }

  private async announce (event: 'started' | 'completed' | 'stopped' | ''): Promise<void> {
    const tracker = this.o.tracker
    if (tracker === undefined || this.hosted === undefined || !this.service.trackerDriver.isStarted()) return
    const m = this.hosted.machine
    const p = m.progress()
    try {
      const reply = await new Promise<{ peers: Array<{ id: string, addrs: string[] }> }>((resolve, reject) => {
        this.service.tracker.announce(tracker, {
          infoHash: this.metainfo.infoHashBytes, peerId: m.peerId, event,
          left: Math.max(0, p.wantedBytes - p.bytes), uploaded: m.uploaded, downloaded: m.downloaded,
          numwant: event === 'stopped' ? 0 : 50, addrs: this.service.self.addrs as string[]
        }, (err, r) => { if (err !== null) reject(err); else resolve(r!) })
      })
      if (event === 'stopped') return
      for (const peer of reply.peers) { this.discovered.add(peer.id); this.addPeer(peer) }
    } catch (err) {
      log('announce to %s failed: %s', tracker.id, (err as Error).message)
    }
  }

  private async routing (): Promise<void> {
    const cr = this.o.contentRouting
    if (cr === undefined) return
    const key = this.metainfo.infoHashBytes
    const signal = this.abort.signal
    await Promise.all([
      cr.provide(key, { signal }).catch(err => { log('provide failed: %s', (err as Error).message) }),
      (async () => {
        try {
          for await (const peer of cr.findProviders(key, { signal, limit: 50 })) {
            if (this.stopped) break
            this.discovered.add(peer.id)
            this.addPeer(peer)
          }
        } catch (err) { log('findProviders failed: %s', (err as Error).message) }
      })()
    ])
  }
}

/** A minimal .torrent around the info dict exactly as received: d4:info<info>e. */
export function torrentFileOf (m: Metainfo): Uint8Array {
  const head = new TextEncoder().encode('d4:info')
  const out = new Uint8Array(head.length + m.infoBytes.length + 1)
  out.set(head); out.set(m.infoBytes, head.length); out[out.length - 1] = 0x65
  return out
}
