/** A hand-driven Env for unit tests of machines: records sends, timers and events. */
import { Rng } from '../../src/overlay/rng.js'
import { Stats } from '../../src/overlay/stats.js'
import type { Env, IoRequest, Logger, OverlayEvent, PeerRef } from '../../src/overlay/types.js'

const log: Logger = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false })

export class FakeEnv<M> implements Env<M, any> {
  readonly rng = new Rng('fake-env')
  readonly stats = new Stats()
  readonly log = log
  readonly sent: Array<{ to: string, msg: M }> = []
  readonly timers = new Map<string, number>()
  readonly events: OverlayEvent[] = []
  readonly ios: IoRequest[] = []
  clock = 0
  constructor (readonly self: PeerRef) {}
  now (): number { return this.clock }
  send (to: PeerRef, msg: M): void { this.sent.push({ to: to.id, msg }) }
  setTimer (key: string, delayMs: number): void { this.timers.set(key, this.clock + delayMs) }
  clearTimer (key: string): void { this.timers.delete(key) }
  emit (event: OverlayEvent): void { this.events.push(event) }
  io (req: IoRequest): void { this.ios.push(req) }
  /** Sends since the last call. */
  take (): Array<{ to: string, msg: M }> { return this.sent.splice(0) }
}
