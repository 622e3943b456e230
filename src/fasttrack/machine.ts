/**
 * The FastTrack machine: one per node, a leaf or a supernode. Leaves keep a refresh list of
 * supernodes, attach to one, upload their share list and send their queries through it; when it
 * fails they re-attach to another from the list and re-upload. Where no supernode has room, a bully
 * election by (capacity, id) promotes the most capable eligible node of the region (election.ts);
 * the supernode role itself lives in supernode.ts.
 */
import type { Env, IoResult, Machine, PeerRef, SearchHit, SharedFile } from '../overlay/index.js'
import type { FastTrackEvent } from './events.js'
import { PENALTY, refuse } from '../overlay/penalty.js'
import type { SearchMachine, SearchRunOptions } from '../search/api.js'
import { FileCatalog } from '../search/catalog.js'
import { keywordsOf } from '../search/keywords.js'
import { isXferMsg } from '../search/transfer-codec.js'
import { Transfers, type DownloadCallbacks } from '../search/transfer.js'
import { AttachBackoff, RttEstimator } from './attach-backoff.js'
import { capacityScore, isEligible } from './capacity.js'
import type { FtContext } from './context.js'
import { Election } from './election.js'
import { LIMITS } from './limits.js'
import type { FastTrackHit, FastTrackMsg, FtMessage, FtOf, HitEntry, Role, ShareEntry, SupernodeInfo } from './messages.js'
import { ROLE_LEAF, ROLE_SUPERNODE } from './messages.js'
import { stampAddresses } from './env-stamp.js'
import { SearchTable } from './searches.js'
import { type FastTrackOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { CandidateList, RefreshList } from './refresh-list.js'
import { Discovery } from './discovery.js'
import { SupernodeRole } from './supernode.js'
import { LeafRole } from './leaf.js'

export class FastTrackMachine implements Machine<FastTrackMsg>, SearchMachine {
  readonly o: ResolvedOptions
  readonly refresh: RefreshList
  readonly candidates: CandidateList
  readonly election: Election
  private readonly ctx: FtContext
  private sn: SupernodeRole | undefined
  /** The leaf side: attachment, heartbeats, failover, searches through the supernode. */
  private readonly leaf: LeafRole
  /** Supernodes that refused us (full), and when; timeouts are kept in `backoff` instead. */
  private readonly tried = new Map<string, number>()
  private readonly backoff: AttachBackoff
  private readonly rtt = new RttEstimator()
  /** Probes, gossip merging and the peers to ask (discovery.ts). */
  private readonly disc: Discovery
  /** What this node shares, with the io store of each file's bytes. */
  readonly catalog = new FileCatalog()
  readonly transfers: Transfers
  private readonly searches: SearchTable
  private startedAt = 0
  private demotedAt = -Infinity
  private resumeElection: (() => void) | undefined
  private joined = false
  private stopped = false

  /** The Env with `send` stamping our addresses on introduction messages (see INTRO_TYPES). */
  readonly env: Env<FastTrackMsg, FastTrackEvent>

  constructor (raw: Env<FastTrackMsg, FastTrackEvent>, options: FastTrackOptions = {}) {
    const env = stampAddresses(raw)
    this.env = env
    this.searches = new SearchTable(env)
    this.o = resolveOptions(options)
    this.backoff = new AttachBackoff(this.o.attachTimeoutMs, 4 * this.o.attachTimeoutMs, this.o.leafTimeoutMs)
    const self = env.self.id
    this.refresh = new RefreshList(this.o.refreshListSize, self)
    this.candidates = new CandidateList(this.o.maxCandidates, self)
    for (const f of this.o.shares) this.catalog.add(f, f.store ?? `share/${f.hash}`)
    this.transfers = new Transfers(env, (to, m) => { env.send(to, m) }, h => this.catalog.get(h), this.o.transfer)
    this.ctx = {
      env,
      o: this.o,
      refresh: this.refresh,
      candidates: this.candidates,
      rtt: this.rtt,
      capacity: () => this.capacity(),
      // a node that just demoted (its region has room to spare) sits out elections for a while
      eligible: () => isEligible(this.o, this.uptime()) && env.now() - this.demotedAt >= this.o.demotePeriods * this.o.maintenanceMs,
      selfInfo: () => ({ peer: env.self, capacity: this.capacity(), leaves: this.sn?.leaves.size ?? 0, room: this.sn?.hasRoom() ?? false }),
      bad: (reason, from, weight) => {
        env.stats.inc('ft.bad')
        if (from === undefined) env.stats.inc(`ft.bad.${reason}`)
        else refuse(env, from, `ft.bad.${reason}`, weight ?? PENALTY.refused)
      }
    }
    this.disc = new Discovery(this.ctx, {
      role: () => this.role,
      leafCount: () => this.sn?.leaves.size ?? 0,
      replied: () => {
        if (this.sn !== undefined) { this.sn.fillLinks(); return }
        if (this.joined && !this.attached && this.leaf.attaching === undefined && !this.election.running && this.refresh.hasRoomElsewhere()) this.seek()
      }
    }, this.backoff)
    this.election = new Election(this.ctx, {
      isSupernode: () => this.sn !== undefined,
      knownSupernodeWithRoom: (exclude) => {
        const leaf = this.leaf
        if (leaf.parent !== undefined && exclude.has(leaf.parent.peer.id)) leaf.parent = { ...leaf.parent, room: false }
        if (leaf.parent?.room === true) return leaf.parent
        return this.refresh.sample(env.rng, 4).find(s => s.room && !exclude.has(s.peer.id))
      },
      refusedBy: () => [...this.tried.keys()],
      hasRoom: () => this.sn?.hasRoom() ?? false,
      promote: () => this.promote(),
      onWinner: (w) => this.onWinner(w),
      noCandidates: () => { this.disc.noCandidates() },
      refreshRegion: (resume) => {
        if (!this.disc.regionProbe()) return false
        this.resumeElection = resume
        env.setTimer('elect-resume', this.disc.probeWait())
        return true
      }
    })
    this.leaf = new LeafRole(this.ctx, {
      learn: (sns, cands) => { this.disc.learn(sns, cands) },
      notASupernode: (id) => { this.disc.notASupernode(id) },
      seek: () => { this.seek() },
      isSupernode: () => this.sn !== undefined,
      sharedFiles: () => this.sharedFiles(),
      attached: (from) => {
        this.election.cancel()
        env.clearTimer('seek')
        this.leaf.uploadShares(from)
        env.stats.inc('ft.attach')
        env.emit({ type: 'fasttrack:attached', supernode: from.id })
        for (const qid of this.searches.qids()) this.sendSearch(qid)
      }
    }, this.searches, this.tried, this.backoff)
  }

  // ---- public state, for the service, the simulator driver and tests ----

  get role (): Role { return this.sn !== undefined ? ROLE_SUPERNODE : ROLE_LEAF }
  get isSupernode (): boolean { return this.sn !== undefined }
  /** The supernode this leaf is attached to (undefined while orphaned or when a supernode). */
  get supernode (): PeerRef | undefined { return this.leaf.parent?.peer }
  get supernodeRole (): SupernodeRole | undefined { return this.sn }
  get attached (): boolean { return this.sn !== undefined || this.leaf.parent !== undefined }
  sharedFiles (): ShareEntry[] { return this.catalog.list().map(toShareEntry) }
  capacity (): number { return capacityScore(this.o.capacity.upKbps, this.uptime(), this.o.uptimeSaturationMs) }
  uptime (): number { return this.o.capacity.priorUptimeMs + this.env.now() - this.startedAt }

  start (): void {
    this.startedAt = this.env.now()
    this.env.setTimer('maint', this.env.rng.range(0.5, 1) * this.o.maintenanceMs)
    this.env.setTimer('join', this.o.joinJitterMs > 0 ? this.env.rng.range(0, this.o.joinJitterMs) : 0)
  }

  stop (): void {
    this.stopped = true
    if (this.sn !== undefined) this.sn.stop()
    else if (this.leaf.parent !== undefined) this.env.send(this.leaf.parent.peer, { type: 'detach', supernodes: [], candidates: [] })
    this.searches.finishAll()
    this.transfers.stop()
  }

  /** A peer we were introduced to (live: `FastTrackService.introduce`): ask it whom it knows. */
  introduce (peer: PeerRef): void {
    if (this.stopped || peer.id === this.env.self.id) return
    this.disc.addHost(peer)
    this.disc.probe(peer)
  }

  // ---- SearchMachine (the FileSearch capability is built on these, see src/search/api.ts)

  /** Share a file whose bytes are in io store `store`; it is indexed at our supernode (or by us as one). */
  share (file: SharedFile, store: string): void {
    const entry = toShareEntry(this.catalog.add(file, store))
    if (this.sn !== undefined) this.sn.indexOwn([entry])
    else this.leaf.shareOne(entry)
  }

  unshare (hash: string): void {
    if (this.catalog.remove(hash) === undefined) return
    if (this.sn !== undefined) this.sn.unindexOwn(hash)
    else if (this.leaf.parent !== undefined) this.env.send(this.leaf.parent.peer, { type: 'unshare', hashes: [hash] })
  }

  /**
   * Search through our supernode (or, as one, from our own index and the supernode flood). An orphan's
   * search waits for the next attachment, within its timeout. Returns a cancel function.
   */
  search (text: string, options: SearchRunOptions, onHit: (hit: SearchHit) => void, done: (err: Error | null) => void): () => void {
    const qid = this.searches.open(text, options, onHit, done)
    if (qid === undefined) return () => {}
    this.sendSearch(qid)
    return () => { this.searches.finish(qid) }
  }

  /** Download a hit over the shared direct-transfer protocol; a firewalled holder is asked to push through its supernode. */
  fetch (hit: SearchHit, request: { store: string, offset: number, collect: boolean }, cb: DownloadCallbacks): () => void {
    const h = hit as Partial<FastTrackHit>
    return this.transfers.downloadHit(hit, request, () => {
      if (h.via === undefined) return false
      this.env.stats.inc('ft.push.requested')
      this.env.send(h.via, { type: 'push', target: hit.peer.id, requester: this.env.self, hash: hit.hash, token: '' })
      return true
    }, cb)
  }

  // ---- machine callbacks ----

  onTimer (key: string): void {
    if (this.stopped) return
    if (this.transfers.onTimer(key)) return
    if (key === 'maint') { this.maintenance(); return }
    if (key === 'join') { this.join(); return }
    if (key === 'elect') { this.election.onTimer(); return }
    if (key === 'elect-resume') { const r = this.resumeElection; this.resumeElection = undefined; r?.(); return }
    if (key === 'attach') { this.leaf.attachTimedOut(); return }
    if (key === 'pong') { this.leaf.failover('timeout'); return }
    if (key === 'seek') { if (!this.attached && this.leaf.attaching === undefined) this.seek(); return }
    if (key.startsWith('search:')) this.searches.finish(key.slice(7))
  }

  onPeerUnreachable (peer: PeerRef): void {
    if (this.stopped) return
    this.transfers.onPeerUnreachable(peer)
    this.refresh.remove(peer.id)
    this.candidates.remove(peer.id)
    this.sn?.peerGone(peer.id)
    if (this.leaf.parent?.peer.id === peer.id) this.leaf.failover('unreachable')
    else if (this.leaf.attaching?.peer.id === peer.id) this.leaf.attachUnreachable()
  }

  onIo (token: string, result: IoResult): void {
    this.transfers.onIo(token, result)
  }

  onMessage (from: PeerRef, msg: FastTrackMsg): void {
    if (this.stopped) return
    if (isXferMsg(msg)) { this.transfers.onMessage(from, msg); return }
    const m: FtMessage = msg
    // the sender's own addresses (when it sent them) make its PeerRef worth handing on
    if (m.addrs !== undefined && m.addrs.length > 0) from = { id: from.id, addrs: m.addrs.slice(0, LIMITS.maxAddrs) }
    switch (m.type) {
      case 'probe': this.disc.onProbe(from, m); return
      case 'probe_reply': this.disc.onProbeReply(from, m); return
      case 'attach_reply': this.leaf.onAttachReply(from, m); return
      case 'elect': this.election.onElect(from, m); return
      case 'elect_ok': this.election.onOk(from, m); return
      case 'elect_no': this.election.onNo(from, m); return
      case 'coordinator': this.election.onCoordinator(from, m); return
    }
    if (this.sn !== undefined) {
      if (this.sn.onMessage(from, m)) return
    }
    switch (m.type) {
      case 'pong': this.leaf.onPong(from, m); return
      case 'detach':
        if (this.leaf.parent?.peer.id === from.id) { this.disc.learn(m.supernodes, m.candidates); this.refresh.remove(from.id); this.leaf.failover('detached') }
        return
      case 'hit': this.leaf.onHit(from, m); return
      case 'push':
        if (this.leaf.parent?.peer.id !== from.id) { this.ctx.bad('push-unsolicited', from); return }
        this.onPushRequest(m)
        return
      case 'ping':
        // we are a leaf: say so, so a peer that took us for a supernode learns otherwise
        this.env.send(from, { type: 'pong', role: ROLE_LEAF, capacity: this.capacity(), leaves: 0, supernodes: this.refresh.sample(this.env.rng, this.o.gossipSample) })
        return
      case 'attach':
        this.env.send(from, { type: 'attach_reply', accepted: false, capacity: this.capacity(), leaves: 0, supernodes: this.refresh.sample(this.env.rng, this.o.gossipSample), candidates: [] })
        return
      case 'link':
        this.env.send(from, { type: 'link_reply', accepted: false, capacity: this.capacity(), leaves: 0, supernodes: this.refresh.sample(this.env.rng, this.o.gossipSample) })
        return
      case 'query': this.ctx.bad('query-at-leaf'); return
      case 'shares': case 'unshare': this.ctx.bad('shares-not-supernode'); return
      default: // link_reply, unlink: stale messages for a role we no longer have
    }
  }

  // ---- joining and attaching ----

  private join (): void {
    this.joined = true
    for (const p of this.o.bootstrap) this.disc.probe(p)
    // attach as soon as a probe reply names a supernode, or when this fires
    this.env.setTimer('seek', this.o.bootstrap.length > 0 ? this.disc.probeWait() : 0)
  }

  /** Orphaned: attach to a supernode with room from the refresh list, or elect one. */
  private seek (): void {
    if (this.sn !== undefined || this.leaf.parent !== undefined || this.leaf.attaching !== undefined || this.stopped) return
    if (!this.disc.knowsAnyone()) return
    this.env.clearTimer('seek')
    const now = this.env.now()
    // refused by several supernodes in a row: the region is full, elect rather than try all 200
    const exclude = new Set([...this.tried.keys(), ...this.backoff.waitingIds(now)])
    const target = this.tried.size < this.o.maxAttachTries ? this.refresh.pickForAttach(this.env.rng, exclude) : undefined
    if (target !== undefined) { this.leaf.attach(target); return }
    // the supernodes we know refused us, or are slow and backed off from (refusals are forgotten
    // after refusalMemoryMs and on a win): come back to the slow ones when their backoff ends,
    // whatever else we do
    const retryAt = this.backoff.nextRetry(now, Infinity, id => this.refresh.has(id) && !this.tried.has(id))
    if (retryAt !== undefined) this.env.setTimer('seek', retryAt - now)
    if (this.disc.regionProbe()) { this.env.setTimer('seek', Math.min(this.disc.probeWait(), (retryAt ?? Infinity) - now)); return }
    this.election.start()
  }

  /**
   * How long a refusal keeps a supernode out of our attach picks: a period, but never less than a few
   * round trips. Clearing every refusal each period made a leaf on a slow network (round trips
   * longer than the period) go back to the same full supernodes over and over and never elect.
   */
  private refusalMemoryMs (): number { return Math.max(this.o.maintenanceMs, 3 * this.rtt.timeout(this.o.attachTimeoutMs, this.o.leafTimeoutMs)) }

  // ---- elections and roles ----

  private onWinner (winner: SupernodeInfo): void {
    this.backoff.isSupernode(winner.peer.id)
    this.refresh.upsert({ ...winner, room: true }, this.env.now(), true)
    this.candidates.remove(winner.peer.id)
    // a redirect to a supernode that already refused us this period is stale news: wait for the
    // next period (when peers' views of their supernodes' load are fresh) instead of looping
    if (this.tried.has(winner.peer.id)) { this.env.stats.inc('ft.elections.stale-redirect'); return }
    if (this.sn === undefined && this.leaf.parent === undefined && this.leaf.attaching === undefined) this.leaf.attach(winner)
  }

  private promote (): void {
    if (this.sn !== undefined) return
    this.leaf.detach()
    this.env.clearTimer('seek')
    this.candidates.remove(this.env.self.id)
    const sn = new SupernodeRole(this.ctx, {
      deliverHits: (qid, hits, hops) => { this.leaf.deliverHits(qid, hits, hops) },
      onPush: (m) => this.onPushRequest(m),
      demote: () => this.demote(),
      discover: (leaves) => { this.disc.discover(leaves) }
    })
    this.sn = sn
    this.tried.clear()
    sn.indexOwn(this.sharedFiles())
    this.env.stats.inc('ft.promotions')
    this.env.emit({ type: 'fasttrack:role', role: 'supernode' })
    this.election.announce(this.ctx.selfInfo())
    sn.start()
    for (const qid of this.searches.qids()) this.sendSearch(qid)
  }

  private demote (): void {
    const sn = this.sn
    if (sn === undefined) return
    sn.stop()
    this.sn = undefined
    this.demotedAt = this.env.now()
    this.tried.clear()
    this.env.emit({ type: 'fasttrack:role', role: 'leaf' })
    this.searches.markAllUnsent()
    this.seek()
  }

  private maintenance (): void {
    this.env.setTimer('maint', this.o.maintenanceMs)
    if (this.sn !== undefined) { this.sn.maintenance(); return }
    if (this.leaf.parent !== undefined) {
      this.leaf.pingParent()
    } else if (this.joined && this.leaf.attaching === undefined && !this.election.running) {
      const now = this.env.now()
      const memory = this.refusalMemoryMs()
      for (const [id, at] of this.tried) if (now - at >= memory) this.tried.delete(id)
      this.seek()
    }
  }

  // ---- searches ----

  private sendSearch (qid: string): void {
    const s = this.searches.get(qid)
    if (s === undefined || s.sent) return
    if (this.sn !== undefined) { s.sent = true; this.sn.originate(qid, s.text, this.o.queryTtl); return }
    // (sent when we attach, when not attached now)
    if (this.leaf.sendSearch(qid, s.text)) s.sent = true
  }

  /** A downloader cannot reach us (we are firewalled): connect out and offer the file. */
  private onPushRequest (m: FtOf<'push'>): void {
    this.env.emit({ type: 'fasttrack:push', requester: m.requester, hash: m.hash })
    this.transfers.pushTo(m.requester, m.hash)
  }

}

/** The wire form of a share; keywords only when they say more than the name does (saves upload bytes). */
function toShareEntry (f: SharedFile): ShareEntry {
  const own = f.keywords
  if (own === undefined || own.length === 0 || own.join(' ') === keywordsOf(f.name).join(' ')) return { name: f.name, size: f.size, hash: f.hash }
  return { name: f.name, size: f.size, hash: f.hash, keywords: own }
}
