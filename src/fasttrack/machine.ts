/**
 * The FastTrack machine: one per node, a leaf or a supernode. Leaves keep a refresh list of
 * supernodes, attach to one, upload their share list and send their queries through it; when it
 * fails they re-attach to another from the list and re-upload. Where no supernode has room, a bully
 * election by (capacity, id) promotes the most capable eligible node of the region (election.ts);
 * the supernode role itself lives in supernode.ts.
 */
import type { Env, IoResult, Machine, OverlayEvent, PeerRef, SearchHit, SharedFile } from '../overlay/index.js'
import { PENALTY, refuse } from '../overlay/penalty.js'
import type { SearchMachine, SearchRunOptions } from '../search/api.js'
import { FileCatalog } from '../search/catalog.js'
import { keywordsOf } from '../search/keywords.js'
import { isXferMsg } from '../search/transfer-codec.js'
import { Transfers, type DownloadCallbacks } from '../search/transfer.js'
import { AttachBackoff, RttEstimator } from './attach-backoff.js'
import { capacityScore, isEligible, minEligibleScore } from './capacity.js'
import type { FtContext } from './context.js'
import { Election } from './election.js'
import { LIMITS } from './limits.js'
import type { CandidateInfo, FastTrackHit, FastTrackMsg, FtMessage, FtOf, HitEntry, Role, ShareEntry, SupernodeInfo } from './messages.js'
import { ROLE_LEAF, ROLE_SUPERNODE } from './messages.js'
import { stampAddresses } from './env-stamp.js'
import { SearchTable } from './searches.js'
import { type FastTrackOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { CandidateList, RefreshList, peersOf } from './refresh-list.js'
import { SupernodeRole } from './supernode.js'

export class FastTrackMachine implements Machine<FastTrackMsg>, SearchMachine {
  readonly o: ResolvedOptions
  readonly refresh: RefreshList
  readonly candidates: CandidateList
  readonly election: Election
  private readonly ctx: FtContext
  private sn: SupernodeRole | undefined
  /** Leaf: the supernode we are attached to, or trying to attach to. */
  private parent: SupernodeInfo | undefined
  private attaching: SupernodeInfo | undefined
  /** Supernodes that refused us (full), and when; timeouts are kept in `backoff` instead. */
  private readonly tried = new Map<string, number>()
  private readonly backoff: AttachBackoff
  private readonly rtt = new RttEstimator()
  /** The last ping to a supernode (its pong, even late, is a round-trip sample). */
  private lastPing: { id: string, at: number } | undefined
  /** Peers that probed us lately: someone to ask when we know nobody else (bounded, oldest first out). */
  private readonly hosts: PeerRef[] = []
  /** What this node shares, with the io store of each file's bytes. */
  readonly catalog = new FileCatalog()
  readonly transfers: Transfers
  private readonly searches: SearchTable
  private startedAt = 0
  private shareEpoch = 0
  private lastRegionProbe = -Infinity
  private lastDiscovery = -Infinity
  private demotedAt = -Infinity
  private resumeElection: (() => void) | undefined
  private pingInFlight = false
  private lastPong = -Infinity
  private joined = false
  private stopped = false

  /** The Env with `send` stamping our addresses on introduction messages (see INTRO_TYPES). */
  readonly env: Env<FastTrackMsg, OverlayEvent>

  constructor (raw: Env<FastTrackMsg, OverlayEvent>, options: FastTrackOptions = {}) {
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
    this.election = new Election(this.ctx, {
      isSupernode: () => this.sn !== undefined,
      knownSupernodeWithRoom: (exclude) => {
        if (this.parent !== undefined && exclude.has(this.parent.peer.id)) this.parent = { ...this.parent, room: false }
        if (this.parent?.room === true) return this.parent
        return this.refresh.sample(env.rng, 4).find(s => s.room && !exclude.has(s.peer.id))
      },
      refusedBy: () => [...this.tried.keys()],
      hasRoom: () => this.sn?.hasRoom() ?? false,
      promote: () => this.promote(),
      onWinner: (w) => this.onWinner(w),
      noCandidates: () => this.noCandidates(),
      refreshRegion: (resume) => {
        if (!this.regionProbe()) return false
        this.resumeElection = resume
        env.setTimer('elect-resume', this.probeWait())
        return true
      }
    })
  }

  // ---- public state, for the service, the simulator driver and tests ----

  get role (): Role { return this.sn !== undefined ? ROLE_SUPERNODE : ROLE_LEAF }
  get isSupernode (): boolean { return this.sn !== undefined }
  /** The supernode this leaf is attached to (undefined while orphaned or when a supernode). */
  get supernode (): PeerRef | undefined { return this.parent?.peer }
  get supernodeRole (): SupernodeRole | undefined { return this.sn }
  get attached (): boolean { return this.sn !== undefined || this.parent !== undefined }
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
    else if (this.parent !== undefined) this.env.send(this.parent.peer, { type: 'detach', supernodes: [], candidates: [] })
    this.searches.finishAll()
    this.transfers.stop()
  }

  /** A peer we were introduced to (live: `FastTrackService.introduce`): ask it whom it knows. */
  introduce (peer: PeerRef): void {
    if (this.stopped || peer.id === this.env.self.id) return
    if (!this.hosts.some(h => h.id === peer.id)) { this.hosts.push(peer); if (this.hosts.length > 16) this.hosts.shift() }
    this.probe(peer)
  }

  // ---- SearchMachine (the FileSearch capability is built on these, see src/search/api.ts)

  /** Share a file whose bytes are in io store `store`; it is indexed at our supernode (or by us as one). */
  share (file: SharedFile, store: string): void {
    const entry = toShareEntry(this.catalog.add(file, store))
    if (this.sn !== undefined) this.sn.indexOwn([entry])
    else if (this.parent !== undefined) this.env.send(this.parent.peer, { type: 'shares', epoch: this.shareEpoch, files: [entry] })
  }

  unshare (hash: string): void {
    if (this.catalog.remove(hash) === undefined) return
    if (this.sn !== undefined) this.sn.unindexOwn(hash)
    else if (this.parent !== undefined) this.env.send(this.parent.peer, { type: 'unshare', hashes: [hash] })
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
    if (key === 'attach') { this.attachTimedOut(); return }
    if (key === 'pong') { this.failover('timeout'); return }
    if (key === 'seek') { if (!this.attached && this.attaching === undefined) this.seek(); return }
    if (key.startsWith('search:')) this.searches.finish(key.slice(7))
  }

  onPeerUnreachable (peer: PeerRef): void {
    if (this.stopped) return
    this.transfers.onPeerUnreachable(peer)
    this.refresh.remove(peer.id)
    this.candidates.remove(peer.id)
    this.sn?.peerGone(peer.id)
    if (this.parent?.peer.id === peer.id) this.failover('unreachable')
    else if (this.attaching?.peer.id === peer.id) this.attachUnreachable()
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
      case 'probe': this.onProbe(from, m); return
      case 'probe_reply': this.onProbeReply(from, m); return
      case 'attach_reply': this.onAttachReply(from, m); return
      case 'elect': this.election.onElect(from, m); return
      case 'elect_ok': this.election.onOk(from, m); return
      case 'elect_no': this.election.onNo(from, m); return
      case 'coordinator': this.election.onCoordinator(from, m); return
    }
    if (this.sn !== undefined) {
      if (this.sn.onMessage(from, m)) return
    }
    switch (m.type) {
      case 'pong': this.onPong(from, m); return
      case 'detach':
        if (this.parent?.peer.id === from.id) { this.learn(m.supernodes, m.candidates); this.refresh.remove(from.id); this.failover('detached') }
        return
      case 'hit': this.onLeafHit(from, m); return
      case 'push':
        if (this.parent?.peer.id !== from.id) { this.ctx.bad('push-unsolicited'); return }
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
    for (const p of this.o.bootstrap) this.probe(p)
    // attach as soon as a probe reply names a supernode, or when this fires
    this.env.setTimer('seek', this.o.bootstrap.length > 0 ? this.probeWait() : 0)
  }

  private probe (peer: PeerRef): void {
    if (peer.id === this.env.self.id) return
    this.env.send(peer, { type: 'probe', capacity: this.capacity(), eligible: this.ctx.eligible(), role: this.role })
  }

  private onProbe (from: PeerRef, m: FtOf<'probe'>): void {
    const now = this.env.now()
    if (!this.hosts.some(h => h.id === from.id)) { this.hosts.push(from); if (this.hosts.length > 16) this.hosts.shift() }
    if (m.role === ROLE_LEAF && this.refresh.has(from.id)) this.notASupernode(from.id)
    if (m.role === ROLE_LEAF && m.eligible && m.capacity >= minEligibleScore(this.o)) this.candidates.upsert({ peer: from, capacity: m.capacity }, now)
    if (m.role === ROLE_SUPERNODE && m.capacity >= minEligibleScore(this.o) && this.refresh.get(from.id) === undefined) {
      this.refresh.upsert({ peer: from, capacity: m.capacity, leaves: 0, room: true }, now)
    }
    this.env.send(from, {
      type: 'probe_reply',
      capacity: this.capacity(),
      eligible: this.ctx.eligible(),
      role: this.role,
      leaves: this.sn?.leaves.size ?? 0,
      supernodes: this.sn !== undefined ? [this.ctx.selfInfo(), ...this.refresh.sample(this.env.rng, this.o.gossipSample - 1)] : this.refresh.sample(this.env.rng, this.o.gossipSample),
      candidates: this.candidates.sample(this.env.rng, 16).filter(c => c.peer.id !== from.id)
    })
  }

  private onProbeReply (from: PeerRef, m: FtOf<'probe_reply'>): void {
    const now = this.env.now()
    if (m.role === ROLE_SUPERNODE) {
      if (m.capacity >= minEligibleScore(this.o)) { this.refresh.upsert({ peer: from, capacity: m.capacity, leaves: m.leaves, room: m.leaves < this.o.maxLeaves }, now); this.backoff.isSupernode(from.id) } else this.ctx.bad('ineligible-claim')
    } else {
      this.notASupernode(from.id)
      if (m.eligible && m.capacity >= minEligibleScore(this.o)) this.candidates.upsert({ peer: from, capacity: m.capacity }, now)
    }
    this.learn(m.supernodes, m.candidates)
    if (this.sn !== undefined) { this.sn.fillLinks(); return }
    if (this.joined && !this.attached && this.attaching === undefined && !this.election.running && this.refresh.hasRoomElsewhere()) this.seek()
  }

  /** Merge gossip: refresh-list entries and candidates, refusing ineligible claims. */
  private learn (sns: readonly SupernodeInfo[], cands: readonly CandidateInfo[]): void {
    const now = this.env.now()
    const min = minEligibleScore(this.o)
    for (const s of sns.slice(0, LIMITS.maxSupernodes)) {
      if (s.capacity < min) { this.ctx.bad('ineligible-claim'); continue }
      if (s.peer.id === this.env.self.id) continue
      if (this.backoff.knownNotSupernode(s.peer.id, now, this.notSupernodeMemoryMs())) continue
      this.refresh.upsert(s, now, true)
      this.candidates.remove(s.peer.id)
    }
    for (const c of cands.slice(0, LIMITS.maxCandidates)) {
      if (c.capacity < min || this.refresh.has(c.peer.id)) continue
      this.candidates.upsert(c, now)
    }
  }

  /** A peer said itself it is no supernode: forget it as one, and ignore gossip naming it for a while. */
  private notASupernode (id: string): void {
    if (this.refresh.has(id)) this.env.stats.inc('ft.refresh.not-supernode')
    this.refresh.remove(id)
    this.backoff.notASupernode(id, this.env.now())
  }

  /** Gossip lags behind a demotion by a few exchanges; after this long a report may be news again. */
  private notSupernodeMemoryMs (): number { return this.o.demotePeriods * this.o.maintenanceMs }

  /** Orphaned: attach to a supernode with room from the refresh list, or elect one. */
  /** Someone to ask: a node that knows nobody at all waits to be introduced (or probed) instead of electing itself. */
  private knowsAnyone (): boolean {
    return this.o.bootstrap.length > 0 || this.hosts.length > 0 || this.refresh.size > 0 || this.candidates.size > 0
  }

  private seek (): void {
    if (this.sn !== undefined || this.parent !== undefined || this.attaching !== undefined || this.stopped) return
    if (!this.knowsAnyone()) return
    this.env.clearTimer('seek')
    const now = this.env.now()
    // refused by several supernodes in a row: the region is full, elect rather than try all 200
    const exclude = new Set([...this.tried.keys(), ...this.backoff.waitingIds(now)])
    const target = this.tried.size < this.o.maxAttachTries ? this.refresh.pickForAttach(this.env.rng, exclude) : undefined
    if (target !== undefined) { this.attach(target); return }
    // the supernodes we know refused us, or are slow and backed off from (refusals are forgotten
    // after refusalMemoryMs and on a win): come back to the slow ones when their backoff ends,
    // whatever else we do
    const retryAt = this.backoff.nextRetry(now, Infinity, id => this.refresh.has(id) && !this.tried.has(id))
    if (retryAt !== undefined) this.env.setTimer('seek', retryAt - now)
    if (this.regionProbe()) { this.env.setTimer('seek', Math.min(this.probeWait(), (retryAt ?? Infinity) - now)); return }
    this.election.start()
  }

  /**
   * Before electing, refresh what we know of the region, at most once a period: the candidates a
   * bootstrap peer knew when we joined may be fewer than it knows now, and a supernode may have
   * appeared. Returns true when probes went out.
   */
  /** How long to wait for probe replies before acting on them. */
  private probeWait (): number { return this.rtt.timeout(Math.min(this.o.replyTimeoutMs, 1000), this.o.replyTimeoutMs) }

  /**
   * How long a refusal keeps a supernode out of our attach picks: a period, but never less than a few
   * round trips. Clearing every refusal each period made a leaf on a slow network (round trips
   * longer than the period) go back to the same full supernodes over and over and never elect.
   */
  private refusalMemoryMs (): number { return Math.max(this.o.maintenanceMs, 3 * this.rtt.timeout(this.o.attachTimeoutMs, this.o.leafTimeoutMs)) }

  private regionProbe (): boolean {
    const now = this.env.now()
    // at most once a period, and never twice in a row before the replies could be used (a short
    // period must not turn seek → probe → seek into a loop that never elects)
    if (now - this.lastRegionProbe < Math.max(this.o.maintenanceMs, 3 * this.probeWait())) return false
    this.lastRegionProbe = now
    const peers = [...this.o.bootstrap, ...this.hosts, ...peersOf(this.candidates.sample(this.env.rng, 8))]
    for (const p of peers) this.probe(p)
    return peers.length > 0
  }

  private attach (target: SupernodeInfo): void {
    const id = target.peer.id
    this.attaching = target
    this.tried.set(id, this.env.now())
    this.backoff.sent(id, this.env.now())
    this.env.send(target.peer, { type: 'attach', capacity: this.capacity(), firewalled: this.o.capacity.firewalled })
    this.env.setTimer('attach', this.attachTimeout(id))
  }

  /** The configured timeout, doubled per timeout in a row, and never below the measured round trip. */
  private attachTimeout (id: string): number {
    return this.rtt.timeout(this.backoff.timeoutFor(id), Math.max(this.o.attachTimeoutMs, this.o.leafTimeoutMs))
  }

  /**
   * No attach reply in time. The supernode may only be slow (an overloaded host): back off from it
   * and try it again later with a longer timeout (its late acceptance is still taken meanwhile);
   * forget it only after `maxAttachTimeouts` in a row and when we know another supernode. Before,
   * the first timeout removed it from the refresh list: an orphan whose only known supernode was
   * slow ended with an empty list and elections that found no candidates.
   */
  private attachTimedOut (): void {
    const t = this.attaching
    if (t === undefined) return
    const id = t.peer.id
    const waited = this.attachTimeout(id)
    this.attaching = undefined
    this.tried.delete(id) // a timeout is not a refusal
    this.env.stats.inc('ft.attach.timeout')
    const fails = this.backoff.timedOut(id, this.env.now(), waited)
    if (fails >= this.o.maxAttachTimeouts && this.refresh.size > 1) {
      this.refresh.remove(id)
      this.env.stats.inc('ft.attach.forgotten')
    }
    this.seek()
  }

  /** The supernode we were attaching to cannot be reached (dial failed, connection closed). */
  private attachUnreachable (): void {
    const t = this.attaching
    if (t === undefined) return
    this.attaching = undefined
    this.env.clearTimer('attach')
    this.refresh.remove(t.peer.id)
    this.seek()
  }

  private onAttachReply (from: PeerRef, m: FtOf<'attach_reply'>): void {
    const req = this.backoff.take(from.id, this.env.now())
    if (req?.rttMs !== undefined) this.rtt.sample(req.rttMs)
    if (this.attaching?.peer.id !== from.id && !this.lateReply(from, m, req !== undefined)) return
    this.attaching = undefined
    this.env.clearTimer('attach')
    this.backoff.answered(from.id)
    this.learn(m.supernodes, m.candidates)
    if (!m.accepted || this.sn !== undefined) {
      if (m.accepted) this.env.send(from, { type: 'detach', supernodes: [], candidates: [] })
      else this.refused(from, m)
      this.seek()
      return
    }
    if (m.capacity < minEligibleScore(this.o)) {
      // a "supernode" that could not have won an election: refuse it
      this.ctx.bad('ineligible-supernode')
      this.refresh.remove(from.id)
      this.env.send(from, { type: 'detach', supernodes: [], candidates: [] })
      this.seek()
      return
    }
    const info: SupernodeInfo = { peer: from, capacity: m.capacity, leaves: m.leaves, room: m.leaves < this.o.maxLeaves }
    this.refresh.upsert(info, this.env.now())
    this.parent = info
    this.lastPong = this.env.now()
    this.pingInFlight = false
    this.tried.clear()
    this.election.cancel()
    this.env.clearTimer('seek')
    this.uploadShares(from)
    this.env.stats.inc('ft.attach')
    this.env.emit({ type: 'fasttrack:attached', supernode: from.id })
    for (const qid of this.searches.qids()) this.sendSearch(qid)
  }

  /**
   * An attach reply from a supernode we are not attaching to now (its request timed out, or we
   * never asked). Returns true when it is to be handled as the answer to our attach: a late
   * acceptance while we are still orphaned (the attach in flight, if any, is dropped; its own
   * acceptance is declined when it comes), or a late refusal (we learn it is full and whom it knows).
   */
  private lateReply (from: PeerRef, m: FtOf<'attach_reply'>, asked: boolean): boolean {
    const decline = (): void => { this.env.stats.inc('ft.late.attach-reply'); this.env.send(from, { type: 'detach', supernodes: [], candidates: [] }) }
    if (this.parent?.peer.id === from.id) {
      // our repeated attach reached our supernode after the first: it restarted our upload session
      if (asked && m.accepted) { this.env.stats.inc('ft.attach.repeat'); this.uploadShares(from) }
      return false
    }
    if (!asked) { if (m.accepted) decline(); return false }
    if (this.sn !== undefined || this.parent !== undefined) { if (m.accepted) decline(); return false }
    if (!m.accepted) {
      this.backoff.answered(from.id)
      this.learn(m.supernodes, m.candidates)
      this.refused(from, m)
      return false
    }
    this.env.stats.inc('ft.attach.late-accepted')
    return true
  }

  /**
   * An attach refused: the supernode is full; or, refusing with no leaves at all, it is no supernode
   * (a leaf answers attach that way), e.g. one that demoted while gossip still named it.
   */
  private refused (from: PeerRef, m: FtOf<'attach_reply'>): void {
    if (m.leaves === 0) this.notASupernode(from.id)
    else this.refresh.markFull(from.id)
  }

  private uploadShares (to: PeerRef): void {
    const files = this.sharedFiles()
    const batch = LIMITS.maxFilesPerFrame
    const epoch = ++this.shareEpoch
    this.env.send(to, { type: 'shares', epoch, files: files.slice(0, batch) })
    for (let i = batch; i < files.length; i += batch) this.env.send(to, { type: 'shares', epoch, files: files.slice(i, i + batch) })
  }

  private onPong (from: PeerRef, m: FtOf<'pong'>): void {
    if (this.lastPing?.id === from.id) { this.rtt.sample(this.env.now() - this.lastPing.at); this.lastPing = undefined }
    if (this.parent?.peer.id !== from.id) { this.learn(m.supernodes, []); return }
    if (m.role !== ROLE_SUPERNODE) { this.notASupernode(from.id); this.failover('demoted'); return }
    this.env.clearTimer('pong')
    this.pingInFlight = false
    this.lastPong = this.env.now()
    this.parent = { peer: this.parent.peer, capacity: m.capacity, leaves: m.leaves, room: m.leaves < this.o.maxLeaves }
    this.refresh.upsert(this.parent, this.env.now())
    this.learn(m.supernodes, [])
  }

  private failover (reason: string): void {
    const old = this.parent
    if (old === undefined) return
    this.parent = undefined
    this.env.clearTimer('pong')
    this.pingInFlight = false
    // a ping timeout may only mean a slow supernode: when it is the only one we know, keep it, backed
    // off, to try again later (an empty refresh list leaves elections without candidates)
    if (reason === 'timeout' && this.refresh.size <= 1) this.backoff.timedOut(old.peer.id, this.env.now(), this.rtt.timeout(this.o.replyTimeoutMs, this.o.leafTimeoutMs))
    else if (reason !== 'detached') this.refresh.remove(old.peer.id)
    this.env.stats.inc('ft.failover')
    this.env.emit({ type: 'fasttrack:orphaned', supernode: old.peer.id, reason })
    this.searches.markAllUnsent()
    this.seek()
  }

  // ---- elections and roles ----

  private onWinner (winner: SupernodeInfo): void {
    this.backoff.isSupernode(winner.peer.id)
    this.refresh.upsert({ ...winner, room: true }, this.env.now(), true)
    this.candidates.remove(winner.peer.id)
    // a redirect to a supernode that already refused us this period is stale news: wait for the
    // next period (when peers' views of their supernodes' load are fresh) instead of looping
    if (this.tried.has(winner.peer.id)) { this.env.stats.inc('ft.elections.stale-redirect'); return }
    if (this.sn === undefined && this.parent === undefined && this.attaching === undefined) this.attach(winner)
  }

  private noCandidates (): void {
    // nobody eligible known: ask everyone we know for more peers, retry next period
    this.env.stats.inc('ft.elections.no-candidates')
    for (const p of peersOf(this.refresh.values(), this.candidates.values())) this.probe(p)
    for (const p of this.o.bootstrap) this.probe(p)
    for (const p of this.hosts) this.probe(p)
  }

  private promote (): void {
    if (this.sn !== undefined) return
    if (this.parent !== undefined) this.env.send(this.parent.peer, { type: 'detach', supernodes: [], candidates: [] })
    this.parent = undefined
    if (this.attaching !== undefined) { this.attaching = undefined; this.env.clearTimer('attach') }
    this.env.clearTimer('pong'); this.env.clearTimer('seek')
    this.pingInFlight = false
    this.candidates.remove(this.env.self.id)
    const sn = new SupernodeRole(this.ctx, {
      deliverHits: (qid, hits, hops) => this.deliverHits(qid, hits, hops),
      onPush: (m) => this.onPushRequest(m),
      demote: () => this.demote(),
      discover: (leaves) => this.discover(leaves)
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

  /** A supernode short of links asks around for supernodes, at most once a period. */
  private discover (leaves: PeerRef[]): void {
    const now = this.env.now()
    if (now - this.lastDiscovery < this.o.maintenanceMs) return
    this.lastDiscovery = now
    this.env.stats.inc('ft.discovery')
    const peers = [...this.o.bootstrap, ...this.hosts, ...peersOf(this.candidates.sample(this.env.rng, 4)), ...leaves]
    for (const p of peers) this.probe(p)
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
    if (this.parent !== undefined) {
      this.pingParent()
    } else if (this.joined && this.attaching === undefined && !this.election.running) {
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
    if (this.parent === undefined) return // sent when we attach
    s.sent = true
    this.env.send(this.parent.peer, { type: 'query', qid, ttl: this.o.queryTtl, hops: 0, text: s.text })
    // a search is the moment a dead supernode hurts: check it is alive unless we heard from it just
    // now (the search is sent again after a failover), instead of waiting for the next period
    if (this.env.now() - this.lastPong >= this.o.queryPingAfterMs) this.pingParent()
  }

  /** Ping our supernode; without a pong within replyTimeoutMs we fail over. One ping in flight at a time. */
  private pingParent (): void {
    if (this.parent === undefined || this.pingInFlight) return
    this.pingInFlight = true
    this.lastPing = { id: this.parent.peer.id, at: this.env.now() }
    this.env.send(this.parent.peer, { type: 'ping', capacity: this.capacity(), leaves: 0 })
    // a slow network (an overloaded host) must not look like a dead supernode: wait at least the
    // measured round trip (at most leafTimeoutMs, when the supernode would forget us anyway)
    this.env.setTimer('pong', this.rtt.timeout(this.o.replyTimeoutMs, Math.max(this.o.replyTimeoutMs, this.o.leafTimeoutMs)))
  }

  /** A downloader cannot reach us (we are firewalled): connect out and offer the file. */
  private onPushRequest (m: FtOf<'push'>): void {
    this.env.emit({ type: 'fasttrack:push', requester: m.requester, hash: m.hash })
    this.transfers.pushTo(m.requester, m.hash)
  }

  private onLeafHit (from: PeerRef, m: FtOf<'hit'>): void {
    if (!this.searches.has(m.qid)) { this.ctx.bad('unseen-hit'); return }
    if (this.parent?.peer.id !== from.id) { this.ctx.bad('hit-not-parent', from); return }
    // one hop from us to our supernode, then m.hops among supernodes
    this.deliverHits(m.qid, m.hits, m.hops + 1)
  }

  private deliverHits (qid: string, hits: readonly HitEntry[], hops: number): void {
    this.searches.deliver(qid, hits, hops, this.o.supernodeHitShare, reason => { this.ctx.bad(reason) })
  }
}

/** The wire form of a share; keywords only when they say more than the name does (saves upload bytes). */
function toShareEntry (f: SharedFile): ShareEntry {
  const own = f.keywords
  if (own === undefined || own.length === 0 || own.join(' ') === keywordsOf(f.name).join(' ')) return { name: f.name, size: f.size, hash: f.hash }
  return { name: f.name, size: f.size, hash: f.hash, keywords: own }
}
