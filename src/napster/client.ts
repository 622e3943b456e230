/**
 * A Napster client as a machine: logs in to the index server, announces its catalog (100 per file),
 * searches through the server (one search at a time, results until 202, as OpenNap clients did),
 * asks the server where a file is (203 → 204) and downloads it peer to peer with the shared direct
 * transfer; a firewalled holder (port 0) is reached by push (500 → server → 501 → the holder connects
 * out). The server is a single point of failure, visibly: while it is down every search fails at once
 * with ERR_UNREACHABLE naming the server, and the client keeps trying to log in again with exponential
 * backoff; once back in, it re-shares its whole catalog by itself.
 */
import type { SearchHit, SharedFile } from '../overlay/capabilities.js'
import { NotFoundError, OverlayError, ProtocolError, UnreachableError } from '../overlay/errors.js'
import type { Env, IoResult, Machine, PeerRef } from '../overlay/types.js'
import type { SearchMachine, SearchRunOptions } from '../search/api.js'
import { FileCatalog, type CatalogEntry } from '../search/catalog.js'
import { keywordsOf } from '../search/keywords.js'
import { isXferMsg } from '../search/transfer-codec.js'
import { Transfers, type DownloadCallbacks } from '../search/transfer.js'
import type { NapsterMsg } from './codec.js'
import type { NapFileInfo, NapMsg } from './messages.js'
import { type NapsterClientOptions, type ResolvedNapsterOptions, resolveOptions } from './options.js'
import { PENALTY, refuse } from '../overlay/penalty.js'

export type { NapsterClientOptions } from './options.js'

export type NapsterClientEvent =
  | { type: 'napster:online', server: string, reshared: number }
  | { type: 'napster:offline', server: string, reason: string }

/** `seen`: (holder, hash) delivered; `perHolder`: results per holder (capped, see holderHitShare). */
interface PendingSearch { keywords: string[], options: SearchRunOptions, onHit: (h: SearchHit) => void, done: (err: Error | null) => void, count: number, id: number, seen: Set<string>, perHolder: Map<string, number> }
interface PendingDownload { hit: SearchHit, request: { store: string, offset: number, collect: boolean }, cb: DownloadCallbacks, cancel?: () => void, cancelled: boolean }

export class NapsterClient implements Machine<NapsterMsg>, SearchMachine {
  readonly catalog = new FileCatalog()
  readonly transfers: Transfers
  state: 'offline' | 'logging-in' | 'online' = 'offline'
  private readonly o: Omit<ResolvedNapsterOptions, 'transfer' | 'maxResults' | 'maxFilesPerUser' | 'maxUsers' | 'idleTimeoutMs'> & { server: PeerRef }
  private readonly searches: PendingSearch[] = []
  private readonly downloads = new Map<string, PendingDownload[]>()
  private browses = new Map<string, { files: SharedFile[], done: (err: Error | null, files?: SharedFile[]) => void }>()
  private backoff: number
  private searchSeq = 0
  private running = false
  private lastDownReason = 'not logged in yet'

  constructor (private readonly env: Env<NapsterMsg, NapsterClientEvent>, options: NapsterClientOptions) {
    const { transfer: _t, maxResults: _m, maxFilesPerUser: _f, maxUsers: _u, idleTimeoutMs: _i, ...client } = resolveOptions(options)
    this.o = { ...client, server: options.server }
    this.backoff = this.o.reconnectMinMs
    this.transfers = new Transfers(env, (to, m) => { env.send(to, m) }, h => this.catalog.get(h), options.transfer)
  }

  get server (): PeerRef { return this.o.server }
  get online (): boolean { return this.state === 'online' }

  start (): void {
    this.running = true
    this.loginWhenListening(0)
  }

  /**
   * The server hands our addresses to downloaders, so log in once we have some: a live node's
   * services start before its transports listen (a firewalled client has none and logs in at once).
   */
  private loginWhenListening (attempt: number): void {
    const addrs = this.env.self.addrs
    if (!this.o.firewalled && addrs !== undefined && addrs.length === 0 && attempt < 40) {
      this.env.setTimer(`listen:${attempt + 1}`, 25)
      return
    }
    this.login()
  }

  stop (): void {
    this.running = false
    for (const k of ['login', 'reconnect', 'ka', 'ka-timeout', 'search']) this.env.clearTimer(k)
    this.failAll(new OverlayError('ERR_STOPPED', 'napster client stopped'))
    this.transfers.stop()
    this.state = 'offline'
  }

  // ---- SearchMachine

  share (file: SharedFile, store: string): void {
    const e = this.catalog.add(file, store)
    if (this.online) this.send({ type: 'share', file: this.info(e) })
  }

  unshare (hash: string): void {
    const e = this.catalog.remove(hash)
    if (e !== undefined && this.online) this.send({ type: 'unshare', name: e.name })
  }

  search (text: string, options: SearchRunOptions, onHit: (hit: SearchHit) => void, done: (err: Error | null) => void): () => void {
    const keywords = keywordsOf(text)
    if (keywords.length === 0) { done(new OverlayError('ERR_INVALID_ARGUMENT', 'a query needs at least one keyword')); return () => {} }
    if (!this.online) { this.env.stats.inc('napster:search-offline'); done(this.downError()); return () => {} }
    if (this.searches.length > this.o.maxQueuedSearches) { done(new OverlayError('ERR_BUSY', 'too many searches queued')); return () => {} }
    const s: PendingSearch = { keywords, options, onHit, done, count: 0, id: ++this.searchSeq, seen: new Set(), perHolder: new Map() }
    this.searches.push(s)
    if (this.searches.length === 1) this.startSearch()
    return () => { this.cancelSearch(s) }
  }

  fetch (hit: SearchHit, request: { store: string, offset: number, collect: boolean }, cb: DownloadCallbacks): () => void {
    const p: PendingDownload = { hit, request, cb, cancelled: false }
    if (!this.online) {
      // the server only says where; the peer is known from the hit, so try it directly
      this.env.stats.inc('napster:download-without-server')
      p.cancel = this.transfers.download({ holder: hit.peer, hash: hit.hash, size: hit.size, ...request }, cb)
      return () => { p.cancel?.() }
    }
    const key = `${hit.peer.id}\u0000${hit.name}`
    const list = this.downloads.get(key) ?? []
    list.push(p)
    this.downloads.set(key, list)
    this.env.setTimer(`d:${key}`, this.o.requestTimeoutMs)
    this.send({ type: 'download-req', nick: hit.peer.id, name: hit.name })
    return () => { p.cancelled = true; p.cancel?.() }
  }

  /** List a user's shared files (211 → 212… → 213). */
  browse (nick: string, done: (err: Error | null, files?: SharedFile[]) => void): void {
    if (!this.online) { done(this.downError()); return }
    if (this.browses.has(nick)) { done(new OverlayError('ERR_BUSY', `already browsing ${nick}`)); return }
    this.browses.set(nick, { files: [], done })
    this.env.setTimer(`b:${nick}`, this.o.requestTimeoutMs)
    this.send({ type: 'browse', nick })
  }

  // ---- protocol

  private send (m: NapMsg): void { this.env.send(this.o.server, m) }

  private info (e: CatalogEntry): NapFileInfo {
    return { name: e.name, hash: e.hash, size: e.size, bitrate: 128, freq: 44100, time: Math.round(e.size / 16000) }
  }

  private downError (): Error {
    return new UnreachableError(`napster server ${this.o.server.id} is unreachable (${this.lastDownReason}); reconnecting in the background`)
  }

  private login (): void {
    if (!this.running) return
    this.state = 'logging-in'
    this.env.setTimer('login', this.o.requestTimeoutMs)
    this.send({
      type: 'login', nick: this.env.self.id, password: 'x', port: this.o.firewalled ? 0 : this.o.port,
      client: 'overlaykit', link: this.o.link, addrs: this.env.self.addrs ?? []
    })
  }

  private serverDown (reason: string): void {
    const was = this.state
    this.state = 'offline'
    this.lastDownReason = reason
    this.env.clearTimer('ka'); this.env.clearTimer('ka-timeout'); this.env.clearTimer('search'); this.env.clearTimer('login')
    this.failAll(this.downError())
    if (was === 'online') { this.env.stats.inc('napster:server-lost'); this.env.emit({ type: 'napster:offline', server: this.o.server.id, reason }) }
    if (!this.running) return
    this.env.setTimer('reconnect', this.backoff)
    this.backoff = Math.min(this.o.reconnectMaxMs, this.backoff * 2)
  }

  private failAll (err: Error): void {
    const s = this.searches.splice(0)
    for (const x of s) x.done(err)
    for (const [key, list] of this.downloads) {
      this.env.clearTimer(`d:${key}`)
      for (const p of list) if (!p.cancelled) p.cb.done(err)
    }
    this.downloads.clear()
    for (const [nick, b] of this.browses) { this.env.clearTimer(`b:${nick}`); b.done(err) }
    this.browses.clear()
  }

  private startSearch (): void {
    const s = this.searches[0]
    if (s === undefined) return
    this.env.stats.inc('napster:searches')
    this.env.setTimer('search', Math.min(s.options.timeoutMs, this.o.requestTimeoutMs))
    this.send({ type: 'search', query: s.keywords.join(' '), max: Math.min(100, s.options.limit) })
  }

  private cancelSearch (s: PendingSearch): void {
    const i = this.searches.indexOf(s)
    // a queued search is simply dropped; the running one still receives its results from the server
    // (OpenNap has no cancel), so only its callbacks go
    if (i > 0) { this.searches.splice(i, 1); return }
    s.onHit = () => {}
    s.done = () => {}
  }

  private finishSearch (err: Error | null): void {
    this.env.clearTimer('search')
    const s = this.searches.shift()
    s?.done(err)
    if (this.online) this.startSearch()
  }

  onMessage (from: PeerRef, msg: NapsterMsg): void {
    if (isXferMsg(msg)) { this.transfers.onMessage(from, msg); return }
    if (from.id !== this.o.server.id) { refuse(this.env, from, 'napster:not-from-server', PENALTY.refused); return }
    switch (msg.type) {
      case 'login-ack': this.onLoginAck(); break
      case 'error': this.onError(msg.text); break
      case 'result': this.onResult(msg); break
      case 'end-results': if (this.searches.length > 0) this.finishSearch(null); break
      case 'download-ack': this.onDownloadAck(msg); break
      case 'download-err': this.onDownloadErr(msg.nick, msg.name); break
      case 'alt-download-ack': this.onPushRequest(msg); break
      case 'browse-result': this.browses.get(msg.nick)?.files.push({ name: msg.file.name, size: msg.file.size, hash: msg.file.hash }); break
      case 'browse-end': {
        const b = this.browses.get(msg.nick)
        if (b !== undefined) { this.browses.delete(msg.nick); this.env.clearTimer(`b:${msg.nick}`); b.done(null, b.files) }
        break
      }
      case 'pong': this.env.clearTimer('ka-timeout'); break
      default: this.env.stats.inc('napster:client-unexpected')
    }
  }

  private onLoginAck (): void {
    if (this.state !== 'logging-in') return
    this.env.clearTimer('login')
    this.state = 'online'
    this.backoff = this.o.reconnectMinMs
    const files = this.catalog.list()
    for (const e of files) this.send({ type: 'share', file: this.info(e) })
    this.env.stats.inc('napster:logins')
    this.env.emit({ type: 'napster:online', server: this.o.server.id, reshared: files.length })
    this.env.setTimer('ka', this.o.keepaliveMs)
    for (const [key] of this.downloads) {
      const [nick, name] = key.split('\u0000')
      this.env.setTimer(`d:${key}`, this.o.requestTimeoutMs)
      this.send({ type: 'download-req', nick, name })
    }
    if (this.searches.length > 0) this.startSearch()
  }

  private onError (text: string): void {
    this.env.stats.inc('napster:server-errors')
    if (text === 'not logged in') {
      // the server restarted and forgot us: log in again, re-share, then resume the queued searches
      // (downloads waiting for a 203 answer are asked again too)
      if (this.state === 'logging-in') return
      this.env.stats.inc('napster:relogin')
      this.env.clearTimer('search'); this.env.clearTimer('ka'); this.env.clearTimer('ka-timeout')
      this.login()
      return
    }
    if (this.state === 'logging-in') this.serverDown(`login refused: ${text}`)
  }

  private onResult (m: Extract<NapMsg, { type: 'result' }>): void {
    const s = this.searches[0]
    if (s === undefined) { this.env.stats.inc('napster:unsolicited-result'); return }
    const kws = keywordsOf(m.file.name)
    if (!s.keywords.every(k => kws.includes(k))) { refuse(this.env, this.o.server, 'napster:result-not-matching', PENALTY.quota); return }
    if (s.count >= s.options.limit) return
    // the server is trusted for who shares what (that is Napster), but one holder fills at most
    // holderHitShare of a search, and a lie costs one download the content hash refuses
    const key = `${m.nick}\u0000${m.file.hash}`
    if (s.seen.has(key)) { this.env.stats.inc('napster:result-duplicate'); return }
    const held = s.perHolder.get(m.nick) ?? 0
    if (held >= Math.max(1, Math.ceil(s.options.limit * this.o.holderHitShare))) { this.env.stats.inc('napster:result-holder-cap'); return }
    s.seen.add(key)
    s.perHolder.set(m.nick, held + 1)
    s.count++
    s.onHit({ peer: m.addrs.length > 0 ? { id: m.nick, addrs: m.addrs } : { id: m.nick }, name: m.file.name, size: m.file.size, hash: m.file.hash, hops: 1 })
  }

  private takeDownloads (nick: string, name: string): PendingDownload[] {
    const key = `${nick}\u0000${name}`
    const list = this.downloads.get(key) ?? []
    this.downloads.delete(key)
    this.env.clearTimer(`d:${key}`)
    return list.filter(p => !p.cancelled)
  }

  private onDownloadAck (m: Extract<NapMsg, { type: 'download-ack' }>): void {
    for (const p of this.takeDownloads(m.nick, m.name)) {
      if (m.hash !== p.hit.hash) { p.cb.done(new ProtocolError('the server reports a different hash for this file')); continue }
      const holder: PeerRef = m.addrs.length > 0 ? { id: m.nick, addrs: m.addrs } : p.hit.peer
      p.cancel = this.transfers.download({
        holder, hash: m.hash, size: p.hit.size, ...p.request,
        viaPush: m.port === 0,
        push: () => {
          if (!this.online) return false
          this.send({ type: 'alt-download-req', nick: m.nick, name: m.name })
          return true
        }
      }, p.cb)
    }
  }

  private onDownloadErr (nick: string, name: string): void {
    for (const p of this.takeDownloads(nick, name)) p.cb.done(new NotFoundError(`${nick} no longer shares "${name}"`))
  }

  private onPushRequest (m: Extract<NapMsg, { type: 'alt-download-ack' }>): void {
    const e = this.catalog.get(m.hash)
    if (e === undefined || e.name !== m.name) { this.env.stats.inc('napster:push-unknown-file'); return }
    this.transfers.pushTo(m.addrs.length > 0 ? { id: m.nick, addrs: m.addrs } : { id: m.nick }, m.hash)
  }

  onTimer (key: string): void {
    if (this.transfers.onTimer(key)) return
    switch (key) {
      case 'login': if (this.state === 'logging-in') this.serverDown('no login ack'); return
      case 'reconnect': if (this.state === 'offline') this.login(); return
      case 'search': this.serverDown('no end of search results'); return
      case 'ka':
        if (!this.online) return
        this.send({ type: 'ping', nick: this.env.self.id })
        this.env.setTimer('ka-timeout', this.o.requestTimeoutMs)
        this.env.setTimer('ka', this.o.keepaliveMs)
        return
      case 'ka-timeout': if (this.online) this.serverDown('no answer to keep-alive'); return
    }
    if (key.startsWith('d:')) {
      const [nick, name] = key.slice(2).split('\u0000')
      for (const p of this.takeDownloads(nick, name)) p.cb.done(new UnreachableError('napster server did not answer the download request'))
      return
    }
    if (key.startsWith('listen:')) { if (this.state === 'offline') this.loginWhenListening(Number(key.slice(7))); return }
    if (key.startsWith('b:')) {
      const nick = key.slice(2)
      const b = this.browses.get(nick)
      if (b !== undefined) { this.browses.delete(nick); b.done(new UnreachableError('napster server did not finish the browse')) }
    }
  }

  onIo (token: string, result: IoResult): void { this.transfers.onIo(token, result) }

  onPeerUnreachable (peer: PeerRef): void {
    if (peer.id === this.o.server.id) { if (this.state !== 'offline') this.serverDown('connection lost'); return }
    this.transfers.onPeerUnreachable(peer)
  }
}
