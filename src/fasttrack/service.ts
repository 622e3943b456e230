/**
 * The live FastTrack node: `createLibp2p({ services: { fasttrack: fasttrack({ bootstrap, capacity, driver: { storage } }) } })`.
 * It elects itself supernode when its capacity and its region call for it, otherwise attaches to a
 * supernode as a leaf. It implements the FileSearch capability: `share`, `shareStored(store)`,
 * `search(text)` (async iterable of hits), `fetch(hit, { offset })` (direct, or by push through the
 * holder's supernode when the holder is firewalled); and ContentRouting (`provide`, `findProviders`)
 * through the same index, so BitTorrent can find peers through the supernodes.
 */
import type { PeerRef } from '../overlay/types.js'
import { toPeerRef, type OverlayComponents, type ServiceInit } from '../runtime/libp2p/index.js'
import { SearchOverlayService } from '../search/live/service.js'
import type { FastTrackMachine } from './machine.js'
import type { FastTrackHit, FastTrackMsg } from './messages.js'
import type { FastTrackOptions } from './options.js'
import { fasttrackSpec } from './spec.js'

export interface FastTrackInit extends FastTrackOptions, ServiceInit {}

export class FastTrackService extends SearchOverlayService<FastTrackMsg, FastTrackOptions, FastTrackMachine, FastTrackHit> {
  constructor (components: OverlayComponents, init: FastTrackInit = {}) {
    super(components, fasttrackSpec, init, init)
  }

  /** 'supernode' or 'leaf'. */
  get role (): 'supernode' | 'leaf' { return this.machine.isSupernode ? 'supernode' : 'leaf' }
  /** Peer id of the supernode this leaf is attached to (undefined for a supernode or an orphan). */
  get supernode (): string | undefined { return this.machine.supernode?.id }
  /** A supernode's leaves (peer ids); empty for a leaf. */
  leaves (): string[] { return [...(this.machine.supernodeRole?.leaves.keys() ?? [])] }
  /** A supernode's links to other supernodes (peer ids). */
  links (): string[] { return [...(this.machine.supernodeRole?.links.keys() ?? [])] }
  /** Supernodes in the refresh list. */
  refreshList (): string[] { return this.machine.refresh.ids() }

  /** Dial a peer (multiaddr with /p2p/<id>, or PeerRef) and ask it for supernodes and candidates. */
  async introduce (peer: PeerRef | string, options: { signal?: AbortSignal } = {}): Promise<PeerRef> {
    const ref = typeof peer === 'string' && peer.startsWith('/') ? await this.connect(peer, options) : toPeerRef(peer)
    this.machine.introduce(ref)
    return ref
  }

  /** Resolves once this node is a supernode or attached to one. */
  async waitAttached (options: { signal?: AbortSignal, timeoutMs?: number } = {}): Promise<void> {
    await this.waitUntil(() => this.machine.attached, 'not attached to a supernode in time', { signal: options.signal, timeoutMs: options.timeoutMs ?? 30_000 })
  }
}

export function fasttrack (init: FastTrackInit = {}): (components: OverlayComponents) => FastTrackService {
  return (components) => new FastTrackService(components, init)
}
