/**
 * The direct-transfer protocol as a machine part: an overlay machine (napster client, gnutella
 * servent, fasttrack node) owns one `Transfers` and forwards to it every `xfer-*` message, every timer
 * whose key starts with `xfer:`, every io completion whose token starts with `xfer:`, and
 * onPeerUnreachable. It plays both roles:
 *
 * - holder (upload.ts): answers `xfer-get {hash, offset, length}` by reading its catalog's store through env.io;
 *   stateless per request, with a bound on concurrent reads (beyond it: `busy`);
 * - downloader: keeps `pipeline` chunk requests in flight, writes chunks through env.io into the
 *   destination store as they arrive (any order), retries timed-out or busy chunks, and when every byte
 *   is written reads the whole store back and checks SHA-256 against the wanted hash before it reports
 *   success. A resume (`offset` > 0) assumes bytes [0, offset) are already in the store; they are
 *   verified too, so a bad prefix fails the download instead of passing silently.
 *
 * Push (firewalled holder): the downloader cannot reach the holder, so the overlay routes a push
 * request to it (Gnutella Push descriptor, OpenNap 500/501). The holder then calls `pushTo(downloader,
 * hash)`, which sends `xfer-offer` — in the live runtime that dials out to the downloader, and the
 * downloader's chunk requests travel back over that connection.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { InvalidArgumentError, NotFoundError, ProtocolError, TimeoutError, UnreachableError, OverlayError } from '../overlay/errors.js'
import { toHex } from '../overlay/ids.js'
import { PENALTY, refuse } from '../overlay/penalty.js'
import type { SearchHit } from '../overlay/capabilities.js'
import type { Env, IoResult, PeerRef } from '../overlay/types.js'
import type { CatalogEntry } from './catalog.js'
import { MAX_CHUNK_BYTES, type XferMsg } from './transfer-codec.js'
import type { DownloadCallbacks, DownloadRequest, DownloadResult, TransferOptions } from './transfer-types.js'
import { Uploads } from './upload.js'

export type { TransferOptions, DownloadRequest, DownloadResult, DownloadCallbacks } from './transfer-types.js'

/** One chunk request; `backoff` marks a slot that only waits (after `busy`) before the chunk is asked again. */
interface Chunk { offset: number, length: number, tries: number, backoff?: boolean }

interface Download {
  id: number
  req: DownloadRequest
  cb: DownloadCallbacks
  holder: PeerRef
  phase: 'push-wait' | 'fetch' | 'verify'
  viaPush: boolean
  pushTried: boolean
  next: number
  written: number
  received: number
  inflight: Map<number, Chunk>
  /** Chunks waiting for a retry (after busy/timeout), resent first. */
  retry: Chunk[]
  started: number
  verifyAt: number
  hasher: ReturnType<typeof sha256.create> | undefined
  parts: Uint8Array[]
}

export class Transfers {
  private readonly chunkBytes: number
  private readonly pipeline: number
  private readonly requestTimeoutMs: number
  private readonly retries: number
  private readonly pushTimeoutMs: number
  private readonly maxDownloads: number
  private readonly downloads = new Map<number, Download>()
  /** chunk request id → download id */
  private readonly requests = new Map<number, number>()
  /** The holder side (upload.ts). */
  private readonly uploads: Uploads
  private seq = 0

  constructor (
    private readonly env: Env<any>,
    private readonly send: (to: PeerRef, msg: XferMsg) => void,
    lookup: (hash: string) => CatalogEntry | undefined,
    options: TransferOptions = {}
  ) {
    this.chunkBytes = Math.max(1, Math.min(MAX_CHUNK_BYTES, options.chunkBytes ?? 65536))
    this.pipeline = Math.max(1, options.pipeline ?? 4)
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000
    this.retries = Math.max(1, options.retries ?? 5)
    this.pushTimeoutMs = options.pushTimeoutMs ?? 15_000
    this.uploads = new Uploads(env, send, lookup, Math.max(1, options.maxUploadReads ?? 32))
    this.maxDownloads = Math.max(1, options.maxDownloads ?? 64)
  }

  get activeDownloads (): number { return this.downloads.size }
  get activeUploads (): number { return this.uploads.size }

  /** Start a download; returns a cancel function. `cb.done` is called exactly once (not after cancel). */
  download (req: DownloadRequest, cb: DownloadCallbacks): () => void {
    const offset = req.offset ?? 0
    const fail = (err: Error): () => void => { cb.done(err); return () => {} }
    if (this.env.io === undefined) return fail(new OverlayError('ERR_NO_STORAGE', 'this node has no storage for downloads (configure storage on the driver)'))
    if (this.downloads.size >= this.maxDownloads) return fail(new OverlayError('ERR_BUSY', `at most ${this.maxDownloads} downloads at once`))
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > req.size) return fail(new InvalidArgumentError(`resume offset ${offset} outside [0, ${req.size}]`))
    const id = ++this.seq
    const d: Download = {
      id, req, cb, holder: req.holder, phase: 'fetch', viaPush: false, pushTried: false,
      next: offset, written: 0, received: 0, inflight: new Map(), retry: [],
      started: this.env.now(), verifyAt: 0, hasher: undefined, parts: []
    }
    this.downloads.set(id, d)
    this.env.stats.inc('xfer:downloads-started')
    if (req.viaPush === true) this.askPush(d)
    else this.pump(d)
    return () => { this.cancel(id) }
  }

  /**
   * Download a search hit (what `fetch()` of a search overlay does): direct, or first a push through
   * `push` when the hit says its holder is firewalled. Whatever the hit claims, only bytes from the
   * named holder whose SHA-256 matches are accepted.
   */
  downloadHit (hit: SearchHit & { firewalled?: boolean }, request: { store: string, offset: number, collect: boolean }, push: () => boolean, cb: DownloadCallbacks): () => void {
    return this.download({
      holder: hit.peer, hash: hit.hash, size: hit.size, store: request.store, offset: request.offset, collect: request.collect, viaPush: hit.firewalled === true, push
    }, cb)
  }

  /** Holder side, after a push request: connect out to the downloader and offer the file. */
  pushTo (downloader: PeerRef, hash: string): boolean { return this.uploads.pushTo(downloader, hash) }

  onMessage (from: PeerRef, msg: XferMsg): void {
    switch (msg.type) {
      case 'xfer-get': this.uploads.onGet(from, msg); break
      case 'xfer-data': this.onData(from, msg); break
      case 'xfer-err': this.onErr(from, msg); break
      case 'xfer-offer': this.onOffer(from, msg); break
    }
  }

  /** Returns true when the timer was ours. */
  onTimer (key: string): boolean {
    if (!key.startsWith('xfer:')) return false
    const [, kind, idText] = key.split(':')
    const id = Number(idText)
    if (kind === 'r') this.onChunkTimeout(id)
    else if (kind === 'p') {
      const d = this.downloads.get(id)
      if (d !== undefined && d.phase === 'push-wait') {
        this.env.stats.inc('xfer:push-timeouts')
        this.finish(d, new TimeoutError(`firewalled holder ${d.holder.id} did not connect back within ${this.pushTimeoutMs} ms`))
      }
    }
    return true
  }

  /** Returns true when the io completion was ours. */
  onIo (token: string, result: IoResult): boolean {
    if (!token.startsWith('xfer:')) return false
    const parts = token.split(':')
    const kind = parts[1]
    const id = Number(parts[2])
    if (kind === 'u') this.uploads.onRead(id, result)
    else if (kind === 'w') this.onWritten(id, Number(parts[3]), result)
    else if (kind === 'v') this.onVerifyRead(id, result)
    return true
  }

  onPeerUnreachable (peer: PeerRef): void {
    for (const d of [...this.downloads.values()]) {
      if (d.holder.id !== peer.id || d.phase !== 'fetch') continue
      if (!d.pushTried && d.req.push !== undefined) { this.env.stats.inc('xfer:fallback-to-push'); this.askPush(d); continue }
      this.finish(d, new UnreachableError(`holder ${peer.id} is unreachable`))
    }
    this.uploads.peerGone(peer.id)
  }

  /** Abort every download (machine stopping). */
  stop (): void {
    for (const d of [...this.downloads.values()]) this.finish(d, new OverlayError('ERR_STOPPED', 'overlay stopped'))
    this.uploads.clear()
  }

  cancel (id: number): void {
    const d = this.downloads.get(id)
    if (d === undefined) return
    this.cleanup(d)
    this.env.stats.inc('xfer:downloads-cancelled')
  }

  // ---- downloader side

  private askPush (d: Download): void {
    d.pushTried = true
    d.phase = 'push-wait'
    for (const r of d.inflight.keys()) { this.requests.delete(r); this.env.clearTimer(`xfer:r:${r}`) }
    for (const c of d.inflight.values()) d.retry.push(c)
    d.inflight.clear()
    if (d.req.push?.() !== true) {
      this.finish(d, new UnreachableError(`holder ${d.holder.id} is firewalled and no push route is known`))
      return
    }
    this.env.stats.inc('xfer:push-requested')
    this.env.setTimer(`xfer:p:${d.id}`, this.pushTimeoutMs)
  }

  private onOffer (from: PeerRef, msg: Extract<XferMsg, { type: 'xfer-offer' }>): void {
    for (const d of this.downloads.values()) {
      if (d.phase === 'push-wait' && d.req.hash === msg.hash && d.holder.id === from.id) {
        this.env.clearTimer(`xfer:p:${d.id}`)
        d.holder = from // the connection it opened is the way back
        d.viaPush = true
        d.phase = 'fetch'
        this.pump(d)
        return
      }
    }
    this.env.stats.inc('xfer:unsolicited-offer')
  }

  private pump (d: Download): void {
    const total = d.req.size
    while (d.phase === 'fetch' && d.inflight.size < this.pipeline) {
      let c = d.retry.shift()
      if (c === undefined) {
        if (d.next >= total) break
        c = { offset: d.next, length: Math.min(this.chunkBytes, total - d.next), tries: 0 }
        d.next += c.length
      }
      this.request(d, c)
    }
    if (d.phase === 'fetch' && d.inflight.size === 0 && d.retry.length === 0 && d.written >= total - (d.req.offset ?? 0)) this.verify(d)
  }

  private request (d: Download, c: Chunk): void {
    const r = ++this.seq
    c.tries++
    d.inflight.set(r, c)
    this.requests.set(r, d.id)
    this.env.setTimer(`xfer:r:${r}`, this.requestTimeoutMs)
    this.send(d.holder, { type: 'xfer-get', req: r, hash: d.req.hash, offset: c.offset, length: c.length })
  }

  private chunkOf (from: PeerRef, req: number): { d: Download, c: Chunk } | undefined {
    const id = this.requests.get(req)
    const d = id === undefined ? undefined : this.downloads.get(id)
    const c = d?.inflight.get(req)
    if (d === undefined || c === undefined || d.holder.id !== from.id) { refuse(this.env, from, 'xfer:unsolicited', PENALTY.refused); return undefined }
    this.requests.delete(req)
    d.inflight.delete(req)
    this.env.clearTimer(`xfer:r:${req}`)
    return { d, c }
  }

  private onData (from: PeerRef, msg: Extract<XferMsg, { type: 'xfer-data' }>): void {
    const found = this.chunkOf(from, msg.req)
    if (found === undefined) return
    const { d, c } = found
    if (msg.total !== d.req.size || msg.offset !== c.offset || msg.data.byteLength !== c.length) {
      refuse(this.env, from, 'xfer:bad-chunk', PENALTY.invalid)
      this.finish(d, new ProtocolError(`holder ${from.id} sent a chunk that does not match the request or the file size`))
      return
    }
    d.received += msg.data.byteLength
    this.env.stats.inc('xfer:bytes-down', msg.data.byteLength)
    this.env.io?.({ op: 'write', store: d.req.store, offset: c.offset, data: msg.data, token: `xfer:w:${d.id}:${c.length}` })
  }

  private onErr (from: PeerRef, msg: Extract<XferMsg, { type: 'xfer-err' }>): void {
    const found = this.chunkOf(from, msg.req)
    if (found === undefined) return
    const { d, c } = found
    if (msg.code === 'busy') {
      this.env.stats.inc('xfer:busy')
      if (c.tries >= this.retries) { this.finish(d, new OverlayError('ERR_BUSY', `holder ${from.id} stayed busy`)); return }
      // back off: the chunk waits on a timer before it is asked again
      const r = ++this.seq
      d.inflight.set(r, { ...c, backoff: true })
      this.requests.set(r, d.id)
      this.env.setTimer(`xfer:r:${r}`, 100 * c.tries)
      return
    }
    if (msg.code === 'not-found') { this.finish(d, new NotFoundError(`holder ${from.id} no longer shares ${d.req.hash}`)); return }
    this.finish(d, new ProtocolError(`holder ${from.id} refused the request: ${msg.code}`))
  }

  private onChunkTimeout (r: number): void {
    const id = this.requests.get(r)
    const d = id === undefined ? undefined : this.downloads.get(id)
    const c = d?.inflight.get(r)
    if (d === undefined || c === undefined) return
    this.requests.delete(r)
    d.inflight.delete(r)
    if (c.backoff === true) { d.retry.push({ offset: c.offset, length: c.length, tries: c.tries }); this.pump(d); return }
    this.env.stats.inc('xfer:chunk-timeouts')
    if (c.tries >= this.retries) { this.finish(d, new TimeoutError(`no data from ${d.holder.id} after ${c.tries} attempts`)); return }
    d.retry.push(c)
    this.pump(d)
  }

  private onWritten (id: number, length: number, result: IoResult): void {
    const d = this.downloads.get(id)
    if (d === undefined) return
    if (!result.ok) { this.finish(d, result.error); return }
    d.written += length
    const offset = d.req.offset ?? 0
    d.cb.onProgress?.({ bytes: offset + d.written, total: d.req.size })
    this.pump(d)
  }

  private verify (d: Download): void {
    d.phase = 'verify'
    d.hasher = sha256.create()
    d.verifyAt = 0
    this.verifyNext(d)
  }

  private verifyNext (d: Download): void {
    const total = d.req.size
    if (d.verifyAt >= total) { this.verified(d); return }
    const length = Math.min(MAX_CHUNK_BYTES, total - d.verifyAt)
    this.env.io?.({ op: 'read', store: d.req.store, offset: d.verifyAt, length, token: `xfer:v:${d.id}` })
  }

  private onVerifyRead (id: number, result: IoResult): void {
    const d = this.downloads.get(id)
    if (d === undefined || d.hasher === undefined) return
    if (!result.ok || result.data === undefined) { this.finish(d, result.ok ? new ProtocolError('empty read') : result.error); return }
    d.hasher.update(result.data)
    if (d.req.collect !== false) d.parts.push(result.data)
    d.verifyAt += result.data.byteLength
    if (result.data.byteLength === 0) { this.finish(d, new ProtocolError('store shorter than the file')); return }
    this.verifyNext(d)
  }

  private verified (d: Download): void {
    const got = toHex((d.hasher as ReturnType<typeof sha256.create>).digest())
    if (got !== d.req.hash) {
      // the holder (authenticated by the transport) served other bytes than the hash it was asked for
      refuse(this.env, d.holder, 'xfer:hash-mismatch', PENALTY.invalid)
      this.finish(d, new ProtocolError(`downloaded data does not match its hash (${got.slice(0, 12)}… ≠ ${d.req.hash.slice(0, 12)}…)`))
      return
    }
    let bytes: Uint8Array | undefined
    if (d.req.collect !== false) {
      bytes = new Uint8Array(d.req.size)
      let at = 0
      for (const p of d.parts) { bytes.set(p, at); at += p.byteLength }
    }
    this.env.stats.inc('xfer:downloads-complete')
    this.finish(d, null, {
      hash: d.req.hash,
      size: d.req.size,
      store: d.req.store,
      from: d.holder.id,
      resumedFrom: d.req.offset ?? 0,
      bytesReceived: d.received,
      viaPush: d.viaPush,
      durationMs: this.env.now() - d.started,
      bytes
    })
  }

  private cleanup (d: Download): void {
    this.downloads.delete(d.id)
    for (const r of d.inflight.keys()) { this.requests.delete(r); this.env.clearTimer(`xfer:r:${r}`) }
    d.inflight.clear()
    this.env.clearTimer(`xfer:p:${d.id}`)
  }

  private finish (d: Download, err: Error | null, result?: DownloadResult): void {
    if (!this.downloads.has(d.id)) return
    this.cleanup(d)
    if (err !== null) this.env.stats.inc('xfer:downloads-failed')
    d.cb.done(err, result)
  }
}
