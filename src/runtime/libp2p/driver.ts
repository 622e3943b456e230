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
 * - one ResourcePolicy (src/overlay/resources.ts; RESOURCE_DEFAULTS, then `spec.resources`, then
 *   `DriverOptions.resources`) bounds each peer: bytes of incomplete frames held, frame deadline,
 *   idle streams, frames/s and bytes/s, streams per connection; bad input is dropped and counted
 *   cheaply (inbound.ts) and scored; a peer past its score threshold has its streams reset, its
 *   connections closed, and is refused by the node's connection gater for a back-off (policy/gate.ts);
 *   the driver emits `driver:peer-banned` and counts 'driver:banned';
 * - `env.signer` is the node's identity key (components.privateKey, Ed25519) and `env.penalize`
 *   feeds the peer score (machines call it through `refuse()`);
 * - `machine.onPeerConnected(peer)` when a peer opens its first stream of this protocol to us.
 *
 * Stats: per message type (codec.typeOf) sent/received/bytes; drops by reason ('queue-full',
 * 'unreachable', 'decode-error', 'unknown-type', 'oversize', 'truncated', 'encode-error', 'send-error',
 * 'not-running', 'over-budget', 'deadline', 'peer-refused'); counters 'driver:throttled',
 * 'driver:unreachable', 'driver:machine-errors', 'driver:drain-waits', 'driver:writes', 'driver:banned',
 * 'driver:penalty:<reason>', 'driver:refused-streams', 'driver:idle-closed'. The parts: outbound.ts
 * (channels, batching), inbound.ts (read loops, budgets), ../env.ts (the Env, shared with the
 * byte-stream driver).
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
import { multiaddr } from '@multiformats/multiaddr'
import { NotStartedError } from '../../overlay/errors.js'
import { signerFromPrivateKey, type Signer } from '../../overlay/identity.js'
import { resolveResourcePolicy, type PeerBannedEvent, type ResourcePolicy, type ResourcePolicyInit } from '../../overlay/resources.js'
import { Stats } from '../../overlay/stats.js'
import { buildEnv, liveTimers, seedRng, type TimerHandle } from '../env.js'
import { acquireGate, PeerGate } from '../policy/gate.js'
import { PeerPolicy, type CutOff } from '../policy/peers.js'
import { AddressBook, stripPeerId } from './addrs.js'
import { optionalComponent, type OverlayComponents } from './components.js'
import { Inbound } from './inbound.js'
import { Outbound } from './outbound.js'
import type { BlobStorage } from './storage.js'
import type { ChannelLimits, DriverContext } from './context.js'
import type { TimerTable } from '../../overlay/timers.js'
import type { Logger, Machine, OverlayEvent, OverlaySpec, PeerRef } from '../../overlay/types.js'
import type { Connection, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface DriverOptions {
  /** Frames queued per peer (while dialing or waiting for drain) before new ones are dropped. @default 1024 */
  maxQueuedFrames?: number
  /** Seed for `env.rng`. @default random (crypto) */
  seed?: number | string
  /** Storage behind `env.io`. @default undefined (the machine sees no `env.io`) */
  storage?: BlobStorage
  /** Concurrent inbound streams per connection for this protocol (overrides `resources.maxInboundStreams`). @default 16 */
  maxInboundStreams?: number
  /** Concurrent outbound streams per connection for this protocol (overrides `resources.maxOutboundStreams`). @default 16 */
  maxOutboundStreams?: number
  /** Time allowed for dial + protocol negotiation. @default 10000 */
  dialTimeoutMs?: number
  /** After a failed dial, sends to that peer are dropped (counted 'unreachable') for this long. @default 1000 */
  unreachableBackoffMs?: number
  /** How long stop() lets queued frames flush before resetting streams. @default 1000 */
  closeTimeoutMs?: number
  /** Open streams over limited (relayed) connections. @default false */
  runOnLimitedConnection?: boolean
  /** Per-peer budgets, rates and scoring over the overlay's defaults (docs/limits.md). @default {} */
  resources?: ResourcePolicyInit
}

export class OverlayDriver<M, O, Mach extends Machine<M>> implements DriverContext<M> {
  readonly stats = new Stats()
  readonly spec: OverlaySpec<M, O, Mach>
  /** Present when DriverOptions.storage is set. */
  readonly io: BlobStorage | undefined
  /** The resolved resource policy. */
  readonly policy: ResourcePolicy
  readonly components: OverlayComponents
  readonly log: Logger
  readonly selfRef: PeerRef
  readonly book = new AddressBook()
  peers: PeerPolicy
  running = false
  generation = 0
  private readonly options: O
  private readonly driverOptions: DriverOptions
  private readonly limits: ChannelLimits
  private readonly listeners = new Set<(e: OverlayEvent) => void>()
  private readonly out: Outbound<M>
  private readonly inb: Inbound<M>
  private selfAddrs: readonly string[] | undefined
  private mach: Mach | undefined
  private timers: TimerTable<TimerHandle> | undefined
  private abort = new AbortController()
  private releaseGate: (() => void) | undefined
  private signer: Signer | undefined
  /** The node's refusal list (shared with its other overlays) while started. */
  private gate: PeerGate | undefined

  constructor (components: OverlayComponents, spec: OverlaySpec<M, O, Mach>, options: O, driverOptions: DriverOptions = {}) {
    this.components = components
    this.spec = spec
    this.options = options
    this.driverOptions = driverOptions
    this.limits = {
      maxQueued: driverOptions.maxQueuedFrames ?? 1024,
      dialTimeoutMs: driverOptions.dialTimeoutMs ?? 10_000,
      backoffMs: driverOptions.unreachableBackoffMs ?? 1000,
      closeTimeoutMs: driverOptions.closeTimeoutMs ?? 1000,
      runOnLimitedConnection: driverOptions.runOnLimitedConnection ?? false
    }
    const policy = resolveResourcePolicy(spec.resources, driverOptions.resources, {
      maxInboundStreams: driverOptions.maxInboundStreams,
      maxOutboundStreams: driverOptions.maxOutboundStreams
    })
    // one frame of the largest size must always fit, or an honest peer could never send one
    policy.maxBufferedBytesPerPeer = Math.max(policy.maxBufferedBytesPerPeer, spec.codec.maxFrameBytes + 16)
    policy.maxBufferedBytesTotal = Math.max(policy.maxBufferedBytesTotal, policy.maxBufferedBytesPerPeer)
    this.policy = policy
    this.io = driverOptions.storage
    const name = `overlaykit:${spec.name}`
    this.log = (components.logger?.forComponent?.(name) ?? makeLogger(name)) as Logger
    const driver = this
    const id = components.peerId.toString()
    this.selfRef = { id, get addrs () { return driver.currentAddrs() } }
    this.peers = this.makePolicy()
    this.out = new Outbound<M>(this, this.limits, (stream, ch) => { this.inb.readChannel(stream, ch) })
    this.inb = new Inbound<M>(this, this.limits.closeTimeoutMs, (ch, why) => { this.out.channelDown(ch, why) }, id => { this.out.reachable(id) })
    this.onSelfUpdate = this.onSelfUpdate.bind(this)
  }

  get machine (): Mach {
    if (this.mach === undefined) throw new NotStartedError(`${this.spec.name} is not started`)
    return this.mach
  }

  /** This node: peer id string and its listen addresses (without /p2p). */
  get self (): PeerRef { return this.selfRef }

  get signal (): AbortSignal { return this.abort.signal }

  isStarted (): boolean { return this.running }

  /** What the driver currently holds (for diagnostics and the "stop releases everything" tests). */
  resources (): { timers: number, channels: number, outboundStreams: number, inboundStreams: number, queuedFrames: number, bufferedBytes: number, trackedPeers: number, refusedPeers: number } {
    let outboundStreams = 0
    let queuedFrames = 0
    for (const ch of this.out.channels.values()) {
      if (ch.stream !== undefined && ch.stream.status === 'open') outboundStreams++
      queuedFrames += ch.length
    }
    return {
      timers: this.timers?.size ?? 0,
      channels: this.out.channels.size,
      outboundStreams,
      inboundStreams: this.inb.inboundStreams,
      queuedFrames,
      bufferedBytes: this.peers.buffered,
      trackedPeers: this.peers.peers,
      refusedPeers: this.gateSize()
    }
  }

  /** The peer-policy status: the worst-scored peers, the refused ones, bytes held (for `status` and diagnostics). */
  limitsStatus (): { bufferedBytes: number, scores: Array<{ peer: string, score: number, buffered: number, streams: number }>, refused: Array<{ peer: string, msLeft: number }>, refusedConnections: number } {
    return { bufferedBytes: this.peers.buffered, scores: this.peers.scores(), refused: this.gate?.refused() ?? [], refusedConnections: this.gate?.refusedConnections ?? 0 }
  }

  /** Listen to every event the machine emits (and the driver's own, `driver:peer-banned`). Returns an unsubscribe function. */
  onEvent (listener: (e: OverlayEvent) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** A peer's current score (0 = clean); the policy's threshold cuts it off. */
  scoreOf (peer: string): number { return this.peers.score(peer) }

  /** Penalise a peer from outside the machine (an application's own checks). */
  penalize (peer: string, reason: string, weight: number): void { this.peers.penalize(peer, reason, weight) }

  async start (): Promise<void> {
    if (this.running) return
    this.abort = new AbortController()
    const gen = ++this.generation
    const { gate, release } = acquireGate(optionalComponent(this.components, 'connectionGater'), this.components)
    this.gate = gate
    this.releaseGate = release
    this.peers = this.makePolicy()
    this.timers = liveTimers((key) => { this.guard('onTimer', () => this.mach?.onTimer(key)) })
    const env = buildEnv<M>({
      self: () => this.selfRef,
      rng: seedRng(this.driverOptions.seed, this.spec.name),
      send: (to, msg) => { this.out.send(to, msg) },
      timers: this.timers,
      active: () => this.running,
      emit: (event) => { this.emit(event) },
      stats: this.stats,
      log: this.log,
      storage: this.io,
      // answers that arrive after a stop (or a stop and a restart) are not for this machine
      complete: (req, result) => {
        if (this.running && gen === this.generation) this.guard('onIo', () => this.mach?.onIo?.(req.token, result))
      },
      verified: (token, ok) => {
        if (this.running && gen === this.generation) this.guard('onVerified', () => this.mach?.onVerified?.(token, ok))
      },
      signer: this.nodeSigner(),
      penalize: (peer, reason, weight) => { this.peers.penalize(peer.id, reason, weight) }
    })
    const mach = this.spec.create(env, this.options)
    this.components.events.addEventListener('self:peer:update', this.onSelfUpdate)
    this.components.events.addEventListener('transport:listening', this.onSelfUpdate)
    this.selfAddrs = undefined
    try {
      await this.components.registrar.handle(this.spec.protocol, this.inb.onInboundStream, {
        maxInboundStreams: this.policy.maxInboundStreams,
        maxOutboundStreams: this.policy.maxOutboundStreams,
        runOnLimitedConnection: this.limits.runOnLimitedConnection
      })
    } catch (err) {
      // e.g. the protocol is already handled by another instance: leave nothing behind
      this.components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
      this.components.events.removeEventListener('transport:listening', this.onSelfUpdate)
      this.releaseGate?.()
      throw err
    }
    this.registerMetrics()
    this.mach = mach
    this.running = true
    this.inb.start()
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
    const streams: Stream[] = [...this.inb.stop(), ...this.out.closeAll()]
    // pending dials are cancelled; flushing streams get closeTimeoutMs, then they are reset
    this.abort.abort(new Error('overlay driver stopped'))
    const signal = AbortSignal.timeout(this.limits.closeTimeoutMs)
    await Promise.all(streams.map(async s => {
      try { await s.close({ signal }) } catch { s.abort(new Error('overlay driver stopped')) }
    }))
    this.out.clear()
    this.inb.clear()
    this.peers.clear()
    this.book.clear()
    this.releaseGate?.()
    this.releaseGate = undefined
    this.log('stopped %s', this.spec.name)
  }

  /** Dial a peer (PeerRef or multiaddr string with /p2p/<id>); resolves with its PeerRef. */
  async connect (target: PeerRef | string, options: { signal?: AbortSignal } = {}): Promise<PeerRef> {
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.limits.dialTimeoutMs), ...(options.signal !== undefined ? [options.signal] : [])])
    let conn: Connection
    if (typeof target === 'string') {
      conn = await this.components.connectionManager.openConnection(multiaddr(target), { signal })
      const ref = { id: conn.remotePeer.toString(), addrs: [stripPeerId(target)] }
      this.book.remember(ref)
      return ref
    }
    const peerId = await this.out.preparePeer(target)
    conn = await this.components.connectionManager.openConnection(peerId, { signal })
    const addrs = target.addrs !== undefined && target.addrs.length > 0 ? target.addrs : [stripPeerId(conn.remoteAddr.toString())]
    return { id: target.id, addrs }
  }

  /** The running machine, or undefined (for the driver's parts). */
  get current (): Mach | undefined { return this.mach }

  /** Run a machine callback; a throwing machine is logged and counted, never fatal to the node. */
  guard (what: string, fn: () => void): void {
    try {
      fn()
    } catch (err) {
      this.stats.inc('driver:machine-errors')
      this.log.error('%s %s threw - %e', this.spec.name, what, err)
    }
  }

  // ---- policy ----

  private gateSize (): number { return this.gate?.size ?? 0 }

  private makePolicy (): PeerPolicy {
    // before start() there is no node gate yet: a private one, replaced at start
    const gate = this.gate ?? new PeerGate()
    return new PeerPolicy(this.policy, gate, this.stats, c => { this.cutOff(c) })
  }

  /** A peer crossed its threshold: reset its streams, drop its channel, close its connections, tell listeners. */
  private cutOff (c: CutOff): void {
    this.log('cutting off %s (%s, score %d) for %d ms', c.peer, c.reason, Math.round(c.score), c.backoffMs)
    this.inb.cut(c.peer)
    this.out.drop(c.peer, 'peer cut off')
    try {
      for (const conn of this.components.connectionManager.getConnections(peerIdFromString(c.peer))) conn.abort(new Error(`peer cut off: ${c.reason}`))
    } catch (err) { this.log('closing connections of %s failed - %e', c.peer, err) }
    const event: PeerBannedEvent = { type: 'driver:peer-banned', peer: c.peer, reason: c.reason, score: c.score, backoffMs: c.backoffMs, sinceFirstOffenceMs: c.sinceFirstOffenceMs }
    this.emit(event)
  }

  private nodeSigner (): Signer | undefined {
    if (this.signer !== undefined) return this.signer
    const key = optionalComponent(this.components, 'privateKey')
    if (key === undefined) return undefined
    try { this.signer = signerFromPrivateKey(key) } catch (err) { this.log('no signer: %s', (err as Error).message) }
    return this.signer
  }

  /** Counters in libp2p metrics (where the node has metrics), computed when scraped. */
  private registerMetrics (): void {
    const metrics = optionalComponent(this.components, 'metrics')
    if (metrics === undefined) return
    const name = `overlaykit_${this.spec.name.replace(/[^a-zA-Z0-9_]/g, '_')}`
    try {
      metrics.registerMetricGroup(`${name}_driver`, {
        label: 'name',
        help: `overlaykit ${this.spec.name}: driver counters, drops and peer policy`,
        calculate: () => {
          const out: Record<string, number> = {}
          for (const [k, v] of this.stats.counters) if (k.startsWith('driver:')) out[k.slice(7)] = v
          for (const [k, c] of this.stats.messages) if (c.dropped > 0) out[`dropped_${k}`] = c.dropped
          out.buffered_bytes = this.peers.buffered
          out.refused_peers = this.gateSize()
          return out
        }
      })
    } catch (err) { this.log('metrics registration failed - %e', err) }
  }

  // ---- env ----

  private emit (event: OverlayEvent): void {
    for (const l of this.listeners) {
      try { l(event) } catch (err) { this.log.error('event listener threw - %e', err) }
    }
  }

  private currentAddrs (): readonly string[] {
    if (this.selfAddrs === undefined) {
      let addrs: Multiaddr[] = []
      try { addrs = optionalComponent(this.components, 'addressManager')?.getAddresses() ?? [] } catch { /* no address manager in these components */ }
      this.selfAddrs = addrs.map(a => stripPeerId(a.toString()))
    }
    return this.selfAddrs
  }

  private onSelfUpdate (): void { this.selfAddrs = undefined }
}
