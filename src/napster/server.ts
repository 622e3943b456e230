/**
 * The central index server (OpenNap-like) as a machine. It keeps who is logged in and an inverted
 * keyword index of every shared file, answers searches (≤ 100 results, then 202), browse requests and
 * download requests (204 tells where; the bytes never pass through the server), and relays push
 * requests to firewalled holders (500 → 501). State lives only in memory: a restarted server starts
 * empty and clients re-share (a request from a peer that is not logged in gets 404 "not logged in").
 */
import type { Env, Machine, PeerRef } from '../overlay/types.js'
import { isXferMsg } from '../search/transfer-codec.js'
import { KeywordIndex, keywordsOf } from '../search/keywords.js'
import type { NapsterMsg } from './codec.js'
import type { NapFileInfo, NapMsg } from './messages.js'
import { type NapsterServerOptions, resolveOptions } from './options.js'

export type { NapsterServerOptions } from './options.js'

export type NapsterServerEvent =
  | { type: 'napster:login', peer: string, files: number }
  | { type: 'napster:logout', peer: string, reason: string }

interface User {
  ref: PeerRef
  nick: string
  port: number
  link: number
  addrs: readonly string[]
  files: Map<string, NapFileInfo>
  lastSeen: number
}

interface IndexEntry extends NapFileInfo { keywords: string[], nick: string }

export class NapsterServer implements Machine<NapsterMsg> {
  readonly users = new Map<string, User>()
  readonly index = new KeywordIndex<string, IndexEntry>()
  private readonly o: Required<NapsterServerOptions>
  private running = false

  constructor (private readonly env: Env<NapsterMsg, NapsterServerEvent>, options: NapsterServerOptions = {}) {
    const r = resolveOptions(options)
    this.o = { maxResults: r.maxResults, maxFilesPerUser: r.maxFilesPerUser, maxUsers: r.maxUsers, idleTimeoutMs: r.idleTimeoutMs }
  }

  /** Files in the index (all users). */
  get indexSize (): number { return this.index.size }

  start (): void {
    this.running = true
    this.env.setTimer('sweep', this.o.idleTimeoutMs / 2)
  }

  stop (): void {
    this.running = false
    this.env.clearTimer('sweep')
  }

  onMessage (from: PeerRef, msg: NapsterMsg): void {
    if (!this.running) return
    if (isXferMsg(msg)) { this.env.stats.inc('napster:server-ignored-transfer'); return }
    if (msg.type === 'login') { this.login(from, msg); return }
    const u = this.users.get(from.id)
    if (u === undefined) {
      this.env.stats.inc('napster:not-logged-in')
      this.send(from, { type: 'error', text: 'not logged in' })
      return
    }
    u.lastSeen = this.env.now()
    switch (msg.type) {
      case 'share': this.share(u, msg.file); break
      case 'unshare': this.unshare(u, msg.name); break
      case 'search': this.search(u, msg.query, msg.max); break
      case 'download-req': this.downloadReq(u, msg.nick, msg.name, false); break
      case 'alt-download-req': this.downloadReq(u, msg.nick, msg.name, true); break
      case 'browse': this.browse(u, msg.nick); break
      case 'ping': this.send(u.ref, { type: 'pong', nick: msg.nick }); break
      default: this.env.stats.inc('napster:server-unexpected')
    }
  }

  private send (to: PeerRef, m: NapMsg): void { this.env.send(to, m) }

  private login (from: PeerRef, m: Extract<NapMsg, { type: 'login' }>): void {
    // the nick is the peer id: a client cannot log in as someone else
    if (m.nick !== from.id) { this.env.stats.inc('napster:bad-login'); this.send(from, { type: 'error', text: 'nick must be your peer id' }); return }
    const old = this.users.get(from.id)
    if (old === undefined && this.users.size >= this.o.maxUsers) { this.send(from, { type: 'error', text: 'server full' }); return }
    if (old !== undefined) this.logout(old, 'relogin')
    const ref: PeerRef = m.addrs.length > 0 ? { id: from.id, addrs: m.addrs } : (from.addrs !== undefined ? from : { id: from.id })
    this.users.set(from.id, { ref, nick: m.nick, port: m.port, link: m.link, addrs: m.addrs, files: new Map(), lastSeen: this.env.now() })
    this.env.stats.inc('napster:logins')
    this.send(from, { type: 'login-ack', email: 'anon@overlaykit' })
    this.env.emit({ type: 'napster:login', peer: from.id, files: 0 })
  }

  private logout (u: User, reason: string): void {
    for (const f of u.files.values()) this.index.remove(`${u.nick}\u0000${f.name}`)
    this.users.delete(u.nick)
    this.env.emit({ type: 'napster:logout', peer: u.nick, reason })
  }

  private share (u: User, f: NapFileInfo): void {
    if (!u.files.has(f.name) && u.files.size >= this.o.maxFilesPerUser) { this.env.stats.inc('napster:share-limit'); return }
    u.files.set(f.name, f)
    this.index.add(`${u.nick}\u0000${f.name}`, { ...f, keywords: keywordsOf(f.name), nick: u.nick })
  }

  private unshare (u: User, name: string): void {
    if (u.files.delete(name)) this.index.remove(`${u.nick}\u0000${name}`)
  }

  private search (u: User, query: string, max: number): void {
    this.env.stats.inc('napster:searches')
    const limit = Math.max(0, Math.min(this.o.maxResults, max))
    const hits = this.index.search(keywordsOf(query), limit)
    for (const h of hits) {
      const holder = this.users.get(h.nick)
      if (holder === undefined) continue
      const { nick, keywords: _k, ...file } = h
      this.send(u.ref, { type: 'result', file, nick, ip: 0, link: holder.link, addrs: holder.addrs })
    }
    this.send(u.ref, { type: 'end-results' })
  }

  private downloadReq (u: User, nick: string, name: string, alternate: boolean): void {
    const holder = this.users.get(nick)
    const file = holder?.files.get(name)
    if (holder === undefined || file === undefined) { this.send(u.ref, { type: 'download-err', nick, name }); return }
    if (!alternate) {
      this.send(u.ref, { type: 'download-ack', nick, ip: 0, port: holder.port, name, hash: file.hash, speed: holder.link, addrs: holder.addrs })
      return
    }
    // push: tell the firewalled holder to connect out to the requester
    this.env.stats.inc('napster:push-relayed')
    this.send(holder.ref, { type: 'alt-download-ack', nick: u.nick, ip: 0, port: u.port, name, hash: file.hash, speed: u.link, addrs: u.addrs })
  }

  private browse (u: User, nick: string): void {
    const target = this.users.get(nick)
    if (target !== undefined) {
      let n = 0
      for (const f of target.files.values()) {
        if (n++ >= this.o.maxFilesPerUser) break
        this.send(u.ref, { type: 'browse-result', nick, file: f })
      }
    }
    this.send(u.ref, { type: 'browse-end', nick })
  }

  onTimer (key: string): void {
    if (key !== 'sweep' || !this.running) return
    const now = this.env.now()
    for (const u of [...this.users.values()]) if (now - u.lastSeen > this.o.idleTimeoutMs) this.logout(u, 'idle')
    this.env.setTimer('sweep', this.o.idleTimeoutMs / 2)
  }

  onPeerUnreachable (peer: PeerRef): void {
    const u = this.users.get(peer.id)
    if (u !== undefined) this.logout(u, 'disconnected')
  }
}
