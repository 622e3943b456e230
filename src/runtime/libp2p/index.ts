/**
 * overlaykit/runtime — run any overlay Machine as a libp2p service.
 *
 * ## Making an overlay's service factory (the recipe every overlay follows)
 *
 * The machine, codec and spec stay free of libp2p (`src/<overlay>/machine.ts`, `codec.ts`,
 * `spec.ts`). The live service lives in `src/<overlay>/service.ts` and is a few lines:
 *
 * ```ts
 * import { OverlayService, toPeerRef, type OverlayComponents, type ServiceInit } from '../runtime/libp2p/index.js'
 * import { chordSpec, type ChordOptions, type ChordMachine, type ChordMessage } from './spec.js'
 *
 * export interface ChordInit extends ChordOptions, ServiceInit {}
 *
 * export class ChordService extends OverlayService<ChordMessage, ChordOptions, ChordMachine> {
 *   constructor (components: OverlayComponents, init: ChordInit = {}) {
 *     super(components, chordSpec, init, init, ['@overlaykit/content-routing'])
 *   }
 *
 *   // the async API: a promise around the machine's callback-style operation, with AbortSignal
 *   async lookup (key: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<LookupResult> {
 *     return await this.op((machine, done) => machine.lookup(key, done), options.signal)
 *   }
 * }
 *
 * export function chord (init: ChordInit = {}): (components: OverlayComponents) => ChordService {
 *   return (components) => new ChordService(components, init)
 * }
 * ```
 *
 * and then `createLibp2p({ ..., services: { chord: chord({ ... }) } })`: libp2p injects its components
 * (peerId, registrar, connectionManager, peerStore, logger, events, addressManager), calls `start()` /
 * `stop()` (the class is a libp2p `Startable`) and finds it by `[serviceCapabilities]`
 * (`'@overlaykit/<name>'` plus any listed). `service.machine`, `service.stats`, `service.self`,
 * `service.onEvent(fn)` and `service.connect(peer)` come with the base class. Streams of results
 * (search hits, broadcasts) use `PushQueue` from src/overlay/ops.ts fed from `onEvent` or from a
 * machine callback.
 *
 * Options: an overlay's init can carry `driver: DriverOptions` (queue bound, rng seed, storage for
 * `env.io`, stream limits); `OverlayDriver` can also be used directly without the base class.
 *
 * Swarms for tests, demos and benchmarks: `createSwarm` / `createNode` in `./swarm.js` (Node only,
 * not re-exported here so this module stays browser-bundlable).
 */
export { OverlayDriver, type DriverOptions } from './driver.js'
export { OverlayService, toPeerRef, type ServiceInit } from './service.js'
export type { OverlayComponents } from './components.js'
export { MemoryBlobStorage, FsBlobStorage, performIo, type BlobStorage } from './storage.js'
export { encodeFrame, readFrames, type ReadEnd } from './frames.js'
export { connectionLimits, CONNECTION_PROFILES, type ConnectionLimits, type ConnectionProfile } from './limits.js'
export { nodeLimitsStatus, type DriverLimitsStatus } from './status.js'
