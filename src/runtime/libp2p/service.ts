/**
 * The base every overlay's live service extends: a libp2p `Startable` that owns one OverlayDriver,
 * declares `[serviceCapabilities]`, and offers `op()` to turn a machine operation with a `done`
 * callback into a promise with AbortSignal support. See the recipe at the top of index.ts.
 */
import { serviceCapabilities, type Startable } from '@libp2p/interface'
import { NotStartedError } from '../../overlay/errors.js'
import { operation } from '../../overlay/ops.js'
import { OverlayDriver, type DriverOptions } from './driver.js'
import type { OverlayComponents } from './components.js'
import { RUNS_ON_LIMITED_CONNECTION } from './limited.js'
import type { Machine, OverlayEvent, OverlaySpec, PeerRef } from '../../overlay/types.js'
import type { Stats } from '../../overlay/stats.js'

/** Options every overlay service accepts next to its own. */
export interface ServiceInit {
  /** Driver tuning (queue bound, seed, storage, stream limits). @default {} */
  driver?: DriverOptions
}

export class OverlayService<M, O, Mach extends Machine<M>> implements Startable {
  readonly driver: OverlayDriver<M, O, Mach>
  readonly [serviceCapabilities]: string[]

  /**
   * @param capabilities extra capability names (e.g. '@overlaykit/content-routing'); the overlay's own
   * '@overlaykit/<name>' is always declared.
   */
  constructor (components: OverlayComponents, spec: OverlaySpec<M, O, Mach>, options: O, init: ServiceInit = {}, capabilities: string[] = []) {
    this.driver = new OverlayDriver(components, spec, options, { runOnLimitedConnection: RUNS_ON_LIMITED_CONNECTION[spec.name] ?? false, ...init.driver })
    this[serviceCapabilities] = [`@overlaykit/${spec.name}`, ...capabilities]
  }

  get [Symbol.toStringTag] (): string { return `@overlaykit/${this.driver.spec.name}` }

  async start (): Promise<void> { await this.driver.start() }
  async stop (): Promise<void> { await this.driver.stop() }
  isStarted (): boolean { return this.driver.isStarted() }

  /** The running machine (throws NotStartedError before start). */
  get machine (): Mach { return this.driver.machine }
  get stats (): Stats { return this.driver.stats }
  get self (): PeerRef { return this.driver.self }

  onEvent (listener: (e: OverlayEvent) => void): () => void { return this.driver.onEvent(listener) }

  /** Dial a peer by PeerRef or multiaddr string; resolves with its PeerRef. */
  async connect (target: PeerRef | string, options?: { signal?: AbortSignal }): Promise<PeerRef> {
    return await this.driver.connect(target, options)
  }

  /**
   * Run a machine operation as a promise. `start` receives the machine and a `done` callback and may
   * return a cancel function (called when `signal` aborts; the promise then rejects with AbortError).
   */
  protected op<T> (start: (machine: Mach, done: (err: Error | null, value?: T) => void) => (() => void) | void, signal?: AbortSignal): Promise<T> {
    // deliberately not async: every await layer costs microtask turns on a sub-0.1 ms round trip
    if (!this.driver.isStarted()) return Promise.reject(new NotStartedError())
    const machine = this.driver.machine
    return operation<T>(done => start(machine, done), signal)
  }
}

/** Accepts a PeerRef, a peer id string or a multiaddr string ending in /p2p/<id>. */
export function toPeerRef (peer: PeerRef | string | { toString (): string }): PeerRef {
  if (typeof peer === 'object' && 'id' in peer && typeof (peer as PeerRef).id === 'string') return peer as PeerRef
  const s = peer.toString()
  if (s.startsWith('/')) {
    const m = /\/p2p\/([^/]+)$/.exec(s)
    if (m === null) throw new TypeError(`multiaddr ${s} has no /p2p/<peer id>`)
    return { id: m[1], addrs: [s.slice(0, m.index)] }
  }
  return { id: s }
}
