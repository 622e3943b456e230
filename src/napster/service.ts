/**
 * Live Napster: the index server `napsterServer()` and the client `napster({ server })`, as libp2p
 * services. The client implements the FileSearch capability (search through the server, download
 * peer to peer) and `browse(nick)`.
 */
import type { SharedFile } from '../overlay/capabilities.js'
import type { PeerRef } from '../overlay/types.js'
import { OverlayService, toPeerRef, type OverlayComponents, type ServiceInit } from '../runtime/libp2p/index.js'
import { SearchOverlayService } from '../search/live/service.js'
import type { NapsterClient, NapsterClientOptions } from './client.js'
import type { NapsterMsg } from './codec.js'
import type { NapsterServer, NapsterServerOptions } from './server.js'
import { napsterClientSpec, napsterServerSpec } from './spec.js'

export interface NapsterServerInit extends NapsterServerOptions, ServiceInit {}

export class NapsterServerService extends OverlayService<NapsterMsg, NapsterServerOptions, NapsterServer> {
  constructor (components: OverlayComponents, init: NapsterServerInit = {}) {
    super(components, napsterServerSpec, init, init)
  }

  get users (): number { return this.machine.users.size }
  get indexSize (): number { return this.machine.indexSize }
}

export function napsterServer (init: NapsterServerInit = {}): (components: OverlayComponents) => NapsterServerService {
  return (components) => new NapsterServerService(components, init)
}

export interface NapsterInit extends Omit<NapsterClientOptions, 'server'>, ServiceInit {
  /** The index server: a PeerRef, or a multiaddr string ending in /p2p/<id>. */
  server: PeerRef | string
}

export class NapsterService extends SearchOverlayService<NapsterMsg, NapsterClientOptions, NapsterClient> {
  constructor (components: OverlayComponents, init: NapsterInit) {
    super(components, napsterClientSpec, { ...init, server: toPeerRef(init.server) }, init)
  }

  /** Logged in to the server right now. */
  get online (): boolean { return this.machine.online }

  /** Resolves once logged in (or rejects after timeoutMs). */
  async waitOnline (options: { timeoutMs?: number, signal?: AbortSignal } = {}): Promise<void> {
    await this.waitUntil(() => this.machine.online, 'not logged in to the napster server in time', options)
  }

  /** A user's shared files, as the server lists them. */
  async browse (nick: string, options: { signal?: AbortSignal } = {}): Promise<SharedFile[]> {
    return await this.op<SharedFile[]>((m, done) => { m.browse(nick, done) }, options.signal)
  }
}

export function napster (init: NapsterInit): (components: OverlayComponents) => NapsterService {
  return (components) => new NapsterService(components, init)
}
