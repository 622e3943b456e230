/**
 * The live Gnutella servent: `createLibp2p({ services: { gnutella: gnutella({ bootstrap, driver: { storage } }) } })`.
 * It implements the FileSearch capability: `share`, `shareStored(store)`, `search(text)` (async
 * iterable of hits as QueryHits arrive), `fetch(hit, { offset })` (direct or by push).
 */
import type { PeerRef } from '../overlay/types.js'
import { toPeerRef, type OverlayComponents, type ServiceInit } from '../runtime/libp2p/index.js'
import { SearchOverlayService } from '../search/service.js'
import type { GnutellaMsg } from './codec.js'
import type { GnutellaOptions } from './options.js'
import type { GnutellaHit, GnutellaServent } from './servent.js'
import { gnutellaSpec } from './spec.js'

export interface GnutellaInit extends GnutellaOptions, ServiceInit {}

export class GnutellaService extends SearchOverlayService<GnutellaMsg, GnutellaOptions, GnutellaServent, GnutellaHit> {
  constructor (components: OverlayComponents, init: GnutellaInit = {}) {
    super(components, gnutellaSpec, init, init)
  }

  /** Peer ids of the current neighbours. */
  neighbours (): string[] { return [...this.machine.neighbours.keys()] }

  /** Connect to a servent (GNUTELLA CONNECT); resolves when it accepted us as a neighbour. */
  async connectServent (peer: PeerRef | string, options: { signal?: AbortSignal, timeoutMs?: number } = {}): Promise<void> {
    const ref = typeof peer === 'string' && peer.startsWith('/') ? await this.connect(peer, options) : toPeerRef(peer)
    if (this.machine.neighbours.has(ref.id)) return
    // the reply arrives from the network, never synchronously, so waiting after connect() misses nothing
    this.machine.connect(ref)
    await this.waitUntil(() => this.machine.neighbours.has(ref.id), `${ref.id} did not accept the connection`, options)
  }
}

export function gnutella (init: GnutellaInit = {}): (components: OverlayComponents) => GnutellaService {
  return (components) => new GnutellaService(components, init)
}
