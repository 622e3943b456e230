/**
 * The deterministic discrete-event simulator. It runs any Machine through a virtual-time Env:
 * messages go through the network model (latency, loss, partitions, bandwidth queues), timers are
 * events, io completes from memory. One seed ⇒ one run, proven by traceHash().
 */
import { logger } from '@libp2p/logger'
import { Rng } from '../overlay/rng.js'
import { Stats } from '../overlay/stats.js'
import type { Env, IoRequest, IoResult, Logger, Machine, OverlayEvent, OverlaySpec, PeerRef } from '../overlay/types.js'
import { BlobStore } from './blobs.js'
import { HOST, SimHost } from './env.js'
import { EventHeap } from './heap.js'
import { timerClear, timerDelete, timerGet, timerSet, timerValues } from './timers.js'
import { type LatencyModel, Partitions, sampleLatency } from './network.js'
import { Kind, SimEvent, type SimNode, type SimOptions, type SpawnOptions } from './types.js'

export type { SimNode, SimOptions, SpawnOptions } from './types.js'


/** Shared by every node spawned without options (one object per node adds up at 10^6 hosts). */
const NO_SPAWN_OPTIONS: SpawnOptions = Object.freeze({})

/** The node of a ref made by spawn (every sender's ref is). */
function hostOf (ref: PeerRef): SimNode { return (ref as unknown as { [HOST]: SimNode })[HOST] }

const noopLogger: Logger = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false })

export class Simulator {
  readonly rng: Rng
  readonly stats = new Stats()
  readonly blobs = new BlobStore()
  readonly options: Required<Omit<SimOptions, 'seed'>> & { seed: number | string }
  private readonly netRng: Rng
  private readonly queue = new EventHeap<SimEvent>()
  private readonly free: SimEvent[] = []
  private readonly byId = new Map<string, SimNode>()
  private readonly order: SimNode[] = []
  private readonly partitions = new Partitions()
  private readonly listeners: Array<(node: SimNode, event: OverlayEvent) => void> = []
  private readonly loggers = new Map<string, Logger>()
  private readonly linkLast = new Map<string, number>()
  /** Some node was spawned with a download cap (then every send looks at its receiver's). */
  private downCapped = false
  /** @internal */ clock = 0
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
  /** Queued events; cancelled timers are not among them (they leave the queue when cancelled). */
  get pending (): number { return this.queue.size }

  spawn<M, O, Mach extends Machine<M>> (spec: OverlaySpec<M, O, Mach>, options: O, spawn: SpawnOptions = NO_SPAWN_OPTIONS): SimNode<M, Mach> {
    const index = this.spawned++
    const id = spawn.id ?? spawn.signer?.id ?? Simulator.nodeId(index)
    const existing = this.byId.get(id)
    if (existing?.alive === true) throw new Error(`a live node with id ${id} already exists`)
    const stats = this.options.perNodeStats ? new Stats() : this.stats
    if (spawn.downBps !== undefined) this.downCapped = true
    const node = new SimHost<M, Mach>(this, id, index, stats, spec, options, spawn, this.loggerFor(spec.name))
    node.machine = spec.create(node, options)
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
    const ev = this.alloc(Kind.Call)
    ev.msg = fn
    this.push(ev, this.clock + Math.max(0, delayMs))
  }

  at (timeMs: number, fn: () => void): void {
    const ev = this.alloc(Kind.Call)
    ev.msg = fn
    this.push(ev, Math.max(this.clock, timeMs))
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
      // the time comes from the heap's keys: an event's own `t` is a boxed double (a number field
      // that is not a small integer lives in an object of its own), one cache miss more per event
      const t = queue.peekTime()
      if (queue.size === 0 || t > until) break
      const ev = queue.pop() as SimEvent
      this.clock = t
      if (this.execute(ev)) n++
      // a delivery re-queued behind the receiver's downlink, or a timer re-armed while it fired, is
      // queued again (not recycled yet); a timer cleared while it fired was recycled by clearTimer
      if (ev.hid < 0 && !ev.free) this.release(ev)
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

  private alloc (kind: Kind): SimEvent {
    const ev = this.free.pop() ?? new SimEvent()
    ev.free = false
    ev.kind = kind
    return ev
  }

  /** Back to the free list, dropping references so recycled events keep nothing alive. */
  private release (ev: SimEvent): void {
    ev.node = undefined; ev.from = undefined; ev.msg = undefined
    ev.free = true
    this.free.push(ev)
  }

  /** Queue `ev` at time `t`: its (t, seq) key lives in the heap only, not in the event. */
  private push (ev: SimEvent, t: number): void {
    this.queue.pushAt(ev, t, this.seq++)
  }

  /** Returns true when the event did something (dead targets do not count). */
  private execute (ev: SimEvent): boolean {
    switch (ev.kind) {
      case Kind.Deliver: case Kind.DeliverDown: return this.deliver(ev)
      case Kind.Timer: {
        const node = ev.node as SimNode
        if (!node.alive) { timerDelete(node, ev.key); return false }
        this.executed++
        this.mix(node.index, Math.floor(this.clock * 1000) ^ 0x7f)
        // the event stays in the node's table while onTimer runs, so a periodic timer re-armed there
        // is pushed again as it is (no table delete, lookup miss, insert and new event per period)
        ;(node.machine as Machine<unknown>).onTimer(ev.key)
        if (ev.hid < 0 && timerGet(node, ev.key) === ev) timerDelete(node, ev.key)
        return true
      }
      case Kind.Call:
        this.executed++
        this.mix(0x51, Math.floor(this.clock * 1000))
        ;(ev.msg as () => void)()
        return true
      case Kind.Io: {
        const node = ev.node as SimNode
        if (!node.alive) return false
        this.executed++
        this.mix(node.index, 0x10)
        ;(node.machine as Machine<unknown>).onIo?.(ev.key, ev.msg as IoResult)
        return true
      }
      case Kind.Unreachable: {
        const node = ev.node as SimNode
        if (!node.alive) return false
        this.executed++
        ;(node.machine as Machine<unknown>).onPeerUnreachable?.(ev.msg as PeerRef)
        return true
      }
    }
  }

  private deliver (ev: SimEvent): boolean {
    // resolved at send time; look again only if that node died (it may have rejoined under its id)
    let to = ev.node
    if (to === undefined || !to.alive) to = this.byId.get(ev.key)
    const fromRef = ev.from as PeerRef
    if (to === undefined || !to.alive) {
      const from = hostOf(fromRef)
      from.stats.dropped('sim:dead-peer')
      if (this.options.notifyUnreachable && from.alive) {
        const u = this.alloc(Kind.Unreachable)
        u.node = from
        u.msg = { id: ev.key }
        this.push(u, this.clock + sampleLatency(this.options.latency, this.netRng))
      }
      return false
    }
    if (this.partitions.active && !this.partitions.connected(fromRef.id, to.id)) { hostOf(fromRef).stats.dropped('sim:partition'); return false }
    // download serialization: the message occupies the receiver's downlink after it arrives
    const down = to.spawnOptions.downBps
    if (ev.kind === Kind.Deliver && down !== undefined && down > 0) {
      const done = Math.max(this.clock, to.downFreeAt) + (ev.size * 1000) / down
      to.downFreeAt = done
      ev.kind = Kind.DeliverDown
      if (done > this.clock) { this.push(ev, done); return false }
    }
    this.executed++
    this.mix(ev.fromIndex, to.index ^ Math.floor(this.clock * 1000))
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
    ;(to.machine as Machine<unknown>).onMessage(fromRef, msg)
    return true
  }

  /** @internal */
  send (from: SimNode, to: PeerRef, msg: unknown): void {
    if (!from.alive) return
    const codec = from.spec.codec
    const type = codec.typeOf(msg)
    const up = from.spawnOptions.upBps
    // the receiver is resolved (and its node object read) here only when a downlink cap or coordinates
    // need it; otherwise the delivery resolves it (a ref made by spawn carries its node)
    let target = (to as { [HOST]?: SimNode })[HOST]
    const coords = this.options.latency.kind === 'coordinates'
    let capped = up !== undefined && up > 0
    if (this.downCapped || coords) {
      if (target === undefined || !target.alive) target = this.byId.get(to.id)
      capped ||= target?.spawnOptions.downBps !== undefined
    }
    const size = (this.options.measureBytes || capped) ? (codec.sizeOf?.(msg) ?? codec.encode(msg).byteLength) : 0
    from.sent++
    from.stats.sent(type, size)
    if (this.options.lossRate > 0 && this.netRng.next() < this.options.lossRate) { from.stats.dropped('sim:loss'); return }
    if (this.partitions.active && !this.partitions.connected(from.id, to.id)) { from.stats.dropped('sim:partition'); return }
    let depart = this.clock
    if (up !== undefined && up > 0) {
      depart = Math.max(this.clock, from.upFreeAt) + (size * 1000) / up
      from.upFreeAt = depart
    }
    const latency = coords
      ? sampleLatency(this.options.latency, this.netRng, from.spawnOptions.coords, target?.spawnOptions.coords)
      : sampleLatency(this.options.latency, this.netRng)
    let arrive = depart + latency
    if (this.options.fifoLinks) {
      const link = `${from.id}>${to.id}`
      arrive = Math.max(arrive, this.linkLast.get(link) ?? 0)
      this.linkLast.set(link, arrive)
    }
    const ev = this.alloc(Kind.Deliver)
    ev.from = from.ref; ev.fromIndex = from.index; ev.key = to.id; ev.node = target; ev.msg = msg; ev.size = size
    this.push(ev, arrive)
  }

  /** @internal Arm (or re-arm) a timer: a re-armed timer moves in the queue, as a new event would. */
  setTimer (node: SimNode, key: string, delayMs: number): void {
    if (!node.alive) return
    const t = this.clock + Math.max(0, delayMs)
    let ev = timerGet(node, key)
    if (ev !== undefined) this.queue.remove(ev)
    else {
      ev = this.alloc(Kind.Timer)
      ev.node = node; ev.key = key
      timerSet(node, key, ev)
    }
    this.push(ev, t)
  }

  /** @internal A cleared timer leaves the queue at once. */
  clearTimer (node: SimNode, key: string): void {
    const ev = timerGet(node, key)
    if (ev === undefined) return
    timerDelete(node, key)
    if (this.queue.remove(ev)) this.release(ev)
  }

  /** @internal */
  emit (node: SimNode, event: OverlayEvent): void {
    for (const l of this.listeners) l(node, event)
  }

  /** @internal */
  io (node: SimNode, req: IoRequest): void {
    if (!node.alive) return
    const ev = this.alloc(Kind.Io)
    ev.node = node; ev.key = req.token; ev.msg = this.blobs.perform(node.id, req)
    this.push(ev, this.clock + this.options.ioLatencyMs)
  }

  private cancelTimers (node: SimNode): void {
    for (const ev of timerValues(node)) if (this.queue.remove(ev)) this.release(ev)
    timerClear(node)
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
}
