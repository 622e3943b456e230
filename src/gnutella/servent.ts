/**
 * A Gnutella 0.4 servent as a synchronous machine: neighbour management, Ping/Pong with pong caching,
 * Query flooding with TTL/hops rules and duplicate suppression, reverse-path routing of Pong, QueryHit
 * and Push, and the shared direct transfer (with push for firewalled servents).
 *
 * Per-hop rules (spec rev 1.2): a descriptor from a non-neighbour is dropped; hops > maxTtl dropped;
 * TTL 0 dropped; TTL + hops > maxTtl → TTL clamped to maxTtl − hops (counted); then TTL is decremented
 * and hops incremented before anything else. Ping and Query are dropped when (id, type) was seen,
 * otherwise remembered with the neighbour they came from and forwarded to every other neighbour while
 * TTL > 0 (pings only when pong caching is off). Pong, QueryHit and Push go back along the recorded
 * path only and are dropped when no matching request was seen.
 */
import type { SearchHit, SharedFile } from '../overlay/capabilities.js'
import { OverlayError, UnreachableError } from '../overlay/errors.js'
import { PENALTY, refuse } from '../overlay/penalty.js'
import { sha256Bytes, toHex } from '../overlay/ids.js'
import type { Env, IoResult, Machine, PeerRef } from '../overlay/types.js'
import type { SearchMachine, SearchRunOptions } from '../search/api.js'
import { FileCatalog } from '../search/catalog.js'
import { keywordsOf } from '../search/keywords.js'
import { isXferMsg } from '../search/transfer-codec.js'
import { Transfers, type DownloadCallbacks } from '../search/transfer.js'
import type { GnutellaMsg } from './codec.js'
import type { Descriptor, HitResult } from './descriptor.js'
import { takeQueryToken, type Neighbour } from './neighbours.js'
import { Links } from './links.js'
import type { GnutellaEvent, GnutellaHit } from './events.js'
import { type GnutellaOptions, type ResolvedGnutellaOptions, resolveOptions } from './options.js'
import { BoundedMap, HostCache, PongCache, routeKey } from './tables.js'

export type { GnutellaHit, GnutellaEvent, ConnectFailure } from './events.js'

/** `seen`: (peer, hash) already delivered; `via`: results accepted per neighbour (capped, see neighbourHitShare). */
interface Search { keywords: string[], onHit: (h: GnutellaHit) => void, done: (err: Error | null) => void, limit: number, count: number, seen: Set<string>, via: Map<string, number> }

/** IPv4 and port from a multiaddr like /ip4/1.2.3.4/tcp/4001, else 0.0.0.0:0. */
export function ipPortOf (ref: PeerRef): { ip: string, port: number } {
  for (const a of ref.addrs ?? []) {
    const m = /^\/ip4\/(\d+\.\d+\.\d+\.\d+)\/tcp\/(\d+)/.exec(a)
    if (m !== null) return { ip: m[1], port: Number(m[2]) & 0xffff }
  }
  return { ip: '0.0.0.0', port: 0 }
}

/** 16-byte servent id of a peer: the first half of SHA-256(peer id), hex. */
export function serventIdOf (peerId: string): string { return toHex(sha256Bytes(peerId).subarray(0, 16)) }

export class GnutellaServent implements Machine<GnutellaMsg>, SearchMachine {
  readonly options: ResolvedGnutellaOptions
  readonly catalog = new FileCatalog()
  readonly transfers: Transfers
  /** 16-byte servent id: the first half of SHA-256(peer id). */
  readonly servent: string
  readonly neighbours = new Map<string, Neighbour>()
  /** Dialling, accepting and dropping neighbours (links.ts). */
  private readonly links: Links
  private readonly routes: BoundedMap<string, string>
  private readonly pushRoutes: BoundedMap<string, string>
  private readonly hitsForwarded: BoundedMap<string, number>
  private readonly pongs: PongCache
  readonly hosts: HostCache
  private readonly searches = new Map<string, Search>()
  private running = false
  /** QueryHit descriptors this servent answered with (for "who serves the network" statistics). */
  hitsSent = 0

  constructor (private readonly env: Env<GnutellaMsg, GnutellaEvent>, options: GnutellaOptions = {}) {
    this.options = resolveOptions(options)
    const o = this.options
    this.servent = serventIdOf(env.self.id)
    this.routes = new BoundedMap(o.routeTableSize)
    this.pushRoutes = new BoundedMap(o.pushRouteSize)
    this.hitsForwarded = new BoundedMap(o.routeTableSize)
    this.pongs = new PongCache(o.pongCacheSize, o.pongCacheTtlMs)
    this.hosts = new HostCache(o.hostCacheSize)
    this.links = new Links({
      env,
      options: o,
      neighbours: this.neighbours,
      hosts: this.hosts,
      running: () => this.running,
      sendPing: (only) => { this.sendPing(only) }
    })
    this.transfers = new Transfers(env, (to, m) => { env.send(to, m) }, h => this.catalog.get(h), o.transfer)
  }

  get degree (): number { return this.neighbours.size }

  /** TTL of our next queries (1..maxTtl); lets a benchmark vary TTL on one warmed-up network. */
  setQueryTtl (ttl: number): void {
    this.options.queryTtl = Math.max(1, Math.min(this.options.maxTtl, Math.floor(ttl)))
  }

  start (): void {
    this.running = true
    for (const b of this.options.bootstrap) if (b.id !== this.env.self.id) { this.hosts.add(b); this.connect(b) }
    this.env.setTimer('maintain', this.env.rng.range(0, this.options.maintainMs))
    this.env.setTimer('ping', this.env.rng.range(this.options.pingIntervalMs / 2, this.options.pingIntervalMs))
  }

  stop (): void {
    this.running = false
    for (const n of this.neighbours.values()) this.env.send(n.ref, { type: 'bye' })
    this.neighbours.clear()
    this.links.pending.clear()
    for (const [id, s] of this.searches) { this.env.clearTimer(`s:${id}`); s.done(null) }
    this.searches.clear()
    this.transfers.stop()
    this.env.clearTimer('maintain')
    this.env.clearTimer('ping')
  }

  /** Dial a servent (GNUTELLA CONNECT/0.4). */
  connect (peer: PeerRef): void { this.links.connect(peer) }

  // ---- SearchMachine

  share (file: SharedFile, store: string): void { this.catalog.add(file, store) }
  unshare (hash: string): void { this.catalog.remove(hash) }

  search (text: string, options: SearchRunOptions, onHit: (hit: SearchHit) => void, done: (err: Error | null) => void): () => void {
    const keywords = keywordsOf(text)
    if (keywords.length === 0) { done(new OverlayError('ERR_INVALID_ARGUMENT', 'a query needs at least one keyword')); return () => {} }
    if (this.neighbours.size === 0) { done(new UnreachableError('not connected to any Gnutella neighbour')); return () => {} }
    if (this.searches.size >= this.options.maxSearches) { done(new OverlayError('ERR_BUSY', `at most ${this.options.maxSearches} searches at once`)); return () => {} }
    const id = toHex(this.env.rng.bytes(16))
    this.searches.set(id, { keywords, onHit, done, limit: options.limit, count: 0, seen: new Set(), via: new Map() })
    this.routes.set(routeKey(id, 'query'), '')
    this.env.setTimer(`s:${id}`, options.timeoutMs)
    this.env.stats.inc('gnutella:searches')
    const q: Descriptor = { type: 'query', id, ttl: this.options.queryTtl, hops: 0, minSpeed: 0, criteria: keywords.join(' ') }
    for (const n of this.neighbours.values()) this.env.send(n.ref, q)
    return () => { this.endSearch(id, null) }
  }

  fetch (hit: SearchHit, request: { store: string, offset: number, collect: boolean }, cb: DownloadCallbacks): () => void {
    const g = hit as Partial<GnutellaHit>
    return this.transfers.downloadHit(hit, request, () => g.servent !== undefined && g.index !== undefined && this.sendPush(g.servent, g.index), cb)
  }

  private endSearch (id: string, err: Error | null): void {
    const s = this.searches.get(id)
    if (s === undefined) return
    this.searches.delete(id)
    this.env.clearTimer(`s:${id}`)
    s.done(err)
  }

  private sendPush (servent: string, index: number): boolean {
    const via = this.pushRoutes.get(servent)
    const n = via === undefined ? undefined : this.neighbours.get(via)
    if (n === undefined) return false
    const { ip, port } = ipPortOf(this.env.self)
    const id = toHex(this.env.rng.bytes(16))
    this.routes.set(routeKey(id, 'push'), '')
    this.env.send(n.ref, { type: 'push', id, ttl: this.options.ttl, hops: 0, servent, index, ip, port, peer: this.env.self })
    return true
  }

  // ---- Machine

  onMessage (from: PeerRef, msg: GnutellaMsg): void {
    if (isXferMsg(msg)) { this.transfers.onMessage(from, msg); return }
    switch (msg.type) {
      case 'connect': this.links.onConnect(from); return
      case 'ok': this.links.onOk(from); return
      case 'busy': this.links.onBusy(from); return
      case 'bye': this.links.dropNeighbour(from.id, 'bye', false); return
    }
    const n = this.neighbours.get(from.id)
    if (n === undefined) { refuse(this.env, from, 'gnutella:drop-not-neighbour', PENALTY.quota); return }
    n.lastSeen = this.env.now()
    this.onDescriptor(n, msg)
  }

  private onDescriptor (n: Neighbour, d: Descriptor): void {
    const max = this.options.maxTtl
    if (d.hops > max) { this.env.stats.inc('gnutella:drop-hops'); return }
    if (d.type === 'query' && !takeQueryToken(n, this.env.now(), this.options)) { this.links.abuse(n, 'gnutella:query-rate', PENALTY.quota); return }
    if (d.ttl === 0) { this.env.stats.inc('gnutella:drop-ttl0'); return }
    let ttl = d.ttl
    if (ttl + d.hops > max) { ttl = max - d.hops; this.env.stats.inc('gnutella:ttl-clamped'); if (ttl <= 0) { this.env.stats.inc('gnutella:drop-ttl0'); return } }
    const fwd = { ...d, ttl: ttl - 1, hops: d.hops + 1 } as Descriptor
    switch (fwd.type) {
      case 'ping': this.onPing(n, fwd); break
      case 'query': this.onQuery(n, fwd); break
      case 'pong': this.onPong(n, fwd); break
      case 'queryhit': this.onQueryHit(n, fwd); break
      case 'push': this.onPush(n, fwd); break
    }
  }

  /** Record (id, type) → neighbour; false when it was already seen. */
  private firstSighting (d: Descriptor, from: string): boolean {
    const key = routeKey(d.id, d.type)
    if (this.routes.has(key)) { this.env.stats.inc('gnutella:drop-duplicate'); return false }
    this.routes.set(key, from)
    return true
  }

  private flood (d: Descriptor, except: string): void {
    if (d.ttl <= 0) return
    for (const [id, nb] of this.neighbours) if (id !== except) this.env.send(nb.ref, d)
  }

  private myPong (id: string, ttl: number): Extract<Descriptor, { type: 'pong' }> {
    const { ip, port } = ipPortOf(this.env.self)
    let kb = 0
    for (const f of this.catalog.list()) kb += Math.ceil(f.size / 1024)
    return { type: 'pong', id, ttl: Math.max(1, ttl), hops: 0, ip, port, files: this.catalog.size, kbytes: Math.min(kb, 0xffffffff), peer: this.env.self }
  }

  private onPing (n: Neighbour, d: Extract<Descriptor, { type: 'ping' }>): void {
    if (!this.firstSighting(d, n.ref.id)) return
    this.env.send(n.ref, this.myPong(d.id, d.hops))
    if (this.options.pongCaching) {
      // answer from the cache instead of flooding the ping (a TTL-1 ping only asks about us)
      if (d.ttl > 0) {
        for (const c of this.pongs.pick(this.options.pongsPerPing, this.env.now(), n.ref.id)) {
          this.env.send(n.ref, { ...c.pong, id: d.id, ttl: d.hops, hops: Math.min(this.options.maxTtl - d.hops, c.pong.hops + 1) })
        }
      }
      return
    }
    this.flood(d, n.ref.id)
  }

  private onPong (n: Neighbour, d: Extract<Descriptor, { type: 'pong' }>): void {
    const back = this.routes.get(routeKey(d.id, 'ping'))
    if (back === undefined) { this.env.stats.inc('gnutella:drop-no-route'); return }
    if (d.peer !== undefined && d.peer.id !== this.env.self.id) {
      this.hosts.add(d.peer)
      this.pongs.add(d, n.ref.id, this.env.now())
    }
    if (back === '') return
    const to = this.neighbours.get(back)
    if (to !== undefined && d.ttl > 0) this.env.send(to.ref, d)
    else this.env.stats.inc('gnutella:drop-route-gone')
  }

  private onQuery (n: Neighbour, d: Extract<Descriptor, { type: 'query' }>): void {
    if (!this.firstSighting(d, n.ref.id)) return
    n.lastUseful = this.env.now()
    this.env.stats.inc('gnutella:queries-seen')
    const found = this.catalog.search(d.criteria, this.options.maxResults)
    if (found.length > 0) {
      const { ip, port } = ipPortOf(this.env.self)
      const results: HitResult[] = found.map(f => ({ index: f.index, size: Math.min(f.size, 0xffffffff), name: f.name, hash: f.hash }))
      this.env.stats.inc('gnutella:hits-sent')
      this.hitsSent++
      this.env.send(n.ref, {
        type: 'queryhit', id: d.id, ttl: d.hops, hops: 0, port, ip, speed: this.options.speed, results,
        servent: this.servent, push: this.options.firewalled, vendor: 'OVKT', peer: this.env.self
      })
    }
    this.flood(d, n.ref.id)
  }

  private onQueryHit (n: Neighbour, d: Extract<Descriptor, { type: 'queryhit' }>): void {
    const back = this.routes.get(routeKey(d.id, 'query'))
    if (back === undefined) { this.env.stats.inc('gnutella:drop-no-route'); return }
    n.lastUseful = this.env.now()
    // the servent id is half of SHA-256(peer id): a hit whose two do not agree lies about who answers
    if (d.peer !== undefined && d.servent !== serventIdOf(d.peer.id)) { refuse(this.env, n.ref, 'gnutella:hit-servent-mismatch', PENALTY.quota); return }
    this.pushRoutes.set(d.servent, n.ref.id)
    if (back === '') { this.deliverHits(n, d); return }
    const count = (this.hitsForwarded.get(d.id) ?? 0) + 1
    if (count > this.options.maxHitsPerQuery) { this.env.stats.inc('gnutella:drop-hit-cap'); return }
    this.hitsForwarded.set(d.id, count)
    const to = this.neighbours.get(back)
    if (to !== undefined && d.ttl > 0) this.env.send(to.ref, d)
    else this.env.stats.inc('gnutella:drop-route-gone')
  }

  /**
   * Results for our own search. A QueryHit may name any peer (the answering servent is reached over
   * several hops and cannot be checked here), so: duplicates (peer, hash) count once, and one neighbour
   * may contribute at most `neighbourHitShare` of the limit; a lie then costs one download attempt,
   * which the content hash and the Noise-authenticated holder turn into a counted failure.
   */
  private deliverHits (n: Neighbour, d: Extract<Descriptor, { type: 'queryhit' }>): void {
    const s = this.searches.get(d.id)
    if (s === undefined) { this.env.stats.inc('gnutella:late-hits'); return }
    if (d.peer === undefined) { this.env.stats.inc('gnutella:hit-without-peer'); return }
    const cap = this.neighbours.size > 1 ? Math.max(1, Math.ceil(s.limit * this.options.neighbourHitShare)) : Infinity
    for (const r of d.results) {
      if (r.hash === undefined) { this.env.stats.inc('gnutella:hit-without-hash'); continue }
      const fileKeywords = keywordsOf(r.name)
      if (!s.keywords.every(k => fileKeywords.includes(k))) { refuse(this.env, n.ref, 'gnutella:hit-not-matching', PENALTY.quota); continue }
      const key = `${d.peer.id}\u0000${r.hash}`
      if (s.seen.has(key)) { this.env.stats.inc('gnutella:hit-duplicate'); continue }
      const via = s.via.get(n.ref.id) ?? 0
      if (via >= cap) { refuse(this.env, n.ref, 'gnutella:hit-neighbour-cap', PENALTY.quota); continue }
      s.seen.add(key)
      s.via.set(n.ref.id, via + 1)
      const hit: GnutellaHit = { peer: d.peer, name: r.name, size: r.size, hash: r.hash, hops: d.hops, servent: d.servent, index: r.index, firewalled: d.push }
      s.count++
      this.env.emit({ type: 'gnutella:hit', query: d.id, hit })
      s.onHit(hit)
      if (s.count >= s.limit) { this.endSearch(d.id, null); return }
    }
  }

  private onPush (n: Neighbour, d: Extract<Descriptor, { type: 'push' }>): void {
    if (!this.firstSighting(d, n.ref.id)) return
    if (d.servent === this.servent) {
      const f = this.catalog.getByIndex(d.index)
      if (f === undefined || d.peer === undefined) { this.env.stats.inc('gnutella:push-unusable'); return }
      this.transfers.pushTo(d.peer, f.hash)
      return
    }
    const via = this.pushRoutes.get(d.servent)
    const to = via === undefined ? undefined : this.neighbours.get(via)
    if (to === undefined) { this.env.stats.inc('gnutella:drop-no-route'); return }
    if (d.ttl > 0) this.env.send(to.ref, d)
  }

  private sendPing (only?: string[]): void {
    const id = toHex(this.env.rng.bytes(16))
    this.routes.set(routeKey(id, 'ping'), '')
    const ping: Descriptor = { type: 'ping', id, ttl: this.options.ttl, hops: 0 }
    for (const [nid, n] of this.neighbours) if (only === undefined || only.includes(nid)) this.env.send(n.ref, ping)
  }

  onTimer (key: string): void {
    if (this.transfers.onTimer(key)) return
    if (key === 'maintain') { this.maintain(); return }
    if (key === 'ping') {
      if (!this.running) return
      // with pong caching, ping only to discover hosts we lack (answers come from neighbours' caches,
      // never a flood); without it, the classic 0.4 periodic ping flood
      const o = this.options
      if (!o.pongCaching || this.neighbours.size < o.targetDegree || this.hosts.size < o.hostsWanted) this.sendPing()
      this.env.setTimer('ping', o.pingIntervalMs)
      return
    }
    if (key.startsWith('s:')) { this.endSearch(key.slice(2), null); return }
    if (key.startsWith('c:')) this.links.connectTimedOut(key.slice(2))
  }

  private maintain (): void {
    if (!this.running) return
    const o = this.options
    const now = this.env.now()
    const quiet: string[] = []
    for (const [id, n] of this.neighbours) {
      if (now - n.lastSeen > o.neighbourTimeoutMs) this.links.dropNeighbour(id, 'silent', true)
      else if (now - n.lastSeen > n.quietAfter) quiet.push(id)
    }
    // a TTL-1 ping to quiet neighbours doubles as a keep-alive
    if (quiet.length > 0) {
      const id = toHex(this.env.rng.bytes(16))
      this.routes.set(routeKey(id, 'ping'), '')
      for (const q of quiet) { const n = this.neighbours.get(q); if (n !== undefined) this.env.send(n.ref, { type: 'ping', id, ttl: 1, hops: 0 }) }
    }
    const missing = o.targetDegree - this.neighbours.size - this.links.pending.size
    if (missing > 0) {
      const candidates = this.hosts.candidates(now, o.retryMs).filter(h => h.id !== this.env.self.id && !this.neighbours.has(h.id) && !this.links.pending.has(h.id))
      for (const c of this.env.rng.sample(candidates, missing)) this.connect(c)
    }
    this.env.setTimer('maintain', o.maintainMs)
  }

  onIo (token: string, result: IoResult): void { this.transfers.onIo(token, result) }

  onPeerUnreachable (peer: PeerRef): void {
    this.links.unreachable(peer)
    this.transfers.onPeerUnreachable(peer)
  }

  onPeerConnected (_peer: PeerRef): void {}
}
