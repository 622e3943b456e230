/**
 * The live ping service: the reference protocol's machine run by the libp2p runtime, with a
 * promise API. `createLibp2p({ services: { ping: ping({ timeoutMs: 2000 }) } })`, then
 * `await node.services.ping.ping(peer)` → RTT in ms.
 */
import { OverlayService, toPeerRef, type OverlayComponents, type ServiceInit } from '../runtime/libp2p/index.js'
import { pingSpec } from './spec.js'
import type { PingMessage } from './codec.js'
import type { PingMachine, PingOptions } from './machine.js'
import type { PeerRef } from '../overlay/types.js'

export interface PingInit extends PingOptions, ServiceInit {}

export class PingService extends OverlayService<PingMessage, PingOptions, PingMachine> {
  constructor (components: OverlayComponents, init: PingInit = {}) {
    super(components, pingSpec, init, init)
  }

  /**
   * Round-trip time to `peer` in ms (a PeerRef, a peer id string, a PeerId or a multiaddr string
   * with /p2p/<id>). Rejects with TimeoutError after `timeoutMs`, AbortError when `signal` aborts.
   */
  ping (peer: PeerRef | string | { toString (): string }, options: { signal?: AbortSignal, payload?: Uint8Array } = {}): Promise<number> {
    let ref: PeerRef
    try { ref = toPeerRef(peer) } catch (err) { return Promise.reject(err) }
    return this.op<number>((machine, done) => machine.ping(ref, done, options.payload), options.signal)
  }
}

export function ping (init: PingInit = {}): (components: OverlayComponents) => PingService {
  return (components) => new PingService(components, init)
}
