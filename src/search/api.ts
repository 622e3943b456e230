/**
 * `FileSearch` plumbing: turns a synchronous search machine (anything implementing `SearchMachine`)
 * into the async capability — search results as an async iterable with limit, timeout and
 * AbortSignal; fetch as a promise with progress and AbortSignal. Overlay services wrap their machine
 * with `new FileSearchApi(() => machine, options)`.
 */
import type { FetchOptions, FileSearch, SearchHit, SharedFile } from '../overlay/capabilities.js'
import { AbortError, NotStartedError } from '../overlay/errors.js'
import { operation, PushQueue } from '../overlay/ops.js'
import type { DownloadCallbacks, DownloadResult } from './transfer.js'

export interface SearchRunOptions {
  /** Stop after this many hits. @default 100 */
  limit: number
  /** Stop waiting for hits after this long. @default 5000 */
  timeoutMs: number
}

/** What an overlay machine offers for search; all calls are synchronous and return a cancel function. */
export interface SearchMachine {
  share (file: SharedFile, store: string): void
  unshare (hash: string): void
  /** Hits arrive through onHit; done fires once when the search is over (timeout, limit reached, or error). */
  search (text: string, options: SearchRunOptions, onHit: (hit: SearchHit) => void, done: (err: Error | null) => void): () => void
  /** Download `hit` into io store `store`, verified against hit.hash. */
  fetch (hit: SearchHit, request: { store: string, offset: number, collect: boolean }, cb: DownloadCallbacks): () => void
}

export interface FileSearchApiOptions {
  /** io store a download of `hash` is written to. @default `download/<hash>` */
  downloadStore?: (hit: SearchHit) => string
  /** io store of a file shared without one. @default `share/<hash>` */
  shareStore?: (file: SharedFile) => string
}

export type ShareableFile = SharedFile & { store?: string }

export class FileSearchApi implements FileSearch {
  constructor (private readonly machine: () => SearchMachine | undefined, private readonly options: FileSearchApiOptions = {}) {}

  private get m (): SearchMachine {
    const m = this.machine()
    if (m === undefined) throw new NotStartedError()
    return m
  }

  share (file: ShareableFile): void {
    this.m.share(file, file.store ?? this.options.shareStore?.(file) ?? `share/${file.hash}`)
  }

  unshare (hash: string): void { this.m.unshare(hash) }

  search (query: string, options: { signal?: AbortSignal, limit?: number, timeoutMs?: number } = {}): AsyncIterable<SearchHit> {
    const limit = options.limit ?? 100
    const timeoutMs = options.timeoutMs ?? 5000
    let cancel: (() => void) | undefined
    const queue = new PushQueue<SearchHit>(Math.max(1, limit), () => { cancel?.(); options.signal?.removeEventListener('abort', onAbort) })
    const onAbort = (): void => { cancel?.(); queue.end(new AbortError()) }
    if (options.signal?.aborted === true) { queue.end(new AbortError()); return queue }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    let count = 0
    try {
      cancel = this.m.search(query, { limit, timeoutMs }, hit => {
        if (count >= limit) return
        count++
        queue.push(hit)
        if (count >= limit) { cancel?.(); queue.end() }
      }, err => {
        options.signal?.removeEventListener('abort', onAbort)
        queue.end(err ?? undefined)
      })
    } catch (err) {
      queue.end(err as Error)
    }
    return queue
  }

  /** Download and verify; resolves with the file's bytes (the full file, also when resumed). */
  async fetch (hit: SearchHit, options: FetchOptions & { store?: string } = {}): Promise<Uint8Array> {
    const r = await this.fetchFile(hit, options)
    return r.bytes ?? new Uint8Array(0)
  }

  /** Like fetch, with the full result (store, bytes received, push used, duration). */
  async fetchFile (hit: SearchHit, options: FetchOptions & { store?: string, collect?: boolean } = {}): Promise<DownloadResult> {
    const store = options.store ?? this.options.downloadStore?.(hit) ?? `download/${hit.hash}`
    return await operation<DownloadResult>(done => this.m.fetch(hit, { store, offset: options.offset ?? 0, collect: options.collect ?? true }, {
      onProgress: options.onProgress,
      done: (err, res) => { done(err, res) }
    }), options.signal)
  }
}
