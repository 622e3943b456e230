/**
 * OverlayDriver runs one synchronous overlay Machine over real libp2p streams:
 *
 * - one protocol id per overlay (`spec.protocol`), registered with the registrar;
 * - one long-lived outbound stream per peer, opened lazily on the first send (dial by peer id,
 *   with the PeerRef's addresses merged into the peer store first);
 * - length-prefixed frames (limit = `codec.maxFrameBytes`), a read loop per stream that decodes and
 *   calls `machine.onMessage(from, msg)` with `from` = the Noise-authenticated remote peer;
 * - a bounded per-peer send queue with backpressure through `send()` → false / `onDrain()`;
 *   frames beyond the bound are dropped and counted;
 * - a failed dial or a closed stream/connection → `machine.onPeerUnreachable(peer)`, once per
 *   failure (then sends to that peer are dropped for `unreachableBackoffMs`, so a machine that
 *   retries from the callback cannot spin);
 * - real timers (TimerTable over setTimeout), `env.io` over a BlobStorage;
 * - frames sent to one peer in one turn after the first are batched into one write;
 * - bad input never takes the node down: an oversize frame resets that stream, an undecodable frame
 *   is dropped; both are counted in `stats` ('oversize', 'decode-error', 'truncated'); a well-framed
 *   message of a type the codec does not know (UnknownTypeError, e.g. from a newer peer) is dropped
 *   and counted apart as 'unknown-type';
 * - `machine.onPeerConnected(peer)` when a peer opens its first stream of this protocol to us.
 *
 * Stats: per message type (codec.typeOf) sent/received/bytes; drops by reason ('queue-full',
 * 'unreachable', 'decode-error', 'unknown-type', 'oversize', 'truncated', 'encode-error', 'send-error',
 * 'not-running'); counters 'driver:unreachable', 'driver:machine-errors', 'driver:drain-waits',
 * 'driver:writes'.
 *
 * `from.addrs` is known when we dialled that peer or a PeerRef with addresses for it passed through
 * `env.send`; otherwise `from` is `{ id }` and a reply reuses the open connection. Overlays that hand
 * PeerRefs to third parties should carry `env.self` (which has the listen addresses) in their messages.
 *
 * `stop()` runs `machine.stop()` first (messages it sends reach peers with an open stream; dials still
 * pending are cancelled), then clears every timer, unregisters the handler and closes every stream.
 */
import { logger as makeLogger } from '@libp2p/logger'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { LimitError, NotStartedError, UnknownTypeError } from '../../overlay/errors.js'
import { Rng } from '../../overlay/rng.js'
import { Stats } from '../../overlay/stats.js'
import { TimerTable } from '../../overlay/timers.js'
import { AddressBook, stripPeerId, toMultiaddrs } from './addrs.js'
import { Channel, type QueuedFrame } from './channel.js'
import { encodeFrame, readFrames } from './frames.js'
import { performIo, type BlobStorage } from './storage.js'
import type { OverlayComponents } from './components.js'
import type { Env, Logger, Machine, OverlayEvent, OverlaySpec, PeerRef } from '../../overlay/types.js'
import type { Connection, PeerId, Stream } from '@libp2p/interface'

export interface DriverOptions {
  /** Frames queued per peer (while dialing or waiting for drain) before new ones are dropped. @default 1024 */
  maxQueuedFrames?: number
  /** Seed for `env.rng`. @default random (crypto) */
  seed?: number | string
  /** Storage behind `env.io`. @default undefined (the machine sees no `env.io`) */
  storage?: BlobStorage
  /** Concurrent inbound streams per connection for this protocol. @default 16 */
  maxInboundStreams?: number
  /** Concurrent outbound streams per connection for this protocol. @default 16 */
  maxOutboundStreams?: number
  /** Time allowed for dial + protocol negotiation. @default 10000 */
  dialTimeoutMs?: number
  /** After a failed dial, sends to that peer are dropped (counted 'unreachable') for this long. @default 1000 */
  unreachableBackoffMs?: number
  /** How long stop() lets queued frames flush before resetting streams. @default 1000 */
  closeTimeoutMs?: number
  /** Open streams over limited (relayed) connections. @default false */
  runOnLimitedConnection?: boolean
}

/** Frames sent in one tick to one peer are written together, up to this many bytes per write. */
const BATCH_BYTES = 64 * 1024
/** ... or this many frames, whichever comes first; then the batch is written without waiting for the tick to end. */
const BATCH_FRAMES = 256

/** setTimeout fires at once for delays over 2^31-1 ms (~24.8 days): chain shorter ones instead. */
const MAX_TIMEOUT = 2 ** 31 - 1
interface TimerHandle { t: ReturnType<typeof setTimeout> }
function longTimeout (ms: number, fire: () => void): TimerHandle {
  const h: TimerHandle = { t: undefined as unknown as ReturnType<typeof setTimeout> }
  const due = performance.now() + ms
  const arm = (left: number): void => {
    h.t = setTimeout(left > MAX_TIMEOUT ? () => { arm(due - performance.now()) } : fire, Math.min(Math.max(0, left), MAX_TIMEOUT))
  }
  arm(ms)
  return h
}

function randomSeed (): string {
  return String(crypto.getRandomValues(new Uint32Array(1))[0])
}

export class OverlayDriver<M, O, Mach extends Machine<M>> {
  readonly stats = new Stats()
  readonly spec: OverlaySpec<M, O, Mach>
  /** Present when DriverOptions.storage is set. */
  readonly io: BlobStorage | undefined
  private readonly components: OverlayComponents
  private readonly options: O
  private readonly maxQueued: number
  private readonly dialTimeoutMs: number
  private readonly backoffMs: number
  private readonly closeTimeoutMs: number
  private readonly driverOptions: DriverOptions
  private readonly log: Logger
  private readonly selfRef: PeerRef
  private readonly listeners = new Set<(e: OverlayEvent) => void>()
  private readonly channels = new Map<string, Channel>()
  private readonly backoff = new Map<string, number>()
  private readonly inbound = new Map<Stream, string>()
  private readonly inboundPerPeer = new Map<string, number>()
  private readonly book = new AddressBook()
  private selfAddrs: readonly string[] | undefined
  private mach: Mach | undefined
  private timers: TimerTable<TimerHandle> | undefined
  private abort = new AbortController()
  private running = false
  private generation = 0

  constructor (components: OverlayComponents, spec: OverlaySpec<M, O, Mach>, options: O, driverOptions: DriverOptions = {}) {
    this.components = components
    this.spec = spec
    this.options = options
    this.driverOptions = driverOptions
    this.maxQueued = driverOptions.maxQueuedFrames ?? 1024
    this.dialTimeoutMs = driverOptions.dialTimeoutMs ?? 10_000
    this.backoffMs = driverOptions.unreachableBackoffMs ?? 1000
    this.closeTimeoutMs = driverOptions.closeTimeoutMs ?? 1000
    this.io = driverOptions.storage
    const name = `overlaykit:${spec.name}`
    this.log = (components.logger?.forComponent?.(name) ?? makeLogger(name)) as Logger
    const driver = this
    const id = components.peerId.toString()
    this.selfRef = { id, get addrs () { return driver.currentAddrs() } }
    this.onInboundStream = this.onInboundStream.bind(this)
    this.onSelfUpdate = this.onSelfUpdate.bind(this)
  }

  get machine (): Mach {
    if (this.mach === undefined) throw new NotStartedError(`${this.spec.name} is not started`)
    return this.mach
  }

  /** This node: peer id string and its listen addresses (without /p2p). */
  get self (): PeerRef { return this.selfRef }

  isStarted (): boolean { return this.running }

  /** What the driver currently holds (for diagnostics and the "stop releases everything" tests). */
  resources (): { timers: number, channels: number, outboundStreams: number, inboundStreams: number, queuedFrames: number } {
    let outboundStreams = 0
    let queuedFrames = 0
    for (const ch of this.channels.values()) {
      if (ch.stream !== undefined && ch.stream.status === 'open') outboundStreams++
      queuedFrames += ch.length
    }
    return { timers: this.timers?.size ?? 0, channels: this.channels.size, outboundStreams, inboundStreams: this.inbound.size, queuedFrames }
  }

  /** Listen to every event the machine emits. Returns an unsubscribe function. */
  onEvent (listener: (e: OverlayEvent) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  async start (): Promise<void> {
    if (this.running) return
    this.abort = new AbortController()
    this.generation++
    const seed = this.driverOptions.seed ?? randomSeed()
    const env = this.makeEnv(new Rng(String(seed)).fork(this.spec.name))
    this.timers = new TimerTable<TimerHandle>({
      schedule: (ms, fire) => longTimeout(ms, fire),
      cancel: (h) => { clearTimeout(h.t) }
    }, (key) => { this.guard('onTimer', () => this.mach?.onTimer(key)) })
    const mach = this.spec.create(env, this.options)
    this.components.events.addEventListener('self:peer:update', this.onSelfUpdate)
    this.components.events.addEventListener('transport:listening', this.onSelfUpdate)
    this.selfAddrs = undefined
    try {
      await this.components.registrar.handle(this.spec.protocol, this.onInboundStream, {
        maxInboundStreams: this.driverOptions.maxInboundStreams ?? 16,
        maxOutboundStreams: this.driverOptions.maxOutboundStreams ?? 16,
        runOnLimitedConnection: this.driverOptions.runOnLimitedConnection ?? false
      })
    } catch (err) {
      // e.g. the protocol is already handled by another instance: leave nothing behind
      this.components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
      this.components.events.removeEventListener('transport:listening', this.onSelfUpdate)
      throw err
    }
    this.mach = mach
    this.running = true
    this.guard('start', () => { mach.start() })
    this.log('started %s on %s', this.spec.name, this.spec.protocol)
  }

  async stop (): Promise<void> {
    if (!this.running) return
    // the machine may still send goodbyes from stop(): they are queued and flushed below
    this.guard('stop', () => this.mach?.stop())
    this.running = false
    this.generation++
    this.timers?.clearAll()
    this.components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
    this.components.events.removeEventListener('transport:listening', this.onSelfUpdate)
    await this.components.registrar.unhandle(this.spec.protocol).catch(err => { this.log.error('unhandle failed - %e', err) })
    const streams: Stream[] = [...this.inbound.keys()]
    for (const ch of this.channels.values()) {
      ch.down = true
      if (ch.stream !== undefined) streams.push(ch.stream)
    }
    // pending dials are cancelled; flushing streams get closeTimeoutMs, then they are reset
    this.abort.abort(new Error('overlay driver stopped'))
    const signal = AbortSignal.timeout(this.closeTimeoutMs)
    await Promise.all(streams.map(async s => {
      try { await s.close({ signal }) } catch { s.abort(new Error('overlay driver stopped')) }
    }))
    for (const ch of this.channels.values()) ch.clear()
    this.channels.clear()
    this.inbound.clear()
    this.inboundPerPeer.clear()
    this.backoff.clear()
    this.book.clear()
    this.log('stopped %s', this.spec.name)
  }

  /** Dial a peer (PeerRef or multiaddr string with /p2p/<id>); resolves with its PeerRef. */
  async connect (target: PeerRef | string, options: { signal?: AbortSignal } = {}): Promise<PeerRef> {
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.dialTimeoutMs), ...(options.signal !== undefined ? [options.signal] : [])])
    let conn: Connection
    if (typeof target === 'string') {
      conn = await this.components.connectionManager.openConnection(multiaddr(target), { signal })
      const ref = { id: conn.remotePeer.toString(), addrs: [stripPeerId(target)] }
      this.book.remember(ref)
      return ref
    }
    const peerId = await this.preparePeer(target)
    conn = await this.components.connectionManager.openConnection(peerId, { signal })
    const addrs = target.addrs !== undefined && target.addrs.length > 0 ? target.addrs : [stripPeerId(conn.remoteAddr.toString())]
    return { id: target.id, addrs }
  }

  // ---- env ----

  private makeEnv (rng: Rng): Env<M> {
    const driver = this
    const env: Env<M> = {
      get self () { return driver.selfRef },
      now: () => performance.timeOrigin + performance.now(),
      rng,
      send: (to, msg) => { this.send(to, msg) },
      setTimer: (key, ms) => { if (this.running) this.timers?.set(key, ms) },
      clearTimer: (key) => { this.timers?.clear(key) },
      emit: (event) => { this.emit(event) },
      stats: this.stats,
      log: this.log
    }
    const storage = this.io
    if (storage !== undefined) {
      env.io = (req) => {
        const gen = this.generation
        void performIo(storage, req).then(result => {
          if (this.running && gen === this.generation) this.guard('onIo', () => this.mach?.onIo?.(req.token, result))
        })
      }
    }
    return env
  }

  private emit (event: OverlayEvent): void {
    for (const l of this.listeners) {
      try { l(event) } catch (err) { this.log.error('event listener threw - %e', err) }
    }
  }

  /** Run a machine callback; a throwing machine is logged and counted, never fatal to the node. */
  private guard (what: string, fn: () => void): void {
    try {
      fn()
    } catch (err) {
      this.stats.inc('driver:machine-errors')
      this.log.error('%s %s threw - %e', this.spec.name, what, err)
    }
  }

  private currentAddrs (): readonly string[] {
    if (this.selfAddrs === undefined) {
      let addrs: Multiaddr[] = []
      try { addrs = this.components.addressManager?.getAddresses() ?? [] } catch { /* no address manager in these components */ }
      this.selfAddrs = addrs.map(a => stripPeerId(a.toString()))
    }
    return this.selfAddrs
  }

  private onSelfUpdate (): void { this.selfAddrs = undefined }

  // ---- sending ----

  private send (to: PeerRef, msg: M): void {
    if (!this.running) { this.stats.dropped('not-running'); return }
    const codec = this.spec.codec
    let body: Uint8Array
    let type: string
    try {
      type = codec.typeOf(msg)
      body = codec.encode(msg)
      if (body.byteLength > codec.maxFrameBytes) throw new LimitError(`frame of ${body.byteLength} bytes exceeds ${codec.maxFrameBytes}`)
    } catch (err) {
      this.stats.dropped('encode-error')
      this.log.error('cannot encode a message for %s - %e', to.id, err)
      return
    }
    if (to.id === this.selfRef.id) { this.sendToSelf(msg, type, body.byteLength); return }
    if (to.addrs !== undefined && to.addrs.length > 0) this.book.remember(to)
    const until = this.backoff.get(to.id)
    if (until !== undefined) {
      if (performance.now() < until) { this.stats.dropped('unreachable'); return }
      this.backoff.delete(to.id)
    }
    let ch = this.channels.get(to.id)
    if (ch === undefined) {
      ch = new Channel(to)
      this.channels.set(to.id, ch)
    } else if (to.addrs !== undefined && to.addrs.length > 0) {
      ch.peer = to
    }
    if (ch.length >= this.maxQueued) { this.stats.dropped('queue-full'); return }
    ch.push({ frame: encodeFrame(body, codec.maxFrameBytes), type, bytes: body.byteLength })
    if (ch.stream !== undefined) {
      if (!ch.flushScheduled) {
        // the first frame of a turn goes out at once (latency); the rest of the turn is batched
        this.flush(ch)
        this.scheduleFlush(ch)
      } else if (ch.bytes >= BATCH_BYTES || ch.length >= BATCH_FRAMES) {
        // a batch's worth is written at once, so a big burst never piles up against maxQueuedFrames
        this.flush(ch)
      }
    } else if (!ch.opening) {
      void this.open(ch)
    }
  }

  private sendToSelf (msg: M, type: string, bytes: number): void {
    const gen = this.generation
    this.stats.sent(type, bytes)
    queueMicrotask(() => {
      if (!this.running || gen !== this.generation) return
      this.stats.received(type, bytes)
      this.guard('onMessage', () => this.mach?.onMessage(this.selfRef, msg))
    })
  }

  private async preparePeer (ref: PeerRef): Promise<PeerId> {
    const peerId = peerIdFromString(ref.id)
    const multiaddrs = toMultiaddrs(ref.addrs ?? this.book.addrs(ref.id) ?? [])
    if (multiaddrs.length > 0) {
      await this.components.peerStore.merge(peerId, { multiaddrs }).catch(err => { this.log('peer store merge failed - %e', err) })
    }
    return peerId
  }

  private async open (ch: Channel): Promise<void> {
    ch.opening = true
    const gen = this.generation
    try {
      const peerId = await this.preparePeer(ch.peer)
      const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.dialTimeoutMs)])
      const stream = await this.components.connectionManager.openStream(peerId, this.spec.protocol, {
        signal,
        runOnLimitedConnection: this.driverOptions.runOnLimitedConnection ?? false
      })
      if (!this.running || gen !== this.generation || ch.down) {
        stream.abort(new Error('overlay driver stopped'))
        return
      }
      ch.stream = stream
      stream.addEventListener('close', () => { this.channelDown(ch, 'stream closed') })
      // the remote answers on its own stream, but reading ours notices its end (and accepts frames)
      void this.readLoop(stream, ch.peer.id, ch)
      this.flush(ch)
    } catch (err) {
      if (!this.running || gen !== this.generation || ch.down) return
      this.log('cannot reach %s - %e', ch.peer.id, err)
      this.backoff.set(ch.peer.id, performance.now() + this.backoffMs)
      this.channelDown(ch, 'dial failed')
    } finally {
      ch.opening = false
    }
  }

  /**
   * Flush again on the next microtask, so the frames a machine sends to this peer after the first in
   * one turn (a burst of replies decoded from one chunk, a broadcast) go down as one write: one muxer
   * frame and one Noise frame instead of one each per message. (Deferring the first frame too costs
   * about half the round-trip time on memory transport: the microtask runs behind the transport's.)
   */
  private scheduleFlush (ch: Channel): void {
    if (ch.flushScheduled) return
    ch.flushScheduled = true
    queueMicrotask(() => {
      ch.flushScheduled = false
      this.flush(ch)
    })
  }

  /** Write queued frames (batched up to BATCH_BYTES per write) until empty or the stream asks to wait. */
  private flush (ch: Channel): void {
    const stream = ch.stream
    if (stream === undefined || ch.waitingDrain || ch.down) return
    while (ch.length > 0) {
      if (stream.writeStatus !== 'writable') { this.channelDown(ch, `stream ${stream.writeStatus}`); return }
      const batch: QueuedFrame[] = [ch.shift() as QueuedFrame]
      let size = batch[0].frame.byteLength
      for (let next = ch.peek(); next !== undefined && batch.length < BATCH_FRAMES && size + next.frame.byteLength <= BATCH_BYTES; next = ch.peek()) {
        batch.push(ch.shift() as QueuedFrame)
        size += next.frame.byteLength
      }
      let buf = batch[0].frame
      if (batch.length > 1) {
        buf = new Uint8Array(size)
        let at = 0
        for (const f of batch) { buf.set(f.frame, at); at += f.frame.byteLength }
      }
      let more: boolean
      try {
        more = stream.send(buf)
      } catch (err) {
        for (let i = 0; i < batch.length; i++) this.stats.dropped('send-error')
        this.channelDown(ch, 'send failed')
        return
      }
      this.stats.inc('driver:writes')
      for (const f of batch) this.stats.sent(f.type, f.bytes)
      if (!more) {
        this.stats.inc('driver:drain-waits')
        ch.waitingDrain = true
        stream.onDrain({ signal: this.abort.signal }).then(() => {
          ch.waitingDrain = false
          this.flush(ch)
        }, () => { ch.waitingDrain = false })
        return
      }
    }
  }

  /** Tear down a peer's channel once; queued frames are dropped and the machine is told. */
  private channelDown (ch: Channel, why: string): void {
    if (ch.down) return
    ch.down = true
    const lost = ch.clear()
    for (let i = 0; i < lost; i++) this.stats.dropped('unreachable')
    if (this.channels.get(ch.peer.id) === ch) this.channels.delete(ch.peer.id)
    if (ch.stream !== undefined && ch.stream.status === 'open') ch.stream.abort(new Error(why))
    if (!this.running) return
    this.log('peer %s unreachable: %s', ch.peer.id, why)
    this.stats.inc('driver:unreachable')
    // never re-enter the machine from inside its own env.send(): tell it on the next microtask
    const gen = this.generation
    queueMicrotask(() => {
      if (this.running && gen === this.generation) this.guard('onPeerUnreachable', () => this.mach?.onPeerUnreachable?.(ch.peer))
    })
  }

  // ---- receiving ----

  private onInboundStream (stream: Stream, connection: Connection): void {
    if (!this.running) { stream.abort(new Error('overlay not running')); return }
    const id = connection.remotePeer.toString()
    this.backoff.delete(id)
    if (connection.direction === 'outbound') this.book.remember({ id, addrs: [stripPeerId(connection.remoteAddr.toString())] })
    this.inbound.set(stream, id)
    const n = this.inboundPerPeer.get(id) ?? 0
    this.inboundPerPeer.set(id, n + 1)
    if (n === 0) this.guard('onPeerConnected', () => this.mach?.onPeerConnected?.(this.book.refOf(id)))
    void this.readLoop(stream, id, undefined)
  }

  private deliver (id: string, body: Uint8Array): void {
    if (!this.running) return
    const codec = this.spec.codec
    let msg: M
    let type: string
    try {
      msg = codec.decode(body)
      type = codec.typeOf(msg)
    } catch (err) {
      if (err instanceof UnknownTypeError) {
        this.stats.dropped('unknown-type')
        this.log('dropped a frame of unknown type %s (%d bytes) from %s', String(err.messageType), body.byteLength, id)
        return
      }
      this.stats.dropped('decode-error')
      this.log('dropped an undecodable frame of %d bytes from %s - %s', body.byteLength, id, (err as Error)?.message)
      return
    }
    this.stats.received(type, body.byteLength)
    this.guard('onMessage', () => this.mach?.onMessage(this.book.refOf(id), msg))
  }

  private async readLoop (stream: Stream, id: string, ch: Channel | undefined): Promise<void> {
    const end = await readFrames(stream, this.spec.codec.maxFrameBytes, body => { this.deliver(id, body) })
    if (end.reason === 'oversize' || end.reason === 'truncated') {
      this.stats.dropped(end.reason)
      this.log('resetting a stream from %s: %s', id, end.error.message)
      stream.abort(new LimitError(`${end.reason} frame: ${end.error.message}`))
    }
    if (ch !== undefined) {
      this.channelDown(ch, `stream ended (${end.reason})`)
      return
    }
    if (this.inbound.delete(stream)) {
      const n = (this.inboundPerPeer.get(id) ?? 1) - 1
      if (n <= 0) this.inboundPerPeer.delete(id); else this.inboundPerPeer.set(id, n)
    }
    // we never write on inbound streams: close our half so the stream is released on both sides
    if (end.reason === 'eof' && stream.status === 'open') {
      stream.close({ signal: AbortSignal.timeout(this.closeTimeoutMs) }).catch(err => { stream.abort(err) })
    }
  }
}
