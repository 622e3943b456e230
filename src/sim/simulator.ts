/**
 * The deterministic discrete-event simulator. It runs any Machine through a virtual-time Env:
 * messages go through the network model (latency, loss, partitions, bandwidth queues), timers are
 * events, io completes from memory. One seed ⇒ one run, proven by traceHash().
 */
import { logger } from '@libp2p/logger'
import { Rng } from '../overlay/rng.js'
import { Stats } from '../overlay/stats.js'
import type { Env, IoRequest, IoResult, Logger, Machine, OverlayEvent, OverlaySpec, PeerRef } from '../overlay/types.js'
import type { Signer } from '../overlay/identity.js'
import { BlobStore } from './blobs.js'
import { EventHeap } from './heap.js'
import { type Coords, type LatencyModel, Partitions, sampleLatency } from './network.js'

export interface SimOptions {
  /** @default 1 */
  seed?: number | string
  /** @default { kind: 'constant', ms: 10 } */
  latency?: LatencyModel
  /** Probability that a message is lost. @default 0 */
  lossRate?: number
  /** Encode and decode every message through the codec (fidelity; slower). @default false */
  wire?: boolean
  /** Measure message sizes with the codec for stats and bandwidth (forced on for capped nodes). @default false */
  measureBytes?: boolean
  /** A send to a dead or unknown peer calls the sender's onPeerUnreachable after one latency. @default false */
  notifyUnreachable?: boolean
  /** Each node gets its own Stats instead of sharing sim.stats. @default false */
  perNodeStats?: boolean
  /** Virtual delay of an io request. @default 0 */
  ioLatencyMs?: number
  /**
   * Keep each link first-in first-out, as a stream is: a message never overtakes an earlier one
   * from the same sender to the same receiver, whatever the latency model draws. @default false
   */
  fifoLinks?: boolean
}

export interface SpawnOptions {
  /** @default the signer's peer id when a signer is given, else `n` + spawn index, zero-padded to 6 digits */
  id?: string
  /**
   * The node's identity key (see `simIdentity`): its peer id becomes the node id and machines sign with
   * it through `env.signer`, as live nodes do. Without one the node runs unsigned.
   */
  signer?: Signer
  /** Upload bandwidth in bytes/s; messages serialize on it. @default unlimited */
  upBps?: number
  /** Download bandwidth in bytes/s. @default unlimited */
  downBps?: number
  /** Position for the 'coordinates' latency model. */
  coords?: Coords
}

export interface SimNode<M = any, Mach = Machine<M>> {
  readonly id: string
  readonly ref: PeerRef
  readonly index: number
  readonly machine: Mach
  readonly env: Env<M>
  alive: boolean
  stats: Stats
  /** Messages delivered to this node (its load). */
  received: number
  sent: number
  readonly spec: OverlaySpec<M, any, any>
  readonly options: unknown
  readonly spawnOptions: SpawnOptions
  /** @internal */ upFreeAt: number
  /** @internal */ downFreeAt: number
  /** @internal */ timers: Map<string, TimerEvent> | undefined
}

const enum Kind { Deliver, Timer, Call, Io, Unreachable }

interface BaseEvent { t: number, seq: number, kind: Kind }
interface DeliverEvent extends BaseEvent { kind: Kind.Deliver, from: SimNode, to: string, target: SimNode | undefined, msg: unknown, size: number, downDone: boolean }
interface TimerEvent extends BaseEvent { kind: Kind.Timer, node: SimNode, key: string, cancelled: boolean }
interface CallEvent extends BaseEvent { kind: Kind.Call, fn: () => void }
interface IoEvent extends BaseEvent { kind: Kind.Io, node: SimNode, token: string, result: IoResult }
interface UnreachableEvent extends BaseEvent { kind: Kind.Unreachable, node: SimNode, peer: PeerRef }
type SimEvent = DeliverEvent | TimerEvent | CallEvent | IoEvent | UnreachableEvent

const noopLogger: Logger = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false })

export class Simulator {
  readonly rng: Rng
  readonly stats = new Stats()
  readonly blobs = new BlobStore()
  readonly options: Required<Omit<SimOptions, 'seed'>> & { seed: number | string }
  private readonly netRng: Rng
  private readonly queue = new EventHeap<SimEvent>()
  private readonly byId = new Map<string, SimNode>()
  private readonly order: SimNode[] = []
  private readonly partitions = new Partitions()
  private readonly listeners: Array<(node: SimNode, event: OverlayEvent) => void> = []
  private readonly loggers = new Map<string, Logger>()
  private readonly linkLast = new Map<string, number>()
  private clock = 0
  private seq = 0
  private executed = 0
  private spawned = 0
  private h1 = 0x811c9dc5
  private h2 = 0x01234567

  constructor (options: SimOptions = {}) {
    this.options = {
      seed: options.seed ?? 1,
      latency: options.latency ?? { kind: 'constant', ms: 10 },
      lossRate: options.lossRate ?? 0,
      wire: options.wire ?? false,
      measureBytes: options.measureBytes ?? false,
      notifyUnreachable: options.notifyUnreachable ?? false,
      perNodeStats: options.perNodeStats ?? false,
      ioLatencyMs: options.ioLatencyMs ?? 0,
      fifoLinks: options.fifoLinks ?? false
    }
    const root = new Rng(this.options.seed)
    this.rng = root.fork('workload')
    this.netRng = root.fork('network')
  }

  /** The id the i-th spawned node gets when none is given (workloads can name nodes before spawning). */
  static nodeId (index: number): string { return `n${String(index).padStart(6, '0')}` }

  get now (): number { return this.clock }
  get eventCount (): number { return this.executed }
  get pending (): number { return this.queue.size }

  spawn<M, O, Mach extends Machine<M>> (spec: OverlaySpec<M, O, Mach>, options: O, spawn: SpawnOptions = {}): SimNode<M, Mach> {
    const index = this.spawned++
    const id = spawn.id ?? spawn.signer?.id ?? Simulator.nodeId(index)
    const existing = this.byId.get(id)
    if (existing?.alive === true) throw new Error(`a live node with id ${id} already exists`)
    const ref: PeerRef = { id }
    const stats = this.options.perNodeStats ? new Stats() : this.stats
    const node = {
      id, ref, index, alive: true, stats, received: 0, sent: 0, spec, options, spawnOptions: spawn,
      upFreeAt: 0, downFreeAt: 0, timers: undefined
    } as unknown as SimNode<M, Mach> & { machine: Mach, env: Env<M> }
    const env = this.makeEnv(node as SimNode<M, Mach>, spec)
    ;(node as any).env = env
    ;(node as any).machine = spec.create(env, options)
    this.byId.set(id, node as SimNode)
    this.order.push(node as SimNode)
    node.machine.start()
    return node
  }

  /** Silent failure: the node stops answering; its timers and messages to it vanish. */
  crash (node: SimNode): void {
    if (!node.alive) return
    node.alive = false
    this.cancelTimers(node)
    this.stats.inc('sim:crashes')
  }

  /** Graceful leave: machine.stop() runs while the node can still send, then the node is gone. */
  leave (node: SimNode): void {
    if (!node.alive) return
    try { (node.machine as Machine<unknown>).stop() } finally {
      node.alive = false
      this.cancelTimers(node)
      this.stats.inc('sim:leaves')
    }
  }

  /** A fresh machine with the same id (and bandwidth/coords), as after a restart. */
  rejoin<M, Mach extends Machine<M>> (node: SimNode<M, Mach>, options?: unknown): SimNode<M, Mach> {
    if (node.alive) this.crash(node)
    return this.spawn(node.spec as OverlaySpec<M, unknown, Mach>, options ?? node.options, { ...node.spawnOptions, id: node.id })
  }

  node (id: string): SimNode | undefined {
    const n = this.byId.get(id)
    return n?.alive === true ? n : undefined
  }

  /** Live nodes in spawn order. */
  nodes (): SimNode[] {
    const out: SimNode[] = []
    for (const n of this.order) if (n.alive && this.byId.get(n.id) === n) out.push(n)
    return out
  }

  /** Every node ever spawned (dead ones included), in spawn order. */
  allNodes (): readonly SimNode[] { return this.order }

  after (delayMs: number, fn: () => void): void {
    this.push({ t: this.clock + Math.max(0, delayMs), seq: 0, kind: Kind.Call, fn })
  }

  at (timeMs: number, fn: () => void): void {
    this.push({ t: Math.max(this.clock, timeMs), seq: 0, kind: Kind.Call, fn })
  }

  /** Change the latency model from now on (messages already in flight keep their arrival time). */
  setLatency (latency: LatencyModel): void { this.options.latency = latency }

  partition (groups: string[][]): void { this.partitions.set(groups) }
  heal (): void { this.partitions.heal() }

  on (listener: (node: SimNode, event: OverlayEvent) => void): () => void {
    this.listeners.push(listener)
    return () => {
      const i = this.listeners.indexOf(listener)
      if (i >= 0) this.listeners.splice(i, 1)
    }
  }

  /**
   * Process events in (time, seq) order until the queue is empty or a limit is reached.
   * With `until`, the clock ends at `until` even if the queue empties earlier.
   */
  run (limit: { until?: number, maxEvents?: number } = {}): number {
    const until = limit.until ?? Infinity
    const max = limit.maxEvents ?? Infinity
    let n = 0
    const queue = this.queue
    while (n < max) {
      if (queue.size === 0 || queue.peekTime() > until) break
      const ev = queue.pop() as SimEvent
      // a cancelled timer leaves no trace, not even on the clock
      if (ev.kind === Kind.Timer && (ev.cancelled || !ev.node.alive)) continue
      this.clock = ev.t
      if (this.execute(ev)) n++
    }
    if (until !== Infinity && this.clock < until && queue.peekTime() > until) this.clock = until
    return n
  }

  runUntilIdle (maxEvents?: number): number {
    return this.run({ maxEvents })
  }

  /** Hash of everything that happened (deliveries, timers, calls, in order, with times). */
  traceHash (): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0') +
      this.executed.toString(16).padStart(8, '0')
  }

  private mix (a: number, b: number): void {
    this.h1 = Math.imul(this.h1 ^ a, 0x01000193)
    this.h1 = Math.imul(this.h1 ^ b, 0x01000193)
    this.h2 = Math.imul(this.h2 ^ b, 0x5bd1e995) ^ (this.h2 >>> 15)
    this.h2 = Math.imul(this.h2 ^ a, 0x5bd1e995)
  }

  private push (ev: SimEvent): void {
    ev.seq = this.seq++
    this.queue.push(ev)
  }

  /** Returns true when the event did something (cancelled timers and dead targets do not count). */
  private execute (ev: SimEvent): boolean {
    switch (ev.kind) {
      case Kind.Deliver: return this.deliver(ev)
      case Kind.Timer: {
        const node = ev.node
        if (ev.cancelled || !node.alive) return false
        node.timers?.delete(ev.key)
        this.executed++
        this.mix(node.index, Math.floor(ev.t * 1000) ^ 0x7f)
        ;(node.machine as Machine<unknown>).onTimer(ev.key)
        return true
      }
      case Kind.Call:
        this.executed++
        this.mix(0x51, Math.floor(ev.t * 1000))
        ev.fn()
        return true
      case Kind.Io: {
        if (!ev.node.alive) return false
        this.executed++
        this.mix(ev.node.index, 0x10)
        ;(ev.node.machine as Machine<unknown>).onIo?.(ev.token, ev.result)
        return true
      }
      case Kind.Unreachable: {
        if (!ev.node.alive) return false
        this.executed++
        ;(ev.node.machine as Machine<unknown>).onPeerUnreachable?.(ev.peer)
        return true
      }
    }
  }

  private deliver (ev: DeliverEvent): boolean {
    // resolved at send time; look again only if that node died (it may have rejoined under its id)
    let to = ev.target
    if (to === undefined || !to.alive) to = this.byId.get(ev.to)
    const from = ev.from
    if (to === undefined || !to.alive) {
      from.stats.dropped('sim:dead-peer')
      if (this.options.notifyUnreachable && from.alive) {
        this.push({ t: this.clock + sampleLatency(this.options.latency, this.netRng), seq: 0, kind: Kind.Unreachable, node: from, peer: { id: ev.to } })
      }
      return false
    }
    if (!this.partitions.connected(from.id, to.id)) { from.stats.dropped('sim:partition'); return false }
    // download serialization: the message occupies the receiver's downlink after it arrives
    const down = to.spawnOptions.downBps
    if (!ev.downDone && down !== undefined && down > 0) {
      const done = Math.max(this.clock, to.downFreeAt) + (ev.size * 1000) / down
      to.downFreeAt = done
      ev.downDone = true
      if (done > this.clock) { ev.t = done; this.push(ev); return false }
    }
    this.executed++
    this.mix(from.index, to.index ^ Math.floor(ev.t * 1000))
    to.received++
    let msg = ev.msg
    const codec = to.spec.codec
    if (this.options.wire) {
      try {
        msg = codec.decode(codec.encode(msg))
      } catch (err) {
        to.stats.dropped('decode-error')
        return true
      }
    }
    to.stats.received(codec.typeOf(msg), ev.size)
    ;(to.machine as Machine<unknown>).onMessage(from.ref, msg)
    return true
  }

  private send (from: SimNode, to: PeerRef, msg: unknown): void {
    if (!from.alive) return
    const codec = from.spec.codec
    const type = codec.typeOf(msg)
    const up = from.spawnOptions.upBps
    const target = this.byId.get(to.id)
    const capped = (up !== undefined && up > 0) || target?.spawnOptions.downBps !== undefined
    const size = (this.options.measureBytes || capped) ? (codec.sizeOf?.(msg) ?? codec.encode(msg).byteLength) : 0
    from.sent++
    from.stats.sent(type, size)
    if (this.options.lossRate > 0 && this.netRng.next() < this.options.lossRate) { from.stats.dropped('sim:loss'); return }
    if (!this.partitions.connected(from.id, to.id)) { from.stats.dropped('sim:partition'); return }
    let depart = this.clock
    if (up !== undefined && up > 0) {
      depart = Math.max(this.clock, from.upFreeAt) + (size * 1000) / up
      from.upFreeAt = depart
    }
    const latency = sampleLatency(this.options.latency, this.netRng, from.spawnOptions.coords, target?.spawnOptions.coords)
    let arrive = depart + latency
    if (this.options.fifoLinks) {
      const link = `${from.id}>${to.id}`
      arrive = Math.max(arrive, this.linkLast.get(link) ?? 0)
      this.linkLast.set(link, arrive)
    }
    this.push({ t: arrive, seq: 0, kind: Kind.Deliver, from, to: to.id, target, msg, size, downDone: false })
  }

  private cancelTimers (node: SimNode): void {
    if (node.timers === undefined) return
    for (const ev of node.timers.values()) ev.cancelled = true
    node.timers.clear()
  }

  private loggerFor (name: string): Logger {
    let l = this.loggers.get(name)
    if (l === undefined) {
      const real = logger(`overlaykit:sim:${name}`) as unknown as Logger
      l = real.enabled ? real : noopLogger
      this.loggers.set(name, l)
    }
    return l
  }

  private makeEnv<M> (node: SimNode<M, any>, spec: OverlaySpec<M, any, any>): Env<M> {
    const sim = this
    const rng = new Rng(this.options.seed).fork(`node/${node.id}`)
    return {
      self: node.ref,
      rng,
      signer: node.spawnOptions.signer,
      stats: node.stats,
      log: this.loggerFor(spec.name),
      now: () => sim.clock,
      send: (to, msg) => { sim.send(node, to, msg) },
      setTimer: (key, delayMs) => {
        if (!node.alive) return
        let timers = node.timers
        if (timers === undefined) { timers = new Map(); node.timers = timers }
        const old = timers.get(key)
        if (old !== undefined) old.cancelled = true
        const ev: TimerEvent = { t: sim.clock + Math.max(0, delayMs), seq: 0, kind: Kind.Timer, node, key, cancelled: false }
        timers.set(key, ev)
        sim.push(ev)
      },
      clearTimer: (key) => {
        const ev = node.timers?.get(key)
        if (ev !== undefined) { ev.cancelled = true; node.timers?.delete(key) }
      },
      emit: (event) => {
        for (const l of sim.listeners) l(node, event)
      },
      io: (req: IoRequest) => {
        if (!node.alive) return
        const result = sim.blobs.perform(node.id, req)
        sim.push({ t: sim.clock + sim.options.ioLatencyMs, seq: 0, kind: Kind.Io, node, token: req.token, result })
      }
    }
  }
}
