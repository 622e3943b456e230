/**
 * The live FastTrack node: `createLibp2p({ services: { fasttrack: fasttrack({ bootstrap, capacity, driver: { storage } }) } })`.
 * It elects itself supernode when its capacity and its region call for it, otherwise attaches to a
 * supernode as a leaf. It implements the FileSearch capability: `share`, `shareStored(store)`,
 * `search(text)` (async iterable of hits), `fetch(hit, { offset })` (direct, or by push through the
 * holder's supernode when the holder is firewalled); and ContentRouting (`provide`, `findProviders`)
 * through the same index, so BitTorrent can find peers through the supernodes.
 */
import type { ContentRouting, FetchOptions, FileSearch, SearchHit } from '../overlay/capabilities.js'
import { TimeoutError } from '../overlay/errors.js'
import type { PeerRef } from '../overlay/types.js'
import { OverlayService, toPeerRef, type OverlayComponents, type ServiceInit } from '../runtime/libp2p/index.js'
import { FileSearchApi, type ShareableFile } from '../search/api.js'
import { SearchContentRouting } from '../search/content-routing.js'
import { describeStored } from '../search/stored.js'
import type { DownloadResult } from '../search/transfer.js'
import type { FastTrackMachine } from './machine.js'
import type { FastTrackHit, FastTrackMsg } from './messages.js'
import type { FastTrackOptions } from './options.js'
import { fasttrackSpec } from './spec.js'

export interface FastTrackInit extends FastTrackOptions, ServiceInit {}

export class FastTrackService extends OverlayService<FastTrackMsg, FastTrackOptions, FastTrackMachine> implements FileSearch, ContentRouting {
  private readonly files: FileSearchApi
  private readonly routing: SearchContentRouting

  constructor (components: OverlayComponents, init: FastTrackInit = {}) {
    super(components, fasttrackSpec, init, init, ['@overlaykit/file-search', '@overlaykit/content-routing'])
    this.files = new FileSearchApi(() => this.isStarted() ? this.machine : undefined)
    this.routing = new SearchContentRouting(this.files)
  }

  /** ContentRouting: announce `key` (a virtual file indexed at our supernode, found by `findProviders`). */
  async provide (key: Uint8Array): Promise<void> { await this.routing.provide(key) }

  /** ContentRouting: peers that announced `key`, found through the supernode tier. */
  findProviders (key: Uint8Array, options?: { signal?: AbortSignal, limit?: number }): AsyncIterable<PeerRef> {
    return this.routing.findProviders(key, options)
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
    if (this.machine.attached) return
    await this.op<void>((machine, done) => {
      const timer = setTimeout(() => { off(); done(new TimeoutError('not attached to a supernode in time')) }, options.timeoutMs ?? 30_000)
      const off = this.onEvent(e => {
        if ((e.type === 'fasttrack:attached' || e.type === 'fasttrack:role') && machine.attached) { clearTimeout(timer); off(); done(null) }
      })
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

  search (query: string, options?: { signal?: AbortSignal, limit?: number, timeoutMs?: number }): AsyncIterable<FastTrackHit> {
    return this.files.search(query, options) as AsyncIterable<FastTrackHit>
  }

  async fetch (hit: SearchHit, options?: FetchOptions & { store?: string }): Promise<Uint8Array> {
    return await this.files.fetch(hit, options)
  }

  async fetchFile (hit: SearchHit, options?: FetchOptions & { store?: string, collect?: boolean }): Promise<DownloadResult> {
    return await this.files.fetchFile(hit, options)
  }
}

export function fasttrack (init: FastTrackInit = {}): (components: OverlayComponents) => FastTrackService {
  return (components) => new FastTrackService(components, init)
}
