/**
 * A node's virtual-time Env, behind the narrow part of the Simulator it needs (no import of the
 * Simulator itself, so the two files do not form a circle).
 */
import { Rng } from '../overlay/rng.js'
import type { Stats } from '../overlay/stats.js'
import type { Env, IoRequest, Logger, OverlayEvent, PeerRef } from '../overlay/types.js'
import type { Signer } from '../overlay/identity.js'
import type { SimNode } from './types.js'

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
 * A node's virtual-time Env: one object per node with its methods on the prototype (no closures per
 * node), which matters at 10^6 hosts.
 */
export class SimEnv<M> implements Env<M> {
  readonly self: PeerRef
  readonly signer: Signer | undefined
  private ownRng: Rng | undefined

  constructor (private readonly sim: SimEnvHost, private readonly node: SimNode, readonly log: Logger) {
    this.self = node.ref
    this.signer = node.spawnOptions.signer
  }

  /** Made on first use (a stream depends only on the seed and the node id, not on when it is made). */
  get rng (): Rng { return (this.ownRng ??= new Rng(this.sim.options.seed).fork(`node/${this.node.id}`)) }

  get stats (): Stats { return this.node.stats }
  now (): number { return this.sim.clock }
  send (to: PeerRef, msg: M): void { this.sim.send(this.node, to, msg) }
  setTimer (key: string, delayMs: number): void { this.sim.setTimer(this.node, key, delayMs) }
  clearTimer (key: string): void { this.sim.clearTimer(this.node, key) }
  emit (event: OverlayEvent): void { this.sim.emit(this.node, event) }
  io (req: IoRequest): void { this.sim.io(this.node, req) }
}
