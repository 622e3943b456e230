/**
 * The gossip machine: SIR rumor mongering (Demers et al. 1987) in every variant, backed by
 * anti-entropy, over a full or partial (Cyclon) membership, carrying broadcasts and the writes of a
 * replicated last-writer-wins map.
 *
 * Per update a node is susceptible (never seen it), infected (it is a hot rumor: spread it every
 * round) or removed (knows it, stopped spreading). Every round an infected node contacts `fanout`
 * random partners: push sends its hot rumors, pull asks for the partner's, push-pull does both.
 * It loses interest per update after `k` useless contacts (feedback: the partner already knew) or
 * `k` contacts (blind), or with probability 1/k on each (coin). Anti-entropy is the SI backup:
 * every aePeriod a node compares digests with one random partner and repairs the difference.
 *
 * Synchronous and deterministic: it acts only through its Env.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { LimitError, NotStartedError } from '../overlay/errors.js'
import type { Env, Machine, PeerRef } from '../overlay/types.js'
import { CausalBuffer } from './causal.js'
import { CyclonView } from './cyclon.js'
import { LostPeers } from './lost.js'
import { LwwMap } from './lww.js'
import { FullMembership, type Membership } from './membership.js'
import { type GossipOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { digestHas, indexDigest, SeenSet } from './seen.js'
import { type AeMode, type DigestEntry, type GossipMessage, idKey, type MapEntryWire, type Update, type UpdateId, UpdateKind } from './types.js'
import type { GossipEvent } from './events.js'

interface Stored {
  readonly u: Update
  /** What goes on the wire: the update itself, or its announcement when the payload is large. */
  readonly wire: Update
  hot: boolean
  counter: number
  /** When we got it (for the synchronous-round rule of feedback). */
  readonly at: number
  /** Feedback collected this round, settled at the next round (feedback-counter). */
  useful: number
  useless: number
}

interface PendingFetch {
  readonly ann: Update
  readonly sources: PeerRef[]
  tries: number
}

const ROUND = 'round'
const AE = 'ae'
const SHUFFLE = 'shuffle'
const GC = 'gc'
const RECOVER = 'recover'

export class GossipMachine implements Machine<GossipMessage> {
  readonly options: ResolvedOptions
  readonly membership: Membership
  readonly map: LwwMap
  private readonly seen = new SeenSet()
  private readonly store = new Map<string, Stored>()
  private readonly hot = new Set<string>()
  private readonly fetches = new Map<string, PendingFetch>()
  /** Partners in an anti-entropy exchange we answered, and the mode they asked for (bounded by gc). */
  private readonly aeModes = new Map<string, AeMode>()
  private readonly causal: CausalBuffer | undefined
  /** Peers dropped because they failed, probed every recovery period (see lost.ts). */
  private readonly lost: LostPeers
  private readonly feedback: boolean
  private readonly coin: boolean
  private readonly learnSenders: boolean
  /** This incarnation's origin name: peer id + start time, so a restarted node never reuses a seq. */
  private origin = ''
  private seq = 0
  private running = false
  private roundArmed = false
  private acceptedThisRound = 0
  private huntsLeft = 0

  constructor (private readonly env: Env<GossipMessage, GossipEvent>, options: GossipOptions = {}) {
    this.options = resolveOptions(options)
    const m = this.options.membership
    this.membership = m.kind === 'cyclon'
      ? new CyclonView(env.self, { viewSize: m.viewSize, shuffleLength: m.shuffleLength })
      : new FullMembership(env.self.id, m.peers ?? [])
    if (m.kind === 'cyclon') for (const p of m.bootstrap ?? []) this.membership.add(p)
    this.map = new LwwMap(this.options.tombstoneTtlMs)
    this.causal = this.options.causal ? new CausalBuffer(this.options.maxGroup) : undefined
    this.feedback = this.options.stop.startsWith('feedback')
    this.coin = this.options.stop.endsWith('coin')
    this.learnSenders = m.kind === 'full' && (m.peers?.length ?? 0) === 0
    this.lost = new LostPeers(env.self.id, this.options.recoveryMaxPeers)
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  start (): void {
    this.running = true
    this.origin = `${this.env.self.id}/${Math.floor(this.env.now()).toString(36)}`
    const o = this.options
    if (o.mode === 'pull' || o.mode === 'push-pull') this.armRound()
    if (o.aePeriodMs > 0) this.env.setTimer(AE, this.firstDelay(o.aePeriodMs))
    if (o.membership.kind === 'cyclon') this.env.setTimer(SHUFFLE, this.firstDelay(o.membership.periodMs ?? o.periodMs))
    this.env.setTimer(GC, this.gcPeriod())
  }

  stop (): void {
    this.running = false
    for (const key of [ROUND, AE, SHUFFLE, GC, RECOVER]) this.env.clearTimer(key)
    for (const key of this.fetches.keys()) this.env.clearTimer(`fetch:${key}`)
    this.fetches.clear()
    this.roundArmed = false
    this.recoverArmed = false
  }

  // ---- public operations -------------------------------------------------------------------------

  /** Broadcast `data` on `topic`; returns the update id. */
  publish (topic: string, data: Uint8Array): string {
    return this.originate({ kind: UpdateKind.Message, topic, data })
  }

  /** Write a key of the replicated map. */
  put (key: string, value: Uint8Array): string {
    return this.originate({ kind: UpdateKind.Put, topic: '', key, data: value, lamport: this.map.tick() })
  }

  /** Delete a key: a death certificate that wins over every older write and expires later. */
  delete (key: string): string {
    return this.originate({ kind: UpdateKind.Delete, topic: '', key, data: new Uint8Array(0), lamport: this.map.tick() })
  }

  get (key: string): Uint8Array | undefined { return this.map.get(key) }

  /** Does this node have the update? */
  has (id: UpdateId): boolean { return this.seen.has(id.origin, id.seq) }

  /** Hot rumors this node is still spreading. */
  get hotCount (): number { return this.hot.size }
  get storedCount (): number { return this.store.size }
  get originName (): string { return this.origin }

  private originate (p: { kind: UpdateKind, topic: string, data: Uint8Array, key?: string, lamport?: number }): string {
    if (!this.running) throw new NotStartedError()
    if (p.data.byteLength > this.options.maxMessageBytes) {
      throw new LimitError(`gossip: payload of ${p.data.byteLength} bytes exceeds maxMessageBytes ${this.options.maxMessageBytes}`)
    }
    const seq = ++this.seq
    const deps = this.causal?.deps()
    if (this.causal !== undefined && deps !== undefined) this.causal.local(this.origin, seq)
    const u: Update = {
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
    this.seen.add(u.origin, u.seq, u.time)
    this.keep(u, true)
    if (u.kind !== UpdateKind.Message) this.applyMap(u)
    this.env.stats.inc('gossip:published')
    this.spreadNew(u)
    return idKey(u.origin, u.seq)
  }

  // ---- timers ----------------------------------------------------------------------------------

  onTimer (key: string): void {
    if (!this.running) return
    if (key === ROUND) { this.roundArmed = false; this.round(); return }
    if (key === AE) { this.antiEntropy(); this.env.setTimer(AE, this.nextDelay(this.options.aePeriodMs)); return }
    if (key === SHUFFLE) { this.shuffle(); return }
    if (key === GC) { this.gc(); this.env.setTimer(GC, this.gcPeriod()); return }
    if (key === RECOVER) { this.recoverArmed = false; this.probeLost(); return }
    if (key.startsWith('fetch:')) this.fetchTimeout(key.slice(6))
  }

  private firstDelay (period: number): number {
    return this.options.alignRounds ? this.nextDelay(period) : this.env.rng.range(0, period)
  }

  /** With aligned rounds the next multiple of the period (strictly later); else one period. */
  private nextDelay (period: number): number {
    if (!this.options.alignRounds) return period
    const now = this.env.now()
    return period - (now % period)
  }

  private gcPeriod (): number { return Math.max(this.options.periodMs, this.options.ttlMs / 4) }

  private armRound (): void {
    if (this.roundArmed || !this.running) return
    this.roundArmed = true
    this.env.setTimer(ROUND, this.roundArmedOnce ? this.nextDelay(this.options.periodMs) : this.firstDelay(this.options.periodMs))
    this.roundArmedOnce = true
  }

  private roundArmedOnce = false

  private round (): void {
    this.acceptedThisRound = 0
    this.huntsLeft = this.options.hunt
    const mode = this.options.mode
    if (mode === 'none') return
    this.settle()
    if (mode === 'push' && this.hot.size === 0) return // nothing to spread: sleep until a new rumor
    for (const p of this.membership.pick(this.env.rng, this.options.fanout)) this.contact(p)
    if (mode !== 'push' || this.hot.size > 0) this.armRound()
  }

  /** One rumor-mongering contact: push our hot rumors and/or ask for the partner's. */
  private contact (p: PeerRef, only?: Stored): void {
    const mode = this.options.mode
    const pushing = mode === 'push' || mode === 'push-pull'
    const updates: Update[] = []
    if (pushing) {
      for (const s of only !== undefined ? [only] : this.hotList()) {
        updates.push(s.wire)
        this.env.stats.inc('gossip:rumor-updates')
        if (!this.feedback) this.loseInterest(s)
      }
    }
    if (mode === 'push' && updates.length === 0) return
    this.env.send(p, { type: 'rumor', updates, pull: mode !== 'push' })
  }

  private hotList (): Stored[] {
    const out: Stored[] = []
    for (const key of this.hot) {
      const s = this.store.get(key)
      if (s === undefined) { this.hot.delete(key); continue }
      out.push(s)
      if (out.length >= this.options.maxUpdatesPerMessage) break
    }
    return out
  }

  /** A useless contact (feedback) or any contact (blind): count it, or toss the coin. */
  private loseInterest (s: Stored): void {
    if (!s.hot) return
    const k = this.options.k
    const stop = this.coin ? this.env.rng.next() < 1 / k : ++s.counter >= k
    if (stop) {
      s.hot = false
      this.hot.delete(idKey(s.u.origin, s.u.seq))
    }
  }

  /**
   * Feedback: a useless contact counts towards losing interest; a useful one resets the counter
   * (the paper's counter: a site stops after k unnecessary contacts in a row, which is what bounds
   * its traffic by k(2m − 1)).
   */
  private onFeedback (known: readonly UpdateId[], fresh: readonly UpdateId[]): void {
    if (!this.feedback) return
    for (const id of known) {
      const s = this.store.get(idKey(id.origin, id.seq))
      if (s === undefined) continue
      if (this.coin) this.loseInterest(s); else s.useless++
    }
    if (this.coin) return
    for (const id of fresh) {
      const s = this.store.get(idKey(id.origin, id.seq))
      if (s !== undefined) s.useful++
    }
  }

  /**
   * Settle the feedback counter once per round (cycle), so the outcome does not depend on the order
   * in which answers arrived: a round with a useful contact resets the counter, a round with only
   * useless ones adds one. A node thus stops after k consecutive cycles of unnecessary contacts,
   * which is the paper's counter (its traffic bound k(2m − 1) counts unnecessary messages within k
   * cycles of a necessary one). With push and fanout 1 it is one contact per cycle anyway.
   */
  private settle (): void {
    if (!this.feedback || this.coin) return
    const k = this.options.k
    for (const key of this.hot) {
      const s = this.store.get(key)
      if (s === undefined) continue
      if (s.useful > 0) s.counter = 0
      else if (s.useless > 0) s.counter++
      s.useful = 0; s.useless = 0
      if (s.counter >= k) { s.hot = false; this.hot.delete(key) }
    }
  }

  // ---- messages --------------------------------------------------------------------------------

  onMessage (from: PeerRef, msg: GossipMessage): void {
    if (!this.running) return
    // learn senders (live full membership); a simulated shared list already names everyone
    if (this.learnSenders) this.membership.add(from)
    // a peer we had dropped as failed answers again (e.g. the partition healed): take it back
    if (this.lost.delete(from.id)) { this.membership.add(from); this.env.stats.inc('gossip:recovered') }
    switch (msg.type) {
      case 'rumor': this.onRumor(from, msg.updates, msg.pull); break
      case 'reply': {
        this.onFeedback(msg.known, msg.fresh)
        const { known, fresh } = this.receiveAll(from, msg.updates, 'rumor')
        if (this.feedback && known.length + fresh.length > 0) this.env.send(from, { type: 'feedback', known, fresh })
        break
      }
      case 'feedback': this.onFeedback(msg.known, msg.fresh); break
      case 'busy': {
        this.env.stats.inc('gossip:refused')
        if (this.huntsLeft > 0) {
          this.huntsLeft--
          const p = this.membership.pick(this.env.rng, 1, from.id)[0]
          if (p !== undefined) this.contact(p)
        }
        break
      }
      case 'ae': this.onAe(from, msg.mode, msg.sum, msg.mapSum); break
      case 'ae-reply': this.onAeReply(from, msg.digest, msg.mapSum, msg.entries); break
      case 'ae-push': this.onAePush(from, msg.updates, msg.entries, msg.digest); break
      case 'fetch': {
        const s = this.store.get(idKey(msg.origin, msg.seq))
        this.env.send(from, { type: 'body', origin: msg.origin, seq: msg.seq, ...(s?.u.data !== undefined ? { data: s.u.data } : {}) })
        break
      }
      case 'body': this.onBody(from, msg.origin, msg.seq, msg.data); break
      case 'shuffle':
        if (this.membership instanceof CyclonView) {
          const entries = this.membership.onShuffle(this.env.rng, from, msg.entries)
          this.env.send(from, { type: 'shuffle-reply', entries })
        }
        break
      case 'shuffle-reply':
        if (this.membership instanceof CyclonView) this.membership.onShuffleReply(from, msg.entries)
        break
    }
  }

  onPeerUnreachable (peer: PeerRef): void {
    this.membership.remove(peer.id)
    this.loseTrack(peer)
  }

  onPeerConnected (peer: PeerRef): void {
    this.lost.delete(peer.id)
    this.membership.add(peer)
  }

  private onRumor (from: PeerRef, updates: readonly Update[], pull: boolean): void {
    const limit = this.options.connectionLimit
    if (limit > 0 && this.acceptedThisRound >= limit) {
      this.env.stats.inc('gossip:busy')
      // the refused contact transmitted nothing (the paper's model): keep traffic counts honest
      this.env.stats.inc('gossip:refused-updates', updates.length)
      this.env.send(from, { type: 'busy' })
      return
    }
    this.acceptedThisRound++
    const { known, fresh } = this.receiveAll(from, updates, 'rumor')
    if (pull) {
      const pushed = new Set(updates.map(u => idKey(u.origin, u.seq)))
      const served: Update[] = []
      for (const s of this.hotList()) {
        const key = idKey(s.u.origin, s.u.seq)
        if (pushed.has(key)) { if (this.feedback) { if (this.coin) this.loseInterest(s); else s.useless++ } continue } // the partner knew it
        served.push(s.wire)
        this.env.stats.inc('gossip:rumor-updates')
        if (!this.feedback) this.loseInterest(s)
      }
      this.env.send(from, { type: 'reply', updates: served, known: this.feedback ? known : [], fresh: this.feedback ? fresh : [] })
    } else if (this.feedback && known.length + fresh.length > 0) {
      this.env.send(from, { type: 'feedback', known, fresh })
    }
  }

  /** Take in updates; returns the ids we already had and those that were new (for feedback). */
  private receiveAll (from: PeerRef, updates: readonly Update[], via: 'rumor' | 'ae'): { known: UpdateId[], fresh: UpdateId[] } {
    const known: UpdateId[] = []
    const fresh: UpdateId[] = []
    for (const u of updates) {
      const id = { origin: u.origin, seq: u.seq }
      if (this.receive(from, u, via) || this.newThisRound(u)) fresh.push(id); else known.push(id)
    }
    return { known, fresh }
  }

  /**
   * With synchronous rounds, a node that got the update during the current round did not know it
   * when the round began: as in the paper's model, a second contact in the same round is not useless.
   */
  private newThisRound (u: UpdateId): boolean {
    if (!this.options.alignRounds) return false
    const s = this.store.get(idKey(u.origin, u.seq))
    const p = this.options.periodMs
    return s !== undefined && Math.floor(s.at / p) === Math.floor(this.env.now() / p)
  }

  /** Returns false when we already had (or are already fetching) the update. */
  private receive (from: PeerRef, u: Update, via: 'rumor' | 'ae'): boolean {
    const now = this.env.now()
    const ttl = this.options.ttlMs
    if (this.seen.has(u.origin, u.seq)) { this.env.stats.inc('gossip:duplicate'); return false }
    if (u.time + ttl <= now) { this.env.stats.inc('gossip:expired'); return false }
    if (u.time > now + ttl || !validUpdate(u, this.options)) { this.env.stats.inc('gossip:invalid'); return false }
    if (u.data === undefined) return this.announce(from, u)
    this.seen.add(u.origin, u.seq, u.time)
    this.env.stats.inc(via === 'ae' ? 'gossip:ae-repaired' : 'gossip:received-new')
    const s = this.keep(u, true)
    this.deliver(from, u)
    if (s !== undefined) this.spreadNew(u, s)
    return true
  }

  /** A new rumor (ours or received): spread it now (eager) or from the next round. */
  private spreadNew (u: Update, s = this.store.get(idKey(u.origin, u.seq))): void {
    if (this.options.mode === 'none' || s === undefined) return
    if (this.options.eager && this.options.mode !== 'pull') {
      for (const p of this.membership.pick(this.env.rng, this.options.fanout)) this.contact(p, s)
    }
    if (s.hot) this.armRound()
  }

  private keep (u: Update, hot: boolean): Stored | undefined {
    const key = idKey(u.origin, u.seq)
    if (this.store.size >= this.options.maxStored) this.evictOldest()
    const large = u.size > this.options.maxInlineBytes
    const wire: Update = large
      ? { ...u, data: undefined, hash: u.hash ?? sha256(u.data ?? new Uint8Array(0)) }
      : u
    const s: Stored = { u, wire, hot: hot && this.options.mode !== 'none', counter: 0, at: this.env.now(), useful: 0, useless: 0 }
    this.store.set(key, s)
    if (s.hot) this.hot.add(key)
    return s
  }

  private evictOldest (): void {
    const first = this.store.keys().next()
    if (first.done === true) return
    this.store.delete(first.value)
    this.hot.delete(first.value)
    this.env.stats.inc('gossip:evicted')
  }

  private deliver (from: PeerRef, u: Update): void {
    const ready = this.causal !== undefined ? this.causal.offer(u) : [u]
    for (const r of ready) this.deliverNow(from, r)
  }

  private deliverNow (from: PeerRef, u: Update): void {
    this.env.stats.inc('gossip:delivered')
    if (u.kind !== UpdateKind.Message) { this.applyMap(u); return }
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
    if (this.map.apply(u.key, u.lamport, originPeer(u.origin), deleted, deleted ? undefined : u.data, this.env.now())) {
      this.env.emit({ type: 'gossip:map', key: u.key, deleted, value: deleted ? undefined : u.data })
    }
  }

  private mergeEntries (entries: readonly MapEntryWire[]): number {
    const changed = this.map.merge(entries, this.env.now())
    for (const key of changed) {
      const e = this.map.entry(key)
      this.env.emit({ type: 'gossip:map', key, deleted: e?.deleted === true, value: e?.deleted === true ? undefined : e?.value })
    }
    return changed.length
  }

  private maxEntries (): number { return 4 * this.options.maxUpdatesPerMessage }

  // ---- large payloads: announced, then pulled -----------------------------------------------------

  private announce (from: PeerRef, ann: Update): boolean {
    const key = idKey(ann.origin, ann.seq)
    const pending = this.fetches.get(key)
    if (pending !== undefined) {
      if (pending.sources.length < 8 && !pending.sources.some(p => p.id === from.id)) pending.sources.push(from)
      return false
    }
    this.fetches.set(key, { ann, sources: [from], tries: 0 })
    this.askBody(key)
    return true
  }

  private askBody (key: string): void {
    const f = this.fetches.get(key)
    if (f === undefined) return
    const src = f.sources[f.tries % f.sources.length]
    if (f.tries >= 2 * f.sources.length + 1) {
      this.fetches.delete(key)
      this.env.stats.inc('gossip:fetch-failed')
      return
    }
    f.tries++
    this.env.send(src, { type: 'fetch', origin: f.ann.origin, seq: f.ann.seq })
    this.env.setTimer(`fetch:${key}`, this.options.fetchTimeoutMs)
  }

  private fetchTimeout (key: string): void { this.askBody(key) }

  private onBody (from: PeerRef, origin: string, seq: number, data: Uint8Array | undefined): void {
    const key = idKey(origin, seq)
    const f = this.fetches.get(key)
    if (f === undefined || !f.sources.some(p => p.id === from.id)) { this.env.stats.inc('gossip:unsolicited'); return }
    if (data === undefined || data.byteLength !== f.ann.size || f.ann.hash === undefined || !equalBytes(sha256(data), f.ann.hash)) {
      this.env.stats.inc('gossip:bad-body')
      this.askBody(key) // try the next source now
      return
    }
    this.fetches.delete(key)
    this.env.clearTimer(`fetch:${key}`)
    this.receive(from, { ...f.ann, data }, 'rumor')
  }

  // ---- anti-entropy ------------------------------------------------------------------------------

  /*
   * Anti-entropy with checksums first (Demers: compare checksums, exchange only on a difference):
   *   A → B  ae { sum, mapSum }                      B in sync: no answer (one frame per exchange)
   *   B → A  ae-reply { digest_B, entries_B? }       entries when maps differ and mode ≠ push
   *   A → B  ae-push { what B lacks (mode ≠ pull), entries_A?, digest_A (mode ≠ push, if A lacks something) }
   *   B → A  ae-push { what A lacks }                only when A sent its digest
   */
  private antiEntropy (): void {
    const p = this.membership.pick(this.env.rng, 1)[0]
    if (p === undefined) return
    this.env.stats.inc('gossip:ae-contacts')
    this.env.send(p, { type: 'ae', mode: this.options.aeMode, sum: this.digestSum(), mapSum: this.map.checksum })
  }

  private since (): number { return this.env.now() - this.options.ttlMs }
  private digest (): DigestEntry[] { return this.seen.digest(this.since()) }
  private digestSum (): number { return this.seen.digestSum(this.since()) }

  private onAe (from: PeerRef, mode: AeMode, sum: number, mapSum: number): void {
    const mine = this.map.checksum
    if (sum === this.digestSum() && mapSum === mine) {
      this.env.stats.inc('gossip:ae-in-sync')
      return
    }
    if (this.aeModes.size >= 1024) this.aeModes.clear()
    this.aeModes.set(from.id, mode)
    const entries = mine !== mapSum && mode !== 'push' ? this.map.toWire(this.maxEntries()) : undefined
    this.env.send(from, { type: 'ae-reply', digest: this.digest(), mapSum: mine, ...(entries !== undefined ? { entries } : {}) })
  }

  private onAeReply (from: PeerRef, digest: readonly DigestEntry[], mapSum: number, entries: readonly MapEntryWire[] | undefined): void {
    const mode = this.options.aeMode
    if (entries !== undefined) this.mergeEntries(entries)
    const updates = mode === 'pull' ? [] : this.missingFrom(digest)
    const sendEntries = mode !== 'pull' && this.map.checksum !== mapSum
    const ask = mode !== 'push' && !this.seen.covers(digest)
    if (updates.length === 0 && !sendEntries && !ask) return
    this.env.stats.inc('gossip:ae-updates', updates.length)
    this.env.send(from, {
      type: 'ae-push',
      updates,
      ...(sendEntries ? { entries: this.map.toWire(this.maxEntries()) } : {}),
      ...(ask ? { digest: this.digest() } : {})
    })
  }

  private onAePush (from: PeerRef, updates: readonly Update[], entries: readonly MapEntryWire[] | undefined, digest: readonly DigestEntry[] | undefined): void {
    this.receiveAll(from, updates, 'ae')
    if (entries !== undefined) this.mergeEntries(entries)
    if (digest === undefined) return
    // the initiator asks for what it lacks; only answer an exchange we took part in (not a push-only one)
    const mode = this.aeModes.get(from.id)
    this.aeModes.delete(from.id)
    if (mode === undefined || mode === 'push') { this.env.stats.inc('gossip:unsolicited'); return }
    const missing = this.missingFrom(digest)
    if (missing.length === 0) return
    this.env.stats.inc('gossip:ae-updates', missing.length)
    this.env.send(from, { type: 'ae-push', updates: missing })
  }

  /** Stored, unexpired updates the digest's owner lacks (at most maxUpdatesPerMessage). */
  private missingFrom (digest: readonly DigestEntry[]): Update[] {
    const index = indexDigest(digest)
    const since = this.env.now() - this.options.ttlMs
    const out: Update[] = []
    for (const s of this.store.values()) {
      if (s.u.time <= since) continue
      if (digestHas(index, s.u.origin, s.u.seq)) continue
      out.push(s.wire)
      if (out.length >= this.options.maxUpdatesPerMessage) break
    }
    return out
  }

  // ---- membership and housekeeping -------------------------------------------------------------------

  private shuffle (): void {
    const m = this.options.membership
    if (m.kind !== 'cyclon' || !(this.membership instanceof CyclonView)) return
    const unanswered = this.membership.unanswered()
    if (unanswered !== undefined) this.loseTrack(unanswered)
    const s = this.membership.startShuffle(this.env.rng)
    if (s !== undefined) this.env.send(s.target, { type: 'shuffle', entries: s.entries })
    this.env.setTimer(SHUFFLE, this.nextDelay(m.periodMs ?? this.options.periodMs))
  }

  /** Remember a failed peer; the probe timer runs only while some peer is lost (no cost otherwise). */
  private loseTrack (peer: PeerRef): void {
    this.lost.add(peer)
    this.armRecover()
  }

  private recoverArmed = false

  private armRecover (): void {
    const period = this.options.recoveryPeriodMs
    if (this.recoverArmed || !this.running || period <= 0 || this.lost.size === 0) return
    this.recoverArmed = true
    // jittered, so nodes that lost their peers at the same moment do not probe in lockstep
    this.env.setTimer(RECOVER, this.env.rng.range(0.5 * period, 1.5 * period))
  }

  /**
   * Contact one peer we dropped as failed. Full membership: an anti-entropy exchange (the partner
   * learns us back from the message, and its answer brings it back here). Cyclon: a shuffle, which
   * also mixes views across a healed partition. A peer that is still down costs one message.
   */
  private probeLost (): void {
    const p = this.lost.pick(this.env.rng)
    if (p === undefined) return
    this.armRecover()
    this.env.stats.inc('gossip:probes')
    if (this.membership instanceof CyclonView) {
      this.env.send(p, { type: 'shuffle', entries: this.membership.probe(this.env.rng, p) })
    } else {
      this.env.send(p, { type: 'ae', mode: this.options.aeMode, sum: this.digestSum(), mapSum: this.map.checksum })
    }
  }

  private gc (): void {
    const now = this.env.now()
    const before = now - this.options.ttlMs
    for (const [key, s] of this.store) {
      if (s.u.time <= before) { this.store.delete(key); this.hot.delete(key) }
    }
    this.seen.expireGaps(before)
    this.aeModes.clear()
    this.map.expire(now)
    if (this.causal !== undefined) for (const u of this.causal.expire(before)) this.deliverNow(this.env.self, u)
  }
}

/** The peer id part of an origin name (`<peer id>/<incarnation>`). */
export function originPeer (origin: string): string {
  const i = origin.lastIndexOf('/')
  return i < 0 ? origin : origin.slice(0, i)
}

function validUpdate (u: Update, o: ResolvedOptions): boolean {
  if (!Number.isSafeInteger(u.seq) || u.seq < 1 || u.origin.length === 0) return false
  if (u.size > o.maxMessageBytes) return false
  if (u.data !== undefined && u.data.byteLength !== u.size) return false
  if (u.data === undefined && (u.hash === undefined || u.hash.byteLength !== 32 || u.size === 0)) return false
  if (u.kind !== UpdateKind.Message && (u.key === undefined || u.lamport === undefined)) return false
  if (u.deps !== undefined && u.deps.length > o.maxGroup) return false
  return true
}

function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}
