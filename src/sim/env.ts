/**
 * A node and its virtual-time Env, behind the narrow part of the Simulator it needs (no import of the
 * Simulator itself, so the two files do not form a circle).
 */
import { Rng } from '../overlay/rng.js'
import type { Stats } from '../overlay/stats.js'
import type { Env, IoRequest, Logger, Machine, OverlayEvent, OverlaySpec, PeerRef } from '../overlay/types.js'
import type { Signer } from '../overlay/identity.js'
import type { SimNode, SpawnOptions, TimerEvent } from './types.js'
import { timerCount, type TimerSlots } from './timers.js'

/**
 * The node a ref made by spawn belongs to, so a send to it skips the id lookup (refs made elsewhere
 * fall back to it). Non-enumerable, so deep equality, spread and JSON see only `id`; written in the
 * ref's literal and then made non-enumerable it stays in the object (defined afterwards it took a
 * separate property array: ~30 bytes more per host and a cache miss more per send).
 */
export const HOST = Symbol('overlaykit.sim.host')

/** What a node's Env asks of its simulator. */
export interface SimEnvHost {
  readonly clock: number
  readonly options: { readonly seed: number | string }
  send (from: SimNode, to: PeerRef, msg: unknown): void
  setTimer (node: SimNode, key: string, delayMs: number): void
  clearTimer (node: SimNode, key: string): void
  emit (node: SimNode, event: OverlayEvent): void
  io (node: SimNode, req: IoRequest): void
}

/**
 * A spawned node and its virtual-time Env in one object (`host.env === host`): the run loop touches
 * one object per node instead of two, and 10^6 hosts hold one fewer object each. Methods live on the
 * prototype (no closures per node).
 */
export class SimHost<M = any, Mach = Machine<M>> implements SimNode<M, Mach>, Env<M>, TimerSlots<TimerEvent> {
  alive = true
  received = 0
  sent = 0
  /** @internal */ upFreeAt = 0
  /** @internal */ downFreeAt = 0
  /** @internal armed timers (see timers.ts) */ tk0: string | undefined = undefined
  /** @internal */ tv0: TimerEvent | undefined = undefined
  /** @internal */ tk1: string | undefined = undefined
  /** @internal */ tv1: TimerEvent | undefined = undefined
  /** @internal */ tmore: Map<string, TimerEvent> | undefined = undefined
  machine: Mach = undefined as unknown as Mach
  private ownRng: Rng | undefined = undefined
  readonly ref: PeerRef

  constructor (
    private readonly sim: SimEnvHost,
    readonly id: string,
    readonly index: number,
    public stats: Stats,
    readonly spec: OverlaySpec<M, any, any>,
    readonly options: unknown,
    readonly spawnOptions: SpawnOptions,
    readonly log: Logger
  ) {
    const ref = { id, [HOST]: this }
    Object.defineProperty(ref, HOST, { enumerable: false })
    this.ref = ref
  }

  get self (): PeerRef { return this.ref }
  /** @internal How many timers are armed; undefined when none. */
  get timers (): { readonly size: number } | undefined {
    const size = timerCount(this)
    return size === 0 ? undefined : { size }
  }
  get signer (): Signer | undefined { return this.spawnOptions.signer }

  get env (): Env<M> { return this }

  /** Made on first use (a stream depends only on the seed and the node id, not on when it is made). */
  get rng (): Rng { return (this.ownRng ??= new Rng(this.sim.options.seed).fork(`node/${this.id}`)) }

  now (): number { return this.sim.clock }
  send (to: PeerRef, msg: M): void { this.sim.send(this as SimNode, to, msg) }
  setTimer (key: string, delayMs: number): void { this.sim.setTimer(this as SimNode, key, delayMs) }
  clearTimer (key: string): void { this.sim.clearTimer(this as SimNode, key) }
  emit (event: OverlayEvent): void { this.sim.emit(this as SimNode, event) }
  io (req: IoRequest): void { this.sim.io(this as SimNode, req) }
}
