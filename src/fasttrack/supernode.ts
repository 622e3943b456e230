/**
 * The supernode role: accepts leaves and indexes their shares, keeps links to other supernodes,
 * answers queries from its index and floods them among supernodes with a TTL, duplicate filter and
 * reverse-path routing of hits (as Gnutella does, one tier up), relays push requests to firewalled
 * leaves, and demotes itself when it keeps too few leaves.
 */
import type { PeerRef } from '../overlay/index.js'
import { minEligibleScore } from './capacity.js'
import type { FtContext } from './context.js'
import { LIMITS } from './limits.js'
import type { FtMessage, FtOf, HitEntry, ShareEntry } from './messages.js'
import { ROLE_SUPERNODE } from './messages.js'
import { ShareIndex } from './share-index.js'
import { type Bucket, bucket, take } from './bucket.js'
import { PENALTY } from '../overlay/penalty.js'

export interface SupernodeHooks {
  /** Hits for a search this node started itself. */
  deliverHits (qid: string, hits: HitEntry[], hops: number): void
  /** A push request addressed to this node itself. */
  onPush (m: FtOf<'push'>): void
  /** Leave the supernode tier (too few leaves for too long). */
  demote (): void
  /** We know too few supernodes to link to: ask around (bootstrap, hosts, candidates, leaves). */
  discover (leaves: PeerRef[]): void
}

/** `queries`/`files`: token buckets bounding the leaf's query rate and share-list uploads. */
interface Leaf { peer: PeerRef, firewalled: boolean, lastPing: number, epoch: number, queries: Bucket, files: Bucket }
interface Link { peer: PeerRef, capacity: number, leaves: number, lastSeen: number }
/** Where a query came from: a peer, or null for this node's own search; `ttl`: the most TTL it arrived with. */
interface Route { from: PeerRef | null, expires: number, ttl: number }

/** Round trips (measured, see FtContext.rtt) a new supernode waits at least before it may demote. */
const DEMOTE_ROUND_TRIPS = 4

export class SupernodeRole {
  readonly leaves = new Map<string, Leaf>()
  readonly links = new Map<string, Link>()
  readonly index: ShareIndex
  private readonly pendingLinks = new Map<string, number>()
  private readonly routes = new Map<string, Route>()
  private readonly since: number
  private lowPeriods = 0
  /** When the links were last pinged: their pongs are round-trip samples (a late one undercounts; harmless). */
  private linksPingedAt: number | undefined

  constructor (private readonly ctx: FtContext, private readonly hooks: SupernodeHooks) {
    this.index = new ShareIndex(ctx.o.maxSharesPerLeaf)
    this.since = ctx.env.now()
  }

  hasRoom (): boolean { return this.leaves.size < this.ctx.o.maxLeaves }

  /** Start: link to known supernodes. */
  start (): void { this.fillLinks() }

  /** Graceful exit (demotion or stop): tell leaves where to go, drop links. */
  stop (): void {
    const { env, refresh, candidates } = this.ctx
    const detach: FtMessage = { type: 'detach', supernodes: refresh.sample(env.rng, this.ctx.o.gossipSample), candidates: candidates.sample(env.rng, 16) }
    for (const l of this.leaves.values()) env.send(l.peer, detach)
    for (const l of this.links.values()) env.send(l.peer, { type: 'unlink' })
    this.leaves.clear(); this.links.clear(); this.pendingLinks.clear(); this.routes.clear()
  }

  /** Index this node's own shares (a supernode is a user too). */
  indexOwn (files: readonly ShareEntry[]): void {
    for (const f of files) this.index.add(this.ctx.env.self, this.ctx.o.capacity.firewalled, f)
  }

  unindexOwn (hash: string): void { this.index.remove(this.ctx.env.self.id, hash) }

  isLink (id: string): boolean { return this.links.has(id) }

  /** Has this supernode processed query `qid` (its reverse-path route is still kept)? */
  sawQuery (qid: string): boolean { return this.routes.has(qid) }

  /** Handle a message meant for the supernode tier; false when it is not one. */
  onMessage (from: PeerRef, m: FtMessage): boolean {
    switch (m.type) {
      case 'attach': this.onAttach(from, m); return true
      case 'shares': this.onShares(from, m); return true
      case 'unshare': {
        if (!this.leaves.has(from.id)) { this.ctx.bad('unshare-not-leaf'); return true }
        for (const h of m.hashes.slice(0, LIMITS.maxHashesPerFrame)) this.index.remove(from.id, h)
        return true
      }
      case 'ping': this.onPing(from); return true
      case 'pong': {
        const link = this.links.get(from.id)
        if (link !== undefined) {
          if (m.role !== ROLE_SUPERNODE) { this.dropLink(from.id); return true }
          if (this.linksPingedAt !== undefined) this.ctx.rtt.sample(this.ctx.env.now() - this.linksPingedAt)
          link.lastSeen = this.ctx.env.now(); link.leaves = m.leaves; link.capacity = m.capacity
          this.ctx.refresh.upsert({ peer: from, capacity: m.capacity, leaves: m.leaves, room: m.leaves < this.ctx.o.maxLeaves }, this.ctx.env.now())
        }
        this.mergeSample(m.supernodes)
        return true
      }
      case 'detach': {
        if (this.leaves.delete(from.id)) this.index.removeOwner(from.id)
        return true
      }
      case 'link': this.onLink(from, m); return true
      case 'link_reply': this.onLinkReply(from, m); return true
      case 'unlink': this.dropLink(from.id); return true
      case 'query': this.onQuery(from, m); return true
      case 'hit': this.onHit(from, m); return true
      case 'push': this.onPush(from, m); return true
      default: return false
    }
  }

  /** This node's own search: answered locally and flooded like a leaf's. */
  originate (qid: string, text: string, ttl: number): void {
    this.handleQuery(null, { type: 'query', qid, ttl, hops: 0, text }, true)
  }

  /** A peer is gone (unreachable or timed out). */
  peerGone (id: string): void {
    if (this.leaves.delete(id)) { this.index.removeOwner(id); this.ctx.env.stats.inc('ft.leaves.lost') }
    if (this.links.has(id)) this.dropLink(id)
    this.pendingLinks.delete(id)
  }

  /** Every maintenance period: expire leaves, links and routes; ping links; keep the degree; maybe demote. */
  maintenance (): void {
    const { env, o } = this.ctx
    const now = env.now()
    for (const [id, l] of this.leaves) {
      if (now - l.lastPing > o.leafTimeoutMs) { this.leaves.delete(id); this.index.removeOwner(id); env.stats.inc('ft.leaves.expired') }
    }
    for (const [id, l] of this.links) {
      if (now - l.lastSeen > 3 * o.maintenanceMs) this.dropLink(id)
    }
    for (const [id, at] of this.pendingLinks) if (now - at > o.replyTimeoutMs) this.pendingLinks.delete(id)
    for (const [qid, r] of this.routes) if (r.expires <= now) this.routes.delete(qid)
    const ping: FtMessage = { type: 'ping', capacity: this.ctx.capacity(), leaves: this.leaves.size }
    for (const l of this.links.values()) env.send(l.peer, ping)
    if (this.links.size > 0) this.linksPingedAt = now
    this.fillLinks()
    this.checkDemotion()
  }

  private checkDemotion (): void {
    const { env, o, refresh } = this.ctx
    if (this.leaves.size >= o.minLeaves) { this.lowPeriods = 0; return }
    this.lowPeriods++
    // on a slow network (round trips of seconds) leaves need several round trips to find and attach
    // to a new supernode: do not take their absence for a lack of demand before that
    const old = env.now() - this.since >= Math.max(o.demotePeriods * o.maintenanceMs, DEMOTE_ROUND_TRIPS * this.ctx.rtt.timeout(0, o.leafTimeoutMs))
    // a coin flip spreads the demotions of many small supernodes over several periods
    if (this.lowPeriods >= o.demotePeriods && old && refresh.hasRoomElsewhere() && env.rng.bool(0.5)) {
      env.stats.inc('ft.demotions')
      this.hooks.demote()
    }
  }

  /** Link to more supernodes from the refresh list, up to the target degree. */
  fillLinks (): void {
    const { env, o, refresh } = this.ctx
    const want = o.supernodeDegree - this.links.size - this.pendingLinks.size
    if (want <= 0) return
    const options = refresh.values().filter(s => !this.links.has(s.peer.id) && !this.pendingLinks.has(s.peer.id))
    if (options.length < want && this.links.size < o.supernodeDegree) {
      // our leaves' refresh lists name supernodes we have not heard of (a supernode promoted in a
      // corner of the network would otherwise stay an island)
      this.hooks.discover(env.rng.sample([...this.leaves.values()].map(l => l.peer), 4))
    }
    for (const s of env.rng.sample(options, want)) {
      this.pendingLinks.set(s.peer.id, env.now())
      env.send(s.peer, { type: 'link', capacity: this.ctx.capacity(), leaves: this.leaves.size })
    }
  }

  private dropLink (id: string): void {
    this.links.delete(id)
  }

  private mergeSample (sample: readonly FtOf<'pong'>['supernodes'][number][]): void {
    const { env, o, refresh } = this.ctx
    const min = minEligibleScore(o)
    for (const s of sample.slice(0, LIMITS.maxSupernodes)) {
      if (s.capacity < min) { this.ctx.bad('ineligible-claim'); continue }
      if (s.peer.id !== env.self.id) refresh.upsert(s, env.now(), true)
    }
  }

  private onAttach (from: PeerRef, m: FtOf<'attach'>): void {
    const { env, o, refresh, candidates } = this.ctx
    const now = env.now()
    const known = this.leaves.get(from.id)
    const accepted = known !== undefined || (this.hasRoom() && !this.links.has(from.id))
    if (accepted) {
      // a (re-)attach starts a new upload session: the leaf re-sends everything right after, and a
      // restarted leaf counts its epochs from 1 again
      if (known !== undefined) { known.lastPing = now; known.epoch = 0; this.index.removeOwner(from.id) } else this.leaves.set(from.id, { peer: from, firewalled: m.firewalled, lastPing: now, epoch: 0, queries: bucket(o.leafQueryBurst, now), files: bucket(o.leafShareBurst, now) })
      // an eligible leaf is a candidate for the next election in this region
      if (!m.firewalled && m.capacity >= minEligibleScore(o)) candidates.upsert({ peer: from, capacity: m.capacity }, now)
    }
    env.send(from, {
      type: 'attach_reply',
      accepted,
      capacity: this.ctx.capacity(),
      leaves: this.leaves.size,
      supernodes: refresh.sample(env.rng, o.gossipSample),
      candidates: candidates.sample(env.rng, 16).filter(c => c.peer.id !== from.id)
    })
  }

  private onShares (from: PeerRef, m: FtOf<'shares'>): void {
    const leaf = this.leaves.get(from.id)
    if (leaf === undefined) { this.ctx.bad('shares-not-leaf'); return }
    if (m.files.length > LIMITS.maxFilesPerFrame) { this.ctx.bad('shares-oversized', from); return }
    const { o, env } = this.ctx
    if (!take(leaf.files, m.files.length, env.now(), o.leafShareRate, o.leafShareBurst)) { this.ctx.bad('share-rate', from, PENALTY.quota); return }
    if (m.epoch < leaf.epoch) { this.ctx.env.stats.inc('ft.shares.stale'); return }
    if (m.epoch > leaf.epoch) { this.index.removeOwner(from.id); leaf.epoch = m.epoch }
    let refused = 0
    for (const f of m.files) {
      if (!validShare(f)) { this.ctx.bad('share-malformed'); continue }
      if (!this.index.add(leaf.peer, leaf.firewalled, f)) refused++
    }
    if (refused > 0) this.ctx.bad('shares-over-limit')
    leaf.lastPing = this.ctx.env.now()
  }

  private onPing (from: PeerRef): void {
    const { env, o, refresh } = this.ctx
    const now = env.now()
    const leaf = this.leaves.get(from.id)
    if (leaf !== undefined) leaf.lastPing = now
    const link = this.links.get(from.id)
    if (link !== undefined) link.lastSeen = now
    if (leaf === undefined && link === undefined && this.looksLikeOrphanedLeaf(from)) {
      // a leaf we forgot (timed out) still thinks it is attached: tell it to re-attach
      env.send(from, { type: 'detach', supernodes: refresh.sample(env.rng, o.gossipSample), candidates: [] })
      return
    }
    // leaves ping often and only need a trickle of fresh entries; supernodes exchange full samples
    const k = leaf !== undefined ? Math.ceil(o.gossipSample / 4) : o.gossipSample
    env.send(from, { type: 'pong', role: ROLE_SUPERNODE, capacity: this.ctx.capacity(), leaves: this.leaves.size, supernodes: refresh.sample(env.rng, k) })
  }

  /** Supernodes ping too; only a peer we do not know as a supernode can be a forgotten leaf. */
  private looksLikeOrphanedLeaf (from: PeerRef): boolean {
    return !this.ctx.refresh.has(from.id)
  }

  private onLink (from: PeerRef, m: FtOf<'link'>): void {
    const { env, o, refresh } = this.ctx
    if (m.capacity < minEligibleScore(o)) {
      this.ctx.bad('link-ineligible')
      env.send(from, { type: 'link_reply', accepted: false, capacity: this.ctx.capacity(), leaves: this.leaves.size, supernodes: [] })
      return
    }
    const now = env.now()
    refresh.upsert({ peer: from, capacity: m.capacity, leaves: m.leaves, room: m.leaves < o.maxLeaves }, now)
    const accepted = this.links.has(from.id) || (this.links.size < o.maxSupernodeLinks && !this.leaves.has(from.id))
    if (accepted) {
      this.links.set(from.id, { peer: from, capacity: m.capacity, leaves: m.leaves, lastSeen: now })
      this.pendingLinks.delete(from.id)
    }
    env.send(from, { type: 'link_reply', accepted, capacity: this.ctx.capacity(), leaves: this.leaves.size, supernodes: refresh.sample(env.rng, o.gossipSample) })
  }

  private onLinkReply (from: PeerRef, m: FtOf<'link_reply'>): void {
    const { env, o, refresh } = this.ctx
    const asked = this.pendingLinks.delete(from.id)
    this.mergeSample(m.supernodes)
    if (!asked) {
      // a late acceptance (our request had expired): tell it, or it would keep a one-sided link
      if (m.accepted && !this.links.has(from.id)) { env.stats.inc('ft.late.link-reply'); env.send(from, { type: 'unlink' }) }
      return
    }
    if (!m.accepted) return
    if (m.capacity < minEligibleScore(o)) { this.ctx.bad('link-ineligible'); env.send(from, { type: 'unlink' }); return }
    if (this.links.size >= o.maxSupernodeLinks) { env.send(from, { type: 'unlink' }); return }
    const now = env.now()
    this.links.set(from.id, { peer: from, capacity: m.capacity, leaves: m.leaves, lastSeen: now })
    refresh.upsert({ peer: from, capacity: m.capacity, leaves: m.leaves, room: m.leaves < o.maxLeaves }, now)
  }

  private onQuery (from: PeerRef, m: FtOf<'query'>): void {
    const leaf = this.leaves.get(from.id)
    const fromLeaf = leaf !== undefined
    if (leaf !== undefined && !take(leaf.queries, 1, this.ctx.env.now(), this.ctx.o.leafQueryRate, this.ctx.o.leafQueryBurst)) { this.ctx.bad('query-rate', from, PENALTY.quota); return }
    if (!fromLeaf && !this.links.has(from.id)) {
      this.ctx.bad('query-not-linked', from)
      // if it believes we are linked (a one-sided link), this repairs its view
      this.ctx.env.send(from, { type: 'unlink' })
      return
    }
    this.handleQuery(from, m, fromLeaf)
  }

  private handleQuery (from: PeerRef | null, m: FtOf<'query'>, origin: boolean): void {
    const { env, o } = this.ctx
    if (m.ttl + m.hops > o.maxTtl || m.ttl < 0 || m.hops < 0 || (!origin && m.hops === 0)) { this.ctx.bad('ttl'); return }
    if (m.text.length > LIMITS.maxQueryLength) { this.ctx.bad('query-oversized'); return }
    const seen = this.routes.get(m.qid)
    if (seen !== undefined) {
      env.stats.inc('ft.query.duplicate')
      // A copy that took a longer path may have arrived first with less TTL left; without this, a
      // supernode within TTL hops of the origin could be missed (the Gnutella 0.4 flood has that
      // flaw). Forward the better copy once more; answer nothing twice.
      if (m.ttl <= seen.ttl) return
      seen.ttl = m.ttl
      env.stats.inc('ft.query.reforwarded')
    } else {
      this.routes.set(m.qid, { from, expires: env.now() + o.routeTtlMs, ttl: m.ttl })
      const hits = this.index.search(m.text, o.maxHitsPerQuery, env.self, origin && from !== null ? from.id : undefined)
      if (hits.length > 0) this.sendHits(from, m.qid, m.hops, hits)
    }
    // origin: forward with ttl-1 at hops 1; from a supernode: forward while ttl remains
    if (m.ttl <= 0) return
    const fwd: FtMessage = { type: 'query', qid: m.qid, ttl: m.ttl - 1, hops: m.hops + 1, text: m.text }
    for (const l of this.links.values()) {
      if (from !== null && l.peer.id === from.id) continue
      env.send(l.peer, fwd)
    }
  }

  private sendHits (to: PeerRef | null, qid: string, hops: number, hits: HitEntry[]): void {
    for (let i = 0; i < hits.length; i += LIMITS.maxHitsPerFrame) {
      const chunk = hits.slice(i, i + LIMITS.maxHitsPerFrame)
      if (to === null) this.hooks.deliverHits(qid, chunk, hops)
      else this.ctx.env.send(to, { type: 'hit', qid, hops, hits: chunk })
    }
  }

  private onHit (from: PeerRef, m: FtOf<'hit'>): void {
    if (!this.links.has(from.id)) { this.ctx.bad('hit-not-linked', from); return }
    const route = this.routes.get(m.qid)
    if (route === undefined) { this.ctx.bad('unseen-hit'); return }
    if (m.hits.length > LIMITS.maxHitsPerFrame) { this.ctx.bad('hits-oversized'); return }
    if (route.from === null) this.hooks.deliverHits(m.qid, m.hits, m.hops)
    else this.ctx.env.send(route.from, m)
  }

  private onPush (_from: PeerRef, m: FtOf<'push'>): void {
    if (m.target === this.ctx.env.self.id) { this.hooks.onPush(m); return }
    const leaf = this.leaves.get(m.target)
    if (leaf === undefined) { this.ctx.bad('push-unknown-target'); return }
    this.ctx.env.stats.inc('ft.push.relayed')
    this.ctx.env.send(leaf.peer, m)
  }
}

function validShare (f: ShareEntry): boolean {
  return typeof f.name === 'string' && f.name.length <= LIMITS.maxNameLength &&
    typeof f.hash === 'string' && f.hash.length > 0 && f.hash.length <= LIMITS.maxHashLength &&
    Number.isSafeInteger(f.size) && f.size >= 0 &&
    (f.keywords === undefined || (f.keywords.length <= LIMITS.maxKeywordsPerFile && f.keywords.every(k => typeof k === 'string' && k.length <= LIMITS.maxKeywordLength)))
}
