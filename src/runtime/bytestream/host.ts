/**
 * The byte-stream driver: runs machines whose connections are raw byte streams bound to one machine
 * by their first message (BitTorrent's peer wire: the handshake names the torrent), over any
 * `WireTransport` — a libp2p stream or a plain TCP socket (tcp-endpoint.ts) — with the same machine
 * behind both. The protocol's framing and codec come in as a `ByteProtocol`; machines get the live
 * runtime's one Env (../env.ts: clock, seeding, timers, io, signer, penalize) like the libp2p driver's.
 *
 * Peer policy: framing errors and undecodable frames are counted and scored per peer (the same
 * PeerPolicy as the libp2p driver, with the host's ResourcePolicy); machines' refusals (`refuse()`)
 * add to it; a peer past the threshold has its connections closed and is refused for a back-off —
 * over libp2p through the node's shared refusal list (`gate`), so the same peer is refused by the
 * node's connection gater and its other overlays, and a peer they cut off is refused here.
 * Bulk data (BitTorrent's pieces) is paced by the machine's own choking and request pipeline, so no
 * frames/s bucket applies here.
 */
import { logger } from '@libp2p/logger'
import { DecodeError } from '../../overlay/errors.js'
import { resolveResourcePolicy, type ResourcePolicyInit } from '../../overlay/resources.js'
import { Stats } from '../../overlay/stats.js'
import { buildEnv, liveTimers, seedRng, type TimerHandle } from '../env.js'
import { PeerGate } from '../policy/gate.js'
import { PeerPolicy } from '../policy/peers.js'
import type { BlobStorage } from '../libp2p/storage.js'
import type { Signer } from '../../overlay/identity.js'
import type { Rng } from '../../overlay/rng.js'
import type { TimerTable } from '../../overlay/timers.js'
import type { Env, Logger, Machine, OverlayEvent, PeerRef } from '../../overlay/types.js'

const log = logger('overlaykit:bytestream')

/** A raw, reliable byte connection. */
export interface WireConn {
  /** `lazy`: the bytes may wait a little for other data to the same peer. */
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

/** A byte protocol: framing, codec and the few facts the host needs about its messages. */
export interface ByteProtocol<M> {
  /** A fresh framer per connection; `push` throws a DecodeError when the stream cannot be resynchronised. */
  parser (): { push (bytes: Uint8Array): Uint8Array[] }
  /** Throws DecodeError on a bad frame. */
  decode (frame: Uint8Array): M
  typeOf (msg: M): string
  /** The bytes of `msg`, as one buffer or as parts written one after the other (a header and a block). */
  encode (msg: M): Uint8Array | Uint8Array[]
  /** May these bytes wait a little for company? */
  lazy? (msg: M): boolean
  /** The machine key an inbound connection's first message names (an info hash), or undefined. */
  bindKey (msg: M): string | undefined
  /** Does sending `msg` to a peer without a connection open one (a handshake)? */
  opens (msg: M): boolean
  /** A machine event that asks to drop a peer's connection: that peer's id. */
  disconnectOf? (event: OverlayEvent): string | undefined
}

/** A machine the host runs: a `connect(ref)` starts talking to a peer. */
export interface StreamMachine<M> extends Machine<M> {
  connect (ref: PeerRef): boolean
}

/** One connection: cuts bytes into frames and hands them to its machine. */
class Session<M> implements ConnSink {
  private readonly parser: { push (bytes: Uint8Array): Uint8Array[] }
  private conn: WireConn | undefined
  private queue: Array<[Uint8Array, boolean]> = []
  private ended = false

  constructor (private readonly host: ByteStreamHost<M>, public ref: PeerRef, public hosted: HostedMachine<M, any, any> | undefined) {
    this.parser = host.protocol.parser()
  }

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
    const host = this.host
    let frames: Uint8Array[]
    // a framing error builds a DecodeError: without a stack trace it costs what a frame costs
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try { frames = this.parser.push(bytes) } catch (err) {
      Error.stackTraceLimit = limit
      host.stats.inc('bt:stream_error')
      log('closing %s: %s', this.ref.id, (err as Error).message)
      host.peers.penalize(this.ref.id, 'bad-frame', host.peers.policy.score.weights.badFrame)
      this.close()
      return
    }
    for (const f of frames) {
      if (this.ended) break
      let msg: M
      try { msg = host.protocol.decode(f) } catch (err) {
        if (!(err instanceof DecodeError)) { Error.stackTraceLimit = limit; throw err }
        host.stats.dropped('decode-error')
        host.peers.penalize(this.ref.id, 'decode-error', host.peers.policy.score.weights.decodeError)
        if (this.hosted === undefined) { this.close(); break }
        continue
      }
      host.stats.received(host.protocol.typeOf(msg), f.length)
      if (this.hosted === undefined) {
        // inbound: the first message names the machine
        const key = host.protocol.bindKey(msg)
        const t = key === undefined ? undefined : host.machines.get(key)
        if (t === undefined || t.sessions.has(this.ref.id)) { host.stats.inc('bt:unknown_torrent'); this.close(); break }
        this.hosted = t
        t.sessions.set(this.ref.id, this)
      }
      this.hosted.deliver(this.ref, msg)
    }
    Error.stackTraceLimit = limit
  }

  closed (): void {
    if (this.ended) return
    this.ended = true
    const t = this.hosted
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

/** A machine running in the host under a key (a torrent under its info hash). */
export class HostedMachine<M, Mach extends StreamMachine<M>, E extends OverlayEvent = OverlayEvent> {
  readonly sessions = new Map<string, Session<M>>()
  readonly machine: Mach
  readonly stats = new Stats()
  private readonly timers: TimerTable<TimerHandle>
  private readonly listeners = new Set<(e: E) => void>()
  private stopped = false
  /** io in flight, so stop() can wait for the last writes (pieces, resume data). */
  private readonly pendingIo = new Set<Promise<void>>()

  constructor (private readonly host: ByteStreamHost<M>, readonly key: string, create: (env: Env<M, any>) => Mach, storage: BlobStorage | undefined = host.storage) {
    this.timers = liveTimers(key => { this.guard(() => { this.machine.onTimer(key) }) })
    const env = buildEnv<M>({
      self: () => host.self,
      rng: host.rng.fork(key),
      send: (to, msg) => { this.send(to, msg) },
      timers: this.timers,
      active: () => !this.stopped,
      emit: (e) => { this.onEvent(e as E) },
      stats: this.stats,
      log: log as unknown as Logger,
      storage,
      // writes land even after stop (pieces, resume data); reads and sizes only while running
      complete: (req, r) => { if (!this.stopped || req.op === 'write') this.guard(() => { this.machine.onIo?.(req.token, r) }) },
      track: (p) => { this.pendingIo.add(p); void p.finally(() => { this.pendingIo.delete(p) }) },
      signer: host.signer,
      penalize: (peer, reason, weight) => { host.peers.penalize(peer.id, reason, weight) }
    })
    this.machine = create(env)
  }

  onEvents (fn: (e: E) => void): () => void {
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

  /** Connect to a peer (the transport that handles its id dials it). */
  connect (ref: PeerRef): void { this.guard(() => { this.machine.connect(ref) }) }

  /** Run a completion that arrives from outside (a hash, a read) in the machine, unless stopped. */
  callback (fn: () => void): void { if (!this.stopped) this.guard(fn) }

  deliver (from: PeerRef, msg: M): void { if (!this.stopped) this.guard(() => { this.machine.onMessage(from, msg) }) }
  unreachable (ref: PeerRef): void { if (!this.stopped) this.guard(() => { this.machine.onPeerUnreachable?.(ref) }) }

  /** Close this machine's connection to `peer`, if any. */
  drop (peer: string): void {
    const s = this.sessions.get(peer)
    if (s !== undefined) { this.sessions.delete(peer); s.close() }
  }

  private send (to: PeerRef, msg: M): void {
    const host = this.host
    const p = host.protocol
    const s = this.sessions.get(to.id)
    const bytes = p.encode(msg)
    let n = 0
    if (Array.isArray(bytes)) for (const b of bytes) n += b.length; else n = bytes.length
    host.stats.sent(p.typeOf(msg), n)
    if (s !== undefined) {
      // parts (a piece's header and block) go to the connection's batch without being joined first
      if (Array.isArray(bytes)) for (const b of bytes) s.write(b); else s.write(bytes, p.lazy?.(msg) ?? false)
      return
    }
    if (!p.opens(msg)) { host.stats.dropped('bt:no_session'); return }
    if (host.peers.isRefused(to.id)) { host.stats.dropped('peer-refused'); queueMicrotask(() => { this.unreachable(to) }); return }
    const transport = host.transports.find(t => t.handles(to))
    if (transport === undefined) { host.stats.dropped('bt:no_transport'); queueMicrotask(() => { this.unreachable(to) }); return }
    const session = new Session<M>(host, to, this)
    this.sessions.set(to.id, session)
    if (Array.isArray(bytes)) for (const b of bytes) session.write(b); else session.write(bytes)
    transport.dial(to, session).then(conn => { session.setConn(conn) }, err => {
      log('dial %s failed: %s', to.id, (err as Error)?.message)
      session.closed()
    })
  }

  private onEvent (e: E): void {
    const peer = this.host.protocol.disconnectOf?.(e)
    if (peer !== undefined) this.drop(peer)
    for (const fn of this.listeners) {
      try { fn(e) } catch (err) { log.error('listener threw - %e', err) }
    }
  }

  private guard (fn: () => void): void {
    try { fn() } catch (err) { log.error('machine threw - %e', err) }
  }
}

export interface ByteStreamHostOptions {
  /** Identity of this node in PeerRefs (the libp2p peer id, or any string). */
  self: PeerRef
  storage?: BlobStorage
  /** Seed for the machines' Rng. @default random (crypto) */
  seed?: number | string
  /** The node's identity key, as `env.signer`. @default none */
  signer?: Signer
  /** Budgets and scoring (frame rates do not apply: bulk data is paced by the machines). @default {} */
  resources?: ResourcePolicyInit
  /**
   * The node's refusal list (policy/gate.ts `acquireGate`), shared with its libp2p overlays and
   * consulted by its connection gater: a peer one of them cut off is refused here, and one this host
   * cuts off is refused by the node. @default a list of this host's own
   */
  gate?: PeerGate
  /** Called when a peer is cut off, after its sessions are dropped (e.g. to close its libp2p connections). */
  onCutOff?: (peer: string, reason: string) => void
}

export class ByteStreamHost<M> {
  readonly machines = new Map<string, HostedMachine<M, any, any>>()
  readonly transports: WireTransport[] = []
  readonly stats = new Stats()
  readonly rng: Rng
  readonly storage: BlobStorage | undefined
  readonly signer: Signer | undefined
  readonly peers: PeerPolicy
  /** Peers refused after passing their score: the node's list when given, else this host's own. */
  readonly gate: PeerGate
  self: PeerRef

  constructor (readonly protocol: ByteProtocol<M>, opts: ByteStreamHostOptions) {
    this.self = opts.self
    this.storage = opts.storage
    this.signer = opts.signer
    this.rng = seedRng(opts.seed, opts.self.id)
    this.gate = opts.gate ?? new PeerGate()
    this.peers = new PeerPolicy(resolveResourcePolicy(opts.resources), this.gate, this.stats, c => {
      log('cutting off %s (%s) for %d ms', c.peer, c.reason, c.backoffMs)
      for (const m of this.machines.values()) m.drop(c.peer)
      try { opts.onCutOff?.(c.peer, c.reason) } catch (err) { log('onCutOff failed - %e', err) }
    })
  }

  addTransport (t: WireTransport): void { this.transports.push(t) }

  /** A transport accepted a connection from `ref`; its first message will say which machine. */
  accept (ref: PeerRef, conn: WireConn): ConnSink {
    const s = new Session<M>(this, ref, undefined)
    if (this.peers.isRefused(ref.id)) {
      this.stats.inc('driver:refused-streams')
      conn.close()
      s.closed()
      return s
    }
    s.setConn(conn)
    return s
  }

  /** Run a machine under `key` (a torrent under its info hash). */
  addMachine<Mach extends StreamMachine<M>> (key: string, create: (env: Env<M, any>) => Mach, storage?: BlobStorage): HostedMachine<M, Mach, any> {
    if (this.machines.has(key)) throw new Error(`${key} is already running`)
    const t = new HostedMachine<M, Mach, any>(this, key, create, storage ?? this.storage)
    this.machines.set(key, t)
    t.start()
    return t
  }

  async remove (key: string): Promise<void> {
    const t = this.machines.get(key)
    if (t === undefined) return
    this.machines.delete(key)
    await t.stop()
  }

  async stop (): Promise<void> { await Promise.all([...this.machines.keys()].map(async k => { await this.remove(k) })) }
}
