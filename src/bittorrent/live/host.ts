/**
 * The live driver for torrent machines. BitTorrent connections are byte streams bound to one
 * torrent by their handshake, so instead of the generic message driver this host runs the BEP 3
 * byte stream itself over any `WireTransport` — a libp2p stream (service.ts) or a plain TCP socket
 * (tcp-endpoint.ts) — with the same machine behind both. It gives each machine an Env with real
 * timers, async storage through a BlobStorage, and dials peers when the machine first sends them
 * a handshake.
 */
import { logger } from '@libp2p/logger'
import { Rng } from '../../overlay/rng.js'
import { Stats } from '../../overlay/stats.js'
import { TimerTable } from '../../overlay/timers.js'
import { DecodeError } from '../../overlay/errors.js'
import { performIo, type BlobStorage } from '../../runtime/libp2p/storage.js'
import { TorrentMachine, type TorrentEvent, type TorrentOptions } from '../machine.js'
import type { PieceHasher } from '../options.js'
import { decodeWire, encodeWire, pieceHeader, WireParser, type WireMsg } from '../wire.js'
import { toHex, type Sha1 } from '../sha1.js'
import type { Env, Logger, Machine, PeerRef } from '../../overlay/types.js'

const log = logger('overlaykit:bittorrent:host')

/** A raw, reliable byte connection. */
export interface WireConn {
  /** `lazy`: the bytes may wait a little for other data to the same peer (haves). */
  write (bytes: Uint8Array, lazy?: boolean): void
  close (): void
}

/** What a transport calls as bytes arrive and when the connection ends. */
export interface ConnSink {
  data (bytes: Uint8Array): void
  closed (): void
}

export interface WireTransport {
  /** Whether this transport dials `ref` (e.g. ids "tcp:host:port" for TCP). */
  handles (ref: PeerRef): boolean
  dial (ref: PeerRef, sink: ConnSink): Promise<WireConn>
}

/** One connection: cuts bytes into frames and hands them to its torrent's machine. */
class Session implements ConnSink {
  private readonly parser = new WireParser()
  private conn: WireConn | undefined
  private queue: Array<[Uint8Array, boolean]> = []
  private ended = false

  constructor (private readonly host: TorrentHost, public ref: PeerRef, public torrent: HostedTorrent<WireMachine> | undefined) {}

  setConn (conn: WireConn): void {
    if (this.ended) { conn.close(); return }
    this.conn = conn
    for (const [b, lazy] of this.queue) conn.write(b, lazy)
    this.queue = []
  }

  write (bytes: Uint8Array, lazy = false): void {
    if (this.ended) return
    if (this.conn === undefined) this.queue.push([bytes, lazy]); else this.conn.write(bytes, lazy)
  }

  data (bytes: Uint8Array): void {
    if (this.ended) return
    let frames: Uint8Array[]
    try { frames = this.parser.push(bytes) } catch (err) {
      this.host.stats.inc('bt:stream_error')
      log('closing %s: %s', this.ref.id, (err as Error).message)
      this.close()
      return
    }
    for (const f of frames) {
      if (this.ended) return
      let msg: WireMsg
      try { msg = decodeWire(f) } catch (err) {
        if (!(err instanceof DecodeError)) throw err
        this.host.stats.dropped('decode-error')
        if (this.torrent === undefined) { this.close(); return }
        continue
      }
      this.host.stats.received(msg.type, f.length)
      if (this.torrent === undefined) {
        // inbound: the handshake names the torrent
        const t = msg.type === 'handshake' ? this.host.torrents.get(toHex(msg.infoHash)) : undefined
        if (t === undefined || t.sessions.has(this.ref.id)) { this.host.stats.inc('bt:unknown_torrent'); this.close(); return }
        this.torrent = t
        t.sessions.set(this.ref.id, this)
      }
      this.torrent.deliver(this.ref, msg)
    }
  }

  closed (): void {
    if (this.ended) return
    this.ended = true
    const t = this.torrent
    if (t !== undefined && t.sessions.get(this.ref.id) === this) {
      t.sessions.delete(this.ref.id)
      t.unreachable(this.ref)
    }
  }

  close (): void {
    const conn = this.conn
    this.closed()
    conn?.close()
  }
}

/** What the host runs per info hash: a torrent machine, or a metadata fetcher for a magnet link. */
export interface WireMachine extends Machine<WireMsg> {
  connect (ref: PeerRef): boolean
}

/** A torrent machine running in the host. */
export class HostedTorrent<Mach extends WireMachine = TorrentMachine> {
  readonly sessions = new Map<string, Session>()
  readonly machine: Mach
  readonly stats = new Stats()
  private readonly timers: TimerTable<ReturnType<typeof setTimeout>>
  private readonly listeners = new Set<(e: any) => void>()
  private stopped = false
  /** io in flight, so stop() can wait for the last writes (pieces, resume data). */
  private readonly pendingIo = new Set<Promise<void>>()

  constructor (private readonly host: TorrentHost, readonly infoHash: string, create: (env: Env<WireMsg, any>) => Mach, storage: BlobStorage | undefined = host.storage) {
    this.timers = new TimerTable({ schedule: (ms, fire) => setTimeout(fire, ms), cancel: h => { clearTimeout(h) } }, key => { this.guard(() => { this.machine.onTimer(key) }) })
    const self = this
    const env: Env<WireMsg, any> = {
      get self () { return host.self },
      now: () => performance.now(),
      rng: host.rng.fork(infoHash),
      send: (to, msg) => { self.send(to, msg) },
      setTimer: (key, ms) => { if (!self.stopped) self.timers.set(key, ms) },
      clearTimer: (key) => { self.timers.clear(key) },
      emit: (e) => { self.onEvent(e) },
      io: storage === undefined
        ? undefined
        : (req) => {
            const p = performIo(storage, req).then(r => { if (!self.stopped || req.op === 'write') self.guard(() => { self.machine.onIo?.(req.token, r) }) })
            self.pendingIo.add(p)
            void p.finally(() => { self.pendingIo.delete(p) })
          },
      stats: this.stats,
      log: log as unknown as Logger
    }
    this.machine = create(env)
  }

  onEvents (fn: (e: TorrentEvent) => void): () => void {
    this.listeners.add(fn)
    return () => { this.listeners.delete(fn) }
  }

  start (): void { this.guard(() => { this.machine.start() }) }

  /** Stop the machine and close its connections; resolves once pending writes have landed. */
  async stop (): Promise<void> {
    if (!this.stopped) {
      this.guard(() => { this.machine.stop() })
      this.stopped = true
      this.timers.clearAll()
      for (const s of [...this.sessions.values()]) s.close()
      this.sessions.clear()
      this.listeners.clear()
    }
    while (this.pendingIo.size > 0) await Promise.allSettled([...this.pendingIo])
  }

  /** Connect to a peer (ids "tcp:host:port" go over TCP, others are libp2p peer ids). */
  connect (ref: PeerRef): void { this.guard(() => { this.machine.connect(ref) }) }

  /** Run a completion that arrives from outside (a hash, a read) in the machine, unless stopped. */
  callback (fn: () => void): void { if (!this.stopped) this.guard(fn) }

  deliver (from: PeerRef, msg: WireMsg): void { if (!this.stopped) this.guard(() => { this.machine.onMessage(from, msg) }) }
  unreachable (ref: PeerRef): void { if (!this.stopped) this.guard(() => { this.machine.onPeerUnreachable?.(ref) }) }

  private send (to: PeerRef, msg: WireMsg): void {
    const s = this.sessions.get(to.id)
    if (s !== undefined && msg.type === 'piece') {
      // the hot path: header and block go to the connection's batch without being joined first
      this.host.stats.sent('piece', 13 + msg.block.length)
      s.write(pieceHeader(msg.index, msg.begin, msg.block.length))
      s.write(msg.block)
      return
    }
    const bytes = encodeWire(msg)
    this.host.stats.sent(msg.type, bytes.length)
    if (s !== undefined) { s.write(bytes, msg.type === 'have'); return }
    if (msg.type !== 'handshake') { this.host.stats.dropped('bt:no_session'); return }
    const transport = this.host.transports.find(t => t.handles(to))
    if (transport === undefined) { this.host.stats.dropped('bt:no_transport'); queueMicrotask(() => { this.unreachable(to) }); return }
    const session = new Session(this.host, to, this)
    this.sessions.set(to.id, session)
    session.write(bytes)
    transport.dial(to, session).then(conn => { session.setConn(conn) }, err => {
      log('dial %s failed: %s', to.id, (err as Error)?.message)
      session.closed()
    })
  }

  private onEvent (e: { type: string, peer?: unknown }): void {
    if (e.type === 'bittorrent:disconnect') {
      const s = this.sessions.get(e.peer as string)
      if (s !== undefined) { this.sessions.delete(e.peer as string); s.close() }
    }
    for (const fn of this.listeners) {
      try { fn(e) } catch (err) { log.error('listener threw - %e', err) }
    }
  }

  private guard (fn: () => void): void {
    try { fn() } catch (err) { log.error('torrent machine threw - %e', err) }
  }
}

/** SHA-1 through WebCrypto (a thread of its own in Node and browsers), or undefined where there is none. */
function webCryptoSha1 (): ((parts: readonly Uint8Array[]) => Promise<Uint8Array>) | undefined {
  const subtle = (globalThis as { crypto?: { subtle?: { digest: (alg: string, data: Uint8Array) => Promise<ArrayBuffer> } } }).crypto?.subtle
  if (subtle === undefined) return undefined
  return async (parts) => {
    let data: Uint8Array
    if (parts.length === 1) data = parts[0]
    else {
      let n = 0
      for (const p of parts) n += p.length
      data = new Uint8Array(n)
      let off = 0
      for (const p of parts) { data.set(p, off); off += p.length }
    }
    return new Uint8Array(await subtle.digest('SHA-1', data))
  }
}

export interface HostOptions {
  /** Identity of this node in PeerRefs (the libp2p peer id, or any string). */
  self: PeerRef
  storage?: BlobStorage
  /** @default @noble/hashes sha1 */
  sha1?: Sha1
  /** Hash finished pieces asynchronously (off the event loop). @default WebCrypto's SHA-1 when the runtime has it and no `sha1` is given */
  hashAsync?: ((parts: readonly Uint8Array[]) => Promise<Uint8Array>) | false
  /** Seed for the machines' Rng. @default random */
  seed?: number | string
}

export class TorrentHost {
  readonly torrents = new Map<string, HostedTorrent<any>>()
  readonly transports: WireTransport[] = []
  readonly stats = new Stats()
  readonly rng: Rng
  readonly storage: BlobStorage | undefined
  readonly sha1: Sha1 | undefined
  readonly hashAsync: ((parts: readonly Uint8Array[]) => Promise<Uint8Array>) | undefined
  self: PeerRef

  constructor (opts: HostOptions) {
    this.self = opts.self
    this.storage = opts.storage
    this.sha1 = opts.sha1
    // WebCrypto unless a synchronous SHA-1 was given: in Node the native hash on the event loop costs
    // less than WebCrypto's job (its input copy and dispatch block the loop about as long); in
    // browsers WebCrypto runs apart from the page, where the fallback is SHA-1 in JavaScript
    this.hashAsync = opts.hashAsync === false ? undefined : opts.hashAsync ?? (opts.sha1 === undefined ? webCryptoSha1() : undefined)
    this.rng = new Rng(opts.seed ?? `${performance.timeOrigin}/${performance.now()}/${opts.self.id}`)
  }

  addTransport (t: WireTransport): void { this.transports.push(t) }

  /** A transport accepted a connection from `ref`; the handshake will say which torrent. */
  accept (ref: PeerRef, conn: WireConn): ConnSink {
    const s = new Session(this, ref, undefined)
    s.setConn(conn)
    return s
  }

  /** Run a torrent; `storage` overrides the host's for this torrent (e.g. the folder of files being seeded). */
  add (options: TorrentOptions, storage?: BlobStorage): HostedTorrent {
    const hashAsync = this.hashAsync
    let hosted: HostedTorrent | undefined
    // pieces are hashed on another thread; the digest comes back into the machine like an io result
    const hashPiece: PieceHasher | undefined = hashAsync === undefined
      ? undefined
      : (parts, done) => { hashAsync(parts).then(d => { hosted?.callback(() => { done(d) }) }, () => { hosted?.callback(() => { done(undefined) }) }) }
    hosted = this.addMachine(options.metainfo.infoHash, env => new TorrentMachine(env, { sha1: this.sha1, hashPiece, ...options }), storage)
    return hosted
  }

  /** Run any wire machine under an info hash (the metadata fetcher of a magnet link). */
  addMachine<Mach extends WireMachine> (infoHash: string, create: (env: Env<WireMsg, any>) => Mach, storage?: BlobStorage): HostedTorrent<Mach> {
    if (this.torrents.has(infoHash)) throw new Error(`torrent ${infoHash} is already running`)
    const t = new HostedTorrent<Mach>(this, infoHash, create, storage ?? this.storage)
    this.torrents.set(infoHash, t)
    t.start()
    return t
  }

  async remove (infoHash: string): Promise<void> {
    const t = this.torrents.get(infoHash)
    if (t === undefined) return
    this.torrents.delete(infoHash)
    await t.stop()
  }

  async stop (): Promise<void> { await Promise.all([...this.torrents.keys()].map(async k => { await this.remove(k) })) }
}
