/**
 * The live service base shared by the search overlays (napster client, gnutella, fasttrack): the
 * FileSearch capability (share, search, fetch) and ContentRouting over the same index, on top of
 * OverlayService. An overlay's service extends it and adds only what is its own (roles,
 * neighbours, browse, ...).
 */
import type { ContentRouting, FetchOptions, FileSearch, SearchHit } from '../../overlay/capabilities.js'
import { TimeoutError } from '../../overlay/errors.js'
import type { Machine, OverlayEvent, OverlaySpec, PeerRef } from '../../overlay/types.js'
import { OverlayService, type OverlayComponents, type ServiceInit } from '../../runtime/libp2p/index.js'
import { FileSearchApi, type SearchMachine, type ShareableFile } from '../api.js'
import { SearchContentRouting } from '../content-routing.js'
import { describeStored, storeBytes } from './stored.js'
import type { DownloadResult } from '../transfer.js'

export class SearchOverlayService<M, O, Mach extends Machine<M> & SearchMachine, Hit extends SearchHit = SearchHit>
  extends OverlayService<M, O, Mach> implements FileSearch, ContentRouting {
  protected readonly files: FileSearchApi
  protected readonly routing: SearchContentRouting

  constructor (components: OverlayComponents, spec: OverlaySpec<M, O, Mach>, options: O, init: ServiceInit = {}) {
    super(components, spec, options, init, ['@overlaykit/file-search', '@overlaykit/content-routing'])
    this.files = new FileSearchApi(() => this.isStarted() ? this.machine : undefined)
    this.routing = new SearchContentRouting(this.files)
  }

  /** ContentRouting: announce `key` (a virtual file in the index, found by `findProviders`). */
  async provide (key: Uint8Array): Promise<void> { await this.routing.provide(key) }

  /** ContentRouting: peers that announced `key`, as the search finds them. */
  findProviders (key: Uint8Array, options?: { signal?: AbortSignal, limit?: number }): AsyncIterable<PeerRef> {
    return this.routing.findProviders(key, options)
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

  search (query: string, options?: { signal?: AbortSignal, limit?: number, timeoutMs?: number }): AsyncIterable<Hit> {
    return this.files.search(query, options) as AsyncIterable<Hit>
  }

  async fetch (hit: SearchHit, options?: FetchOptions & { store?: string }): Promise<Uint8Array> {
    return await this.files.fetch(hit, options)
  }

  async fetchFile (hit: SearchHit, options?: FetchOptions & { store?: string, collect?: boolean }): Promise<DownloadResult> {
    return await this.files.fetchFile(hit, options)
  }

  /**
   * Resolve when `ready()` holds: checked now and after every event the machine emits; rejects
   * with TimeoutError(`what`) after `timeoutMs`, or AbortError on `signal`.
   */
  protected async waitUntil (ready: (e?: OverlayEvent) => boolean, what: string, options: { timeoutMs?: number, signal?: AbortSignal } = {}): Promise<void> {
    if (ready()) return
    await this.waitForEvent(e => ready(e) ? null : undefined, what, options)
  }

  /**
   * Wait for the machine's events to settle something: `settle(e)` returns undefined to go on waiting,
   * null to resolve, or an Error to reject with. `begin(machine)` runs once listening (e.g. sends the
   * request whose answer is awaited). Rejects with TimeoutError(`what`) after `timeoutMs`
   * (@default 10 000), AbortError on `signal`.
   */
  protected async waitForEvent (settle: (e: OverlayEvent) => Error | null | undefined, what: string, options: { timeoutMs?: number, signal?: AbortSignal } = {}, begin?: (machine: Mach) => void): Promise<void> {
    await this.op<void>((machine, done) => {
      const timer = setTimeout(() => { off(); done(new TimeoutError(what)) }, options.timeoutMs ?? 10_000)
      const off = this.onEvent(e => {
        const outcome = settle(e)
        if (outcome === undefined) return
        clearTimeout(timer); off(); done(outcome)
      })
      begin?.(machine)
      return () => { clearTimeout(timer); off() }
    }, options.signal)
  }
}
