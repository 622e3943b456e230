/**
 * Live Napster: the index server `napsterServer()` and the client `napster({ server })`, as libp2p
 * services. The client implements the FileSearch capability (search through the server, download
 * peer to peer) and `browse(nick)`.
 */
import type { ContentRouting, FetchOptions, FileSearch, SearchHit, SharedFile } from '../overlay/capabilities.js'
import type { PeerRef } from '../overlay/types.js'
import { OverlayService, toPeerRef, type OverlayComponents, type ServiceInit } from '../runtime/libp2p/index.js'
import { FileSearchApi, type ShareableFile } from '../search/api.js'
import { describeStored, storeBytes } from '../search/stored.js'
import { SearchContentRouting } from '../search/content-routing.js'
import type { DownloadResult } from '../search/transfer.js'
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

export class NapsterService extends OverlayService<NapsterMsg, NapsterClientOptions, NapsterClient> implements FileSearch, ContentRouting {
  private readonly files: FileSearchApi
  private readonly routing: SearchContentRouting

  constructor (components: OverlayComponents, init: NapsterInit) {
    super(components, napsterClientSpec, { ...init, server: toPeerRef(init.server) }, init, ['@overlaykit/file-search', '@overlaykit/content-routing'])
    this.files = new FileSearchApi(() => this.isStarted() ? this.machine : undefined)
    this.routing = new SearchContentRouting(this.files)
  }

  /** ContentRouting: announce `key` (a virtual file found by `findProviders`). */
  async provide (key: Uint8Array): Promise<void> { await this.routing.provide(key) }

  /** ContentRouting: peers that announced `key`, as the search finds them. */
  findProviders (key: Uint8Array, options?: { signal?: AbortSignal, limit?: number }): AsyncIterable<PeerRef> {
    return this.routing.findProviders(key, options)
  }

  /** Logged in to the server right now. */
  get online (): boolean { return this.machine.online }

  /** Resolves once logged in (or rejects after timeoutMs). */
  async waitOnline (options: { timeoutMs?: number, signal?: AbortSignal } = {}): Promise<void> {
    if (this.machine.online) return
    await this.op<void>((_m, done) => {
      const timer = setTimeout(() => { off(); done(new Error('not logged in to the napster server in time')) }, options.timeoutMs ?? 10_000)
      const off = this.onEvent(e => { if (e.type === 'napster:online') { clearTimeout(timer); off(); done(null) } })
      return () => { clearTimeout(timer); off() }
    }, options.signal)
  }

  share (file: ShareableFile): void { this.files.share(file) }
  unshare (hash: string): void { this.files.unshare(hash) }

  async shareStored (store: string, name?: string): Promise<ShareableFile> {
    const f = await describeStored(this.driver.io, store, name)
    this.files.share(f)
    return f
  }

  /** Store `bytes` in this node's storage and share them under `name`. */
  async shareBytes (name: string, bytes: Uint8Array): Promise<ShareableFile> {
    const f = await storeBytes(this.driver.io, name, bytes)
    this.files.share(f)
    return f
  }

  search (query: string, options?: { signal?: AbortSignal, limit?: number, timeoutMs?: number }): AsyncIterable<SearchHit> {
    return this.files.search(query, options)
  }

  async fetch (hit: SearchHit, options?: FetchOptions & { store?: string }): Promise<Uint8Array> {
    return await this.files.fetch(hit, options)
  }

  async fetchFile (hit: SearchHit, options?: FetchOptions & { store?: string, collect?: boolean }): Promise<DownloadResult> {
    return await this.files.fetchFile(hit, options)
  }

  /** A user's shared files, as the server lists them. */
  async browse (nick: string, options: { signal?: AbortSignal } = {}): Promise<SharedFile[]> {
    return await this.op<SharedFile[]>((m, done) => { m.browse(nick, done) }, options.signal)
  }
}

export function napster (init: NapsterInit): (components: OverlayComponents) => NapsterService {
  return (components) => new NapsterService(components, init)
}
