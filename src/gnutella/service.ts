/**
 * The live Gnutella servent: `createLibp2p({ services: { gnutella: gnutella({ bootstrap, driver: { storage } }) } })`.
 * It implements the FileSearch capability: `share`, `shareStored(store)`, `search(text)` (async
 * iterable of hits as QueryHits arrive), `fetch(hit, { offset })` (direct or by push).
 */
import { OverlayError, TimeoutError, UnreachableError } from '../overlay/errors.js'
import type { PeerRef } from '../overlay/types.js'
import { toPeerRef, type OverlayComponents, type ServiceInit } from '../runtime/libp2p/index.js'
import { SearchOverlayService } from '../search/live/service.js'
import type { GnutellaMsg } from './codec.js'
import type { GnutellaOptions } from './options.js'
import type { ConnectFailure, GnutellaEvent, GnutellaHit, GnutellaServent } from './servent.js'
import { gnutellaSpec } from './spec.js'

export interface GnutellaInit extends GnutellaOptions, ServiceInit {}

/**
 * A CONNECT refused (code ERR_CONNECT_REFUSED): `reason` 'busy' when the servent is at its neighbour
 * limit (it answered GNUTELLA 503), 'local-limit' when it accepted but we had filled up meanwhile.
 */
export class ConnectRefusedError extends OverlayError {
  readonly peer: string
  readonly reason: 'busy' | 'local-limit'
  constructor (peer: string, reason: 'busy' | 'local-limit') {
    super('ERR_CONNECT_REFUSED', reason === 'busy'
      ? `${peer} refused the connection (busy: at its neighbour limit)`
      : `${peer} accepted the connection but we reached our own neighbour limit meanwhile`)
    this.name = 'ConnectRefusedError'
    this.peer = peer
    this.reason = reason
  }
}

function connectError (peer: string, reason: ConnectFailure): Error {
  if (reason === 'timeout') return new TimeoutError(`${peer} did not answer the connection within connectTimeoutMs`)
  if (reason === 'unreachable') return new UnreachableError(`${peer} is unreachable`)
  return new ConnectRefusedError(peer, reason)
}

export class GnutellaService extends SearchOverlayService<GnutellaMsg, GnutellaOptions, GnutellaServent, GnutellaHit> {
  constructor (components: OverlayComponents, init: GnutellaInit = {}) {
    super(components, gnutellaSpec, init, init)
  }

  /** Peer ids of the current neighbours. */
  neighbours (): string[] { return [...this.machine.neighbours.keys()] }

  /**
   * Connect to a servent (GNUTELLA CONNECT); resolves when it accepted us as a neighbour. Rejects as
   * soon as the CONNECT fails: ConnectRefusedError when it refuses (busy: at its neighbour limit;
   * counted as gnutella:connect-refused), UnreachableError, TimeoutError when it does not answer within
   * the servent's `connectTimeoutMs` or `timeoutMs` (@default 10 000), AbortError on `signal`.
   */
  async connectServent (peer: PeerRef | string, options: { signal?: AbortSignal, timeoutMs?: number } = {}): Promise<void> {
    const ref = typeof peer === 'string' && peer.startsWith('/') ? await this.connect(peer, options) : toPeerRef(peer)
    if (this.machine.neighbours.has(ref.id)) return
    await this.waitForEvent(e => {
      const ev = e as GnutellaEvent
      if (ev.type === 'gnutella:neighbour-up' && ev.peer === ref.id) return null
      if (ev.type === 'gnutella:connect-failed' && ev.peer === ref.id) return connectError(ref.id, ev.reason)
      return undefined
    }, `${ref.id} did not accept the connection`, options, machine => {
      // the reply arrives from the network, never synchronously, so listening before connect() misses nothing
      // (a no-op while an earlier CONNECT to it is in flight: that one's outcome is ours too)
      machine.connect(ref)
    })
  }
}

export function gnutella (init: GnutellaInit = {}): (components: OverlayComponents) => GnutellaService {
  return (components) => new GnutellaService(components, init)
}
