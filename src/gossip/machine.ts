/**
 * The gossip machine: SIR rumor mongering (Demers et al. 1987) in every variant, backed by
 * anti-entropy, over a full or partial (Cyclon) membership, carrying broadcasts and the writes of a
 * replicated last-writer-wins map.
 *
 * This file holds the lifecycle, the public operations, the one way in for updates (receive →
 * store → deliver → spread) and message dispatch; the parts live behind `GossipContext`:
 * rumor.ts (rumor mongering), anti-entropy.ts, fetch.ts (large payloads), upkeep.ts (Cyclon
 * shuffle, recovery of lost peers), store.ts (what is kept for relaying).
 *
 * Synchronous and deterministic: it acts only through its Env.
 */
import { InvalidArgumentError, LimitError, NotStartedError } from '../overlay/errors.js'
import type { Signer } from '../overlay/identity.js'
import { PENALTY, refuse } from '../overlay/penalty.js'
import type { Env, Machine, PeerRef } from '../overlay/types.js'
import { AntiEntropy } from './anti-entropy.js'
import { entryUpdate, originPeer, signUpdate, verifyUpdate } from './auth.js'
import { CausalBuffer } from './causal.js'
import type { GossipContext, Via } from './context.js'
import { CyclonView } from './cyclon.js'
import type { GossipEvent } from './events.js'
import { PayloadFetch } from './fetch.js'
import { LwwMap } from './lww.js'
import { FullMembership, type Membership } from './membership.js'
import { type GossipOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { RumorMonger } from './rumor.js'
import { SeenSet } from './seen.js'
import { type Stored, UpdateStore } from './store.js'
import { type GossipMessage, idKey, type MapEntryWire, type Update, type UpdateId, UpdateKind } from './types.js'
import { PeerUpkeep } from './upkeep.js'
import { oversizePush, pushPenalty, validUpdate } from './valid.js'
import { PendingChecks } from './verifying.js'

const GC = 'gc'

export class GossipMachine implements Machine<GossipMessage>, GossipContext {
  readonly o: ResolvedOptions
  readonly membership: Membership
  readonly map: LwwMap
  readonly seen: SeenSet
  readonly store: UpdateStore
  private readonly causal: CausalBuffer | undefined
  private readonly rumor: RumorMonger
  private readonly ae: AntiEntropy
  private readonly fetch: PayloadFetch
  private readonly upkeep: PeerUpkeep
  private readonly learnSenders: boolean
  /** Signs what this node publishes; undefined on an open node. */
  private readonly signer: Signer | undefined
  /** Signature checks off the event loop, where the driver offers them (verifying.ts). */
  private readonly checks: PendingChecks | undefined
  /** This incarnation's origin name: peer id + start time, so a restarted node never reuses a seq. */
  private origin = ''
  private seq = 0
  private isRunning = false
  /**
   * When this incarnation started. Broadcasts published earlier are relayed but not delivered here:
   * the seen-set does not survive a restart, so this is what keeps a replay of something delivered
   * before the restart from being delivered again.
   */
  private startedAt = 0

  constructor (readonly env: Env<GossipMessage, GossipEvent>, options: GossipOptions = {}) {
    this.o = resolveOptions(options)
    if (this.o.signed && env.signer === undefined) {
      throw new InvalidArgumentError('gossip: signed updates need the node\'s identity key (env.signer; in the simulator spawn with { signer: simIdentity(seed, i) }), or run open with signed: false')
    }
    this.signer = this.o.signed ? env.signer : undefined
    const verify = env.verify?.bind(env)
    this.checks = this.signer !== undefined && verify !== undefined && this.o.maxPendingChecks > 0 ? new PendingChecks(verify, this.o.maxPendingChecks) : undefined
    const m = this.o.membership
    this.membership = m.kind === 'cyclon'
      ? new CyclonView(env.self, { viewSize: m.viewSize, shuffleLength: m.shuffleLength })
      : new FullMembership(env.self.id, m.peers ?? [])
    if (m.kind === 'cyclon') for (const p of m.bootstrap ?? []) this.membership.add(p)
    this.map = new LwwMap(this.o.tombstoneTtlMs)
    this.seen = new SeenSet({ maxOrigins: this.o.maxOrigins })
    this.store = new UpdateStore(this.o, () => { env.stats.inc('gossip:evicted') })
    this.causal = this.o.causal ? new CausalBuffer(this.o.maxGroup) : undefined
    this.learnSenders = m.kind === 'full' && (m.peers?.length ?? 0) === 0
    this.rumor = new RumorMonger(this)
    this.ae = new AntiEntropy(this)
    this.fetch = new PayloadFetch(this)
    this.upkeep = new PeerUpkeep(this, this.ae)
  }

  /** The resolved options (the name the service and tests use). */
  get options (): ResolvedOptions { return this.o }

  // ---- lifecycle -------------------------------------------------------------------------------

  start (): void {
    this.isRunning = true
    this.startedAt = this.env.now()
    this.origin = `${this.signer?.id ?? this.env.self.id}/${Math.floor(this.startedAt).toString(36)}`
    this.rumor.start()
    this.ae.start()
    this.upkeep.start()
    this.env.setTimer(GC, this.gcPeriod())
  }

  stop (): void {
    this.isRunning = false
    this.rumor.stop()
    this.ae.stop()
    this.upkeep.stop()
    this.env.clearTimer(GC)
    this.fetch.stop()
    this.checks?.clear()
  }

  running (): boolean { return this.isRunning }

  // ---- public operations -------------------------------------------------------------------------

  /** Broadcast `data` on `topic`; returns the update id. */
  publish (topic: string, data: Uint8Array): string {
    return this.originate({ kind: UpdateKind.Message, topic, data })
  }

  /** Write a key of the replicated map. */
  put (key: string, value: Uint8Array): string {
    return this.originate({ kind: UpdateKind.Put, topic: '', key, data: value, lamport: this.map.tick(this.env.now()) })
  }

  /** Delete a key: a death certificate that wins over every older write and expires later. */
  delete (key: string): string {
    return this.originate({ kind: UpdateKind.Delete, topic: '', key, data: new Uint8Array(0), lamport: this.map.tick(this.env.now()) })
  }

  get (key: string): Uint8Array | undefined { return this.map.get(key) }

  /** Does this node have the update? */
  has (id: UpdateId): boolean { return this.seen.has(id.origin, id.seq) }

  /** Hot rumors this node is still spreading. */
  get hotCount (): number { return this.store.hot.size }
  get storedCount (): number { return this.store.size }
  get originName (): string { return this.origin }
  /** The current anti-entropy period (adaptive between antiEntropy.periodMs and maxPeriodMs). */
  get antiEntropyPeriodMs (): number { return this.ae.periodMs }

  private originate (p: { kind: UpdateKind, topic: string, data: Uint8Array, key?: string, lamport?: number }): string {
    if (!this.isRunning) throw new NotStartedError()
    if (p.data.byteLength > this.o.maxMessageBytes) {
      throw new LimitError(`gossip: payload of ${p.data.byteLength} bytes exceeds maxMessageBytes ${this.o.maxMessageBytes}`)
    }
    const seq = ++this.seq
    const deps = this.causal?.deps()
    if (this.causal !== undefined && deps !== undefined) this.causal.local(this.origin, seq)
    const unsigned: Update = {
      origin: this.origin,
      seq,
      time: this.env.now(),
      kind: p.kind,
      topic: p.topic,
      size: p.data.byteLength,
      data: p.data,
      ...(p.key !== undefined ? { key: p.key, lamport: p.lamport } : {}),
      ...(deps !== undefined && deps.length > 0 ? { deps } : {})
    }
    const u = this.signer !== undefined ? signUpdate(this.signer, unsigned) : unsigned
    this.seen.add(u.origin, u.seq, u.time)
    const s = this.store.keep(u, true, this.env.now())
    if (u.kind !== UpdateKind.Message) this.applyMap(u)
    this.env.stats.inc('gossip:published')
    this.ae.rumorArrived()
    this.rumor.spreadNew(s)
    return idKey(u.origin, u.seq)
  }

  // ---- timers ----------------------------------------------------------------------------------

  onTimer (key: string): void {
    if (!this.isRunning) return
    if (key === RumorMonger.TIMER) this.rumor.onTimer()
    else if (key === AntiEntropy.TIMER) this.ae.onTimer()
    else if (key === GC) { this.gc(); this.env.setTimer(GC, this.gcPeriod()) }
    else if ((PeerUpkeep.TIMERS as readonly string[]).includes(key)) this.upkeep.onTimer(key)
    else if (PayloadFetch.isTimer(key)) this.fetch.onTimer(key)
  }

  firstDelay (period: number): number {
    return this.o.alignRounds ? this.nextDelay(period) : this.env.rng.range(0, period)
  }

  /** With aligned rounds the next multiple of the period (strictly later); else one period. */
  nextDelay (period: number): number {
    if (!this.o.alignRounds) return period
    return period - (this.env.now() % period)
  }

  private gcPeriod (): number { return Math.max(this.o.periodMs, this.o.ttlMs / 4) }

  // ---- messages --------------------------------------------------------------------------------

  onMessage (from: PeerRef, msg: GossipMessage): void {
    if (!this.isRunning) return
    // learn senders (live full membership); a simulated shared list already names everyone
    if (this.learnSenders) this.membership.add(from)
    this.upkeep.heard(from)
    switch (msg.type) {
      case 'rumor': this.rumor.onRumor(from, msg.updates, msg.pull); break
      case 'reply': this.rumor.onReply(from, msg.updates, msg.known, msg.fresh); break
      case 'feedback': this.rumor.onFeedback(msg.known, msg.fresh); break
      case 'busy': this.rumor.onBusy(from); break
      case 'ae': this.ae.onAe(from, msg.mode, msg.sum, msg.mapSum); break
      case 'ae-reply': this.ae.onAeReply(from, msg.digest, msg.mapSum, msg.entries); break
      case 'ae-push': this.ae.onAePush(from, msg.updates, msg.entries, msg.digest); break
      case 'fetch': this.fetch.onFetch(from, msg.origin, msg.seq); break
      case 'body': this.fetch.onBody(from, msg.origin, msg.seq, msg.data); break
      case 'shuffle': this.upkeep.onShuffle(from, msg.entries); break
      case 'shuffle-reply': this.upkeep.onShuffleReply(from, msg.entries); break
    }
  }

  onPeerUnreachable (peer: PeerRef): void {
    this.membership.remove(peer.id)
    this.upkeep.loseTrack(peer)
  }

  onPeerConnected (peer: PeerRef): void {
    this.upkeep.lost.delete(peer.id)
    this.membership.add(peer)
  }

  receiveAll (from: PeerRef, updates: readonly Update[], via: Via): { known: UpdateId[], fresh: UpdateId[] } {
    const known: UpdateId[] = []
    const fresh: UpdateId[] = []
    for (const u of updates) {
      const id = { origin: u.origin, seq: u.seq }
      if (this.receive(from, u, via, true) || this.newThisRound(u)) fresh.push(id); else known.push(id)
    }
    return { known, fresh }
  }

  /**
   * With synchronous rounds, a node that got the update during the current round did not know it
   * when the round began: as in the paper's model, a second contact in the same round is not useless.
   */
  private newThisRound (u: UpdateId): boolean {
    if (!this.o.alignRounds) return false
    const s = this.store.get(idKey(u.origin, u.seq))
    const p = this.o.periodMs
    return s !== undefined && Math.floor(s.at / p) === Math.floor(this.env.now() / p)
  }

  /**
   * Returns false when we already had (or are already fetching) the update, or refused it. Checks go
   * cheapest first, and nothing is stored, delivered or forwarded before the signature verified.
   */
  receive (from: PeerRef, u: Update, via: Via, pushed = false): boolean {
    const now = this.env.now()
    const o = this.o
    if (this.seen.has(u.origin, u.seq)) { this.env.stats.inc('gossip:duplicate'); return false }
    if (u.time + o.ttlMs <= now) { this.env.stats.inc('gossip:expired'); return false }
    if (u.time > now + o.maxClockSkewMs) { refuse(this.env, from, 'gossip:from-future'); return false }
    if (!validUpdate(u, o)) { refuse(this.env, from, 'gossip:invalid', PENALTY.invalid); return false }
    // honest peers announce large payloads (fetched at our pace); one pushed whole is refused unhashed
    if (pushed && oversizePush(u, o)) { refuse(this.env, from, 'gossip:oversize-push', pushPenalty(u)); return false }
    // the origin's byte quota before the signature: hashing and verifying a large payload is the
    // dearest step, and an update over its origin's quota is refused whoever signed it
    if (!this.store.room(u)) { refuse(this.env, from, 'gossip:quota-origin', PENALTY.quota); return false }
    if (this.checks !== undefined && u.sig !== undefined) {
      const offer = this.checks.offer(from, u, via)
      if (offer === 'duplicate') { this.env.stats.inc('gossip:duplicate'); return false }
      // new to us; admitted (or refused) when the answer comes, in onVerified
      if (offer === 'waiting') return true
    }
    if (!this.authentic(from, u)) return false
    return this.admit(from, u, via)
  }

  /** The answer to an off-loop signature check (verifying.ts). */
  onVerified (token: string, ok: boolean): void {
    const w = this.checks?.settle(token)
    if (w === undefined || !this.isRunning) return
    this.env.stats.inc('gossip:verified-off-loop')
    if (!ok) { refuse(this.env, w.from, 'gossip:bad-signature', PENALTY.invalid); return }
    const u = w.u
    // what may have changed while it waited: another copy got in, it expired, its origin's quota filled
    if (this.seen.has(u.origin, u.seq)) { this.env.stats.inc('gossip:duplicate'); return }
    if (u.time + this.o.ttlMs <= this.env.now()) { this.env.stats.inc('gossip:expired'); return }
    if (!this.store.room(u)) { refuse(this.env, w.from, 'gossip:quota-origin', PENALTY.quota); return }
    this.admit(w.from, u, w.via)
  }

  /** An authentic update: within the clock and origin bounds, then stored, delivered and spread. */
  private admit (from: PeerRef, u: Update, via: Via): boolean {
    const now = this.env.now()
    if (u.kind !== UpdateKind.Message && !this.plausibleClock(from, u.lamport ?? 0)) return false
    if (!this.seen.admit(u.origin, now - this.o.ttlMs)) { refuse(this.env, from, 'gossip:origins-full', PENALTY.quota); return false }
    if (u.data === undefined) return this.fetch.announce(from, u)
    this.seen.add(u.origin, u.seq, u.time)
    this.env.stats.inc(via === 'ae' ? 'gossip:ae-repaired' : 'gossip:received-new')
    if (via === 'rumor') { this.ae.involve(from.id); this.ae.rumorArrived() }
    const s: Stored = this.store.keep(u, true, now)
    this.deliver(from, u)
    this.rumor.spreadNew(s)
    return true
  }

  rumorContact (peer: PeerRef): void { this.ae.involve(peer.id) }

  /** Signed by its origin (on an open node: anything goes)? A forgery costs the relay its score. */
  private authentic (from: PeerRef, u: Update): boolean {
    if (this.signer === undefined) return true
    if (u.sig === undefined) { refuse(this.env, from, 'gossip:unsigned'); return false }
    if (!verifyUpdate(u)) { refuse(this.env, from, 'gossip:bad-signature', PENALTY.invalid); return false }
    return true
  }

  /** A map write's (hybrid Lamport) clock may run ahead of ours by at most the clock skew. */
  private plausibleClock (from: PeerRef, lamport: number): boolean {
    if (lamport <= this.env.now() + this.o.maxClockSkewMs) return true
    refuse(this.env, from, 'gossip:clock-ahead')
    return false
  }

  private deliver (from: PeerRef, u: Update): void {
    const ready = this.causal !== undefined ? this.causal.offer(u) : [u]
    for (const r of ready) this.deliverNow(from, r)
  }

  private deliverNow (from: PeerRef, u: Update): void {
    if (u.kind !== UpdateKind.Message) { this.env.stats.inc('gossip:delivered'); this.applyMap(u); return }
    if (u.time < this.startedAt) { this.env.stats.inc('gossip:before-start'); return }
    this.env.stats.inc('gossip:delivered')
    this.env.emit({
      type: 'gossip:deliver',
      id: idKey(u.origin, u.seq),
      topic: u.topic,
      data: u.data ?? new Uint8Array(0),
      origin: originPeer(u.origin),
      from: from.id,
      latencyMs: this.env.now() - u.time
    })
  }

  private applyMap (u: Update): void {
    if (u.key === undefined || u.lamport === undefined) return
    const deleted = u.kind === UpdateKind.Delete
    const node = originPeer(u.origin)
    if (!this.mapRoom(u.key, u.lamport, node, deleted ? 0 : u.size)) return
    if (this.map.apply(u.key, u.lamport, node, deleted, deleted ? undefined : u.data, this.env.now(), u)) {
      this.env.emit({ type: 'gossip:map', key: u.key, deleted, value: deleted ? undefined : u.data })
    }
  }

  /** The map's byte quota: a write that would grow it past maxMapBytes is refused (counted). */
  private mapRoom (key: string, lamport: number, node: string, size: number): boolean {
    if (!this.map.wins(key, lamport, node)) return true // stale: changes nothing
    const had = this.map.get(key)?.byteLength ?? 0
    if (this.map.bytes - had + size <= this.o.maxMapBytes) return true
    this.env.stats.inc('gossip:map-full')
    return false
  }

  /** A map entry from a repair: verified as the write it came from, within the clock and byte bounds. */
  private acceptEntry (from: PeerRef, w: MapEntryWire): boolean {
    if (!this.plausibleClock(from, w.lamport)) return false
    if (this.signer !== undefined) {
      if (w.sig === undefined) { refuse(this.env, from, 'gossip:unsigned'); return false }
      if (w.node !== originPeer(w.origin) || !verifyUpdate(entryUpdate(w))) { refuse(this.env, from, 'gossip:bad-signature', PENALTY.invalid); return false }
    }
    return this.mapRoom(w.key, w.lamport, w.node, w.deleted ? 0 : (w.value?.byteLength ?? 0))
  }

  mergeEntries (from: PeerRef, entries: readonly MapEntryWire[]): number {
    const changed = this.map.merge(entries, this.env.now(), w => this.acceptEntry(from, w))
    for (const key of changed) {
      const e = this.map.entry(key)
      this.env.emit({ type: 'gossip:map', key, deleted: e?.deleted === true, value: e?.deleted === true ? undefined : e?.value })
    }
    return changed.length
  }

  // ---- housekeeping ----------------------------------------------------------------------------

  private gc (): void {
    const now = this.env.now()
    const before = now - this.o.ttlMs
    this.store.expire(before)
    this.seen.expireGaps(before)
    this.ae.gc()
    this.map.expire(now)
    if (this.causal !== undefined) for (const u of this.causal.expire(before)) this.deliverNow(this.env.self, u)
  }
}

export { originPeer }
