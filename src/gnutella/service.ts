/**
 * The live Gnutella servent: `createLibp2p({ services: { gnutella: gnutella({ bootstrap, driver: { storage } }) } })`.
 * It implements the FileSearch capability: `share`, `shareStored(store)`, `search(text)` (async
 * iterable of hits as QueryHits arrive), `fetch(hit, { offset })` (direct or by push).
 */
import type { ContentRouting, FetchOptions, FileSearch, SearchHit } from '../overlay/capabilities.js'
import { OverlayError } from '../overlay/errors.js'
import type { PeerRef } from '../overlay/types.js'
import { OverlayService, toPeerRef, type OverlayComponents, type ServiceInit } from '../runtime/libp2p/index.js'
import { FileSearchApi, type ShareableFile } from '../search/api.js'
import { describeStored, storeBytes } from '../search/stored.js'
import { SearchContentRouting } from '../search/content-routing.js'
import type { DownloadResult } from '../search/transfer.js'
import type { GnutellaMsg } from './codec.js'
import type { GnutellaOptions } from './options.js'
import type { GnutellaHit, GnutellaServent } from './servent.js'
import { gnutellaSpec } from './spec.js'

export interface GnutellaInit extends GnutellaOptions, ServiceInit {}

export class GnutellaService extends OverlayService<GnutellaMsg, GnutellaOptions, GnutellaServent> implements FileSearch, ContentRouting {
  private readonly files: FileSearchApi
  private readonly routing: SearchContentRouting

  constructor (components: OverlayComponents, init: GnutellaInit = {}) {
    super(components, gnutellaSpec, init, init, ['@overlaykit/file-search', '@overlaykit/content-routing'])
    this.files = new FileSearchApi(() => this.isStarted() ? this.machine : undefined)
    this.routing = new SearchContentRouting(this.files)
  }

  /** ContentRouting: announce `key` (a virtual file found by `findProviders`). */
  async provide (key: Uint8Array): Promise<void> { await this.routing.provide(key) }

  /** ContentRouting: peers that announced `key`, as the search finds them. */
  findProviders (key: Uint8Array, options?: { signal?: AbortSignal, limit?: number }): AsyncIterable<PeerRef> {
    return this.routing.findProviders(key, options)
  }

  /** Peer ids of the current neighbours. */
  neighbours (): string[] { return [...this.machine.neighbours.keys()] }

  /** Connect to a servent (GNUTELLA CONNECT); resolves when it accepted us as a neighbour. */
  async connectServent (peer: PeerRef | string, options: { signal?: AbortSignal, timeoutMs?: number } = {}): Promise<void> {
    const ref = typeof peer === 'string' && peer.startsWith('/') ? await this.connect(peer, options) : toPeerRef(peer)
    if (this.machine.neighbours.has(ref.id)) return
    await this.op<void>((machine, done) => {
      const timer = setTimeout(() => { off(); done(new OverlayError('ERR_TIMEOUT', `${ref.id} did not accept the connection`)) }, options.timeoutMs ?? 10_000)
      const off = this.onEvent(e => {
        if (e.type === 'gnutella:neighbour-up' && e.peer === ref.id) { clearTimeout(timer); off(); done(null) }
      })
      machine.connect(ref)
      return () => { clearTimeout(timer); off() }
    }, options.signal)
  }

  share (file: ShareableFile): void { this.files.share(file) }
  unshare (hash: string): void { this.files.unshare(hash) }

  /** Share a blob already in this node's storage (a file under the FsBlobStorage root). */
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

  search (query: string, options?: { signal?: AbortSignal, limit?: number, timeoutMs?: number }): AsyncIterable<GnutellaHit> {
    return this.files.search(query, options) as AsyncIterable<GnutellaHit>
  }

  async fetch (hit: SearchHit, options?: FetchOptions & { store?: string }): Promise<Uint8Array> {
    return await this.files.fetch(hit, options)
  }

  async fetchFile (hit: SearchHit, options?: FetchOptions & { store?: string, collect?: boolean }): Promise<DownloadResult> {
    return await this.files.fetchFile(hit, options)
  }
}

export function gnutella (init: GnutellaInit = {}): (components: OverlayComponents) => GnutellaService {
  return (components) => new GnutellaService(components, init)
}
