/**
 * Finding the region: probes and their replies, merging refresh-list and candidate gossip, the peers
 * that probed us (someone to ask when we know nobody else), the once-a-period region refresh before an
 * election and a supernode's search for links. Split from machine.ts so the machine keeps joining,
 * attaching, elections and roles; this part sees the machine only through FtContext and
 * `DiscoveryHooks`, and calls the env in the same order as before (same seed ⇒ same run).
 */
import type { PeerRef } from '../overlay/index.js'
import type { AttachBackoff } from './attach-backoff.js'
import { minEligibleScore } from './capacity.js'
import type { FtContext } from './context.js'
import { LIMITS } from './limits.js'
import type { CandidateInfo, FtOf, Role, SupernodeInfo } from './messages.js'
import { ROLE_LEAF, ROLE_SUPERNODE } from './messages.js'
import { peersOf } from './refresh-list.js'

export interface DiscoveryHooks {
  role (): Role
  /** Leaves attached to us (0 when a leaf). */
  leafCount (): number
  /** A probe reply was merged: a supernode fills its links, an orphaned leaf may seek. */
  replied (): void
}

/** How many peers that probed us are kept (oldest first out). */
const MAX_HOSTS = 16

export class Discovery {
  /** Peers that probed us lately, or were introduced (bounded, oldest first out). */
  readonly hosts: PeerRef[] = []
  private lastRegionProbe = -Infinity
  private lastDiscovery = -Infinity

  constructor (
    private readonly ctx: FtContext,
    private readonly hooks: DiscoveryHooks,
    /** Shared with the machine: also remembers who said it is no supernode. */
    private readonly backoff: AttachBackoff
  ) {}

  addHost (peer: PeerRef): void {
    if (!this.hosts.some(h => h.id === peer.id)) { this.hosts.push(peer); if (this.hosts.length > MAX_HOSTS) this.hosts.shift() }
  }

  probe (peer: PeerRef): void {
    const { env } = this.ctx
    if (peer.id === env.self.id) return
    env.send(peer, { type: 'probe', capacity: this.ctx.capacity(), eligible: this.ctx.eligible(), role: this.hooks.role() })
  }

  onProbe (from: PeerRef, m: FtOf<'probe'>): void {
    const { env, o, refresh, candidates } = this.ctx
    const now = env.now()
    this.addHost(from)
    if (m.role === ROLE_LEAF && refresh.has(from.id)) this.notASupernode(from.id)
    if (m.role === ROLE_LEAF && m.eligible && m.capacity >= minEligibleScore(o)) candidates.upsert({ peer: from, capacity: m.capacity }, now)
    if (m.role === ROLE_SUPERNODE && m.capacity >= minEligibleScore(o) && refresh.get(from.id) === undefined) {
      refresh.upsert({ peer: from, capacity: m.capacity, leaves: 0, room: true }, now)
    }
    const role = this.hooks.role()
    env.send(from, {
      type: 'probe_reply',
      capacity: this.ctx.capacity(),
      eligible: this.ctx.eligible(),
      role,
      leaves: this.hooks.leafCount(),
      supernodes: role === ROLE_SUPERNODE ? [this.ctx.selfInfo(), ...refresh.sample(env.rng, o.gossipSample - 1)] : refresh.sample(env.rng, o.gossipSample),
      candidates: candidates.sample(env.rng, 16).filter(c => c.peer.id !== from.id)
    })
  }

  onProbeReply (from: PeerRef, m: FtOf<'probe_reply'>): void {
    const { env, o, refresh, candidates } = this.ctx
    const now = env.now()
    if (m.role === ROLE_SUPERNODE) {
      if (m.capacity >= minEligibleScore(o)) { refresh.upsert({ peer: from, capacity: m.capacity, leaves: m.leaves, room: m.leaves < o.maxLeaves }, now); this.backoff.isSupernode(from.id) } else this.ctx.bad('ineligible-claim')
    } else {
      this.notASupernode(from.id)
      if (m.eligible && m.capacity >= minEligibleScore(o)) candidates.upsert({ peer: from, capacity: m.capacity }, now)
    }
    this.learn(m.supernodes, m.candidates)
    this.hooks.replied()
  }

  /** Merge gossip: refresh-list entries and candidates, refusing ineligible claims. */
  learn (sns: readonly SupernodeInfo[], cands: readonly CandidateInfo[]): void {
    const { env, o, refresh, candidates } = this.ctx
    const now = env.now()
    const min = minEligibleScore(o)
    for (const s of sns.slice(0, LIMITS.maxSupernodes)) {
      if (s.capacity < min) { this.ctx.bad('ineligible-claim'); continue }
      if (s.peer.id === env.self.id) continue
      if (this.backoff.knownNotSupernode(s.peer.id, now, this.notSupernodeMemoryMs())) continue
      refresh.upsert(s, now, true)
      candidates.remove(s.peer.id)
    }
    for (const c of cands.slice(0, LIMITS.maxCandidates)) {
      if (c.capacity < min || refresh.has(c.peer.id)) continue
      candidates.upsert(c, now)
    }
  }

  /** A peer said itself it is no supernode: forget it as one, and ignore gossip naming it for a while. */
  notASupernode (id: string): void {
    const { env, refresh } = this.ctx
    if (refresh.has(id)) env.stats.inc('ft.refresh.not-supernode')
    refresh.remove(id)
    this.backoff.notASupernode(id, env.now())
  }

  /** Gossip lags behind a demotion by a few exchanges; after this long a report may be news again. */
  private notSupernodeMemoryMs (): number { return this.ctx.o.demotePeriods * this.ctx.o.maintenanceMs }

  /** Someone to ask: a node that knows nobody at all waits to be introduced (or probed) instead of electing itself. */
  knowsAnyone (): boolean {
    const { o, refresh, candidates } = this.ctx
    return o.bootstrap.length > 0 || this.hosts.length > 0 || refresh.size > 0 || candidates.size > 0
  }

  /** How long to wait for probe replies before acting on them. */
  probeWait (): number { return this.ctx.rtt.timeout(Math.min(this.ctx.o.replyTimeoutMs, 1000), this.ctx.o.replyTimeoutMs) }

  /**
   * Before electing, refresh what we know of the region, at most once a period: the candidates a
   * bootstrap peer knew when we joined may be fewer than it knows now, and a supernode may have
   * appeared. Returns true when probes went out.
   */
  regionProbe (): boolean {
    const { env, o, candidates } = this.ctx
    const now = env.now()
    // at most once a period, and never twice in a row before the replies could be used (a short
    // period must not turn seek → probe → seek into a loop that never elects)
    if (now - this.lastRegionProbe < Math.max(o.maintenanceMs, 3 * this.probeWait())) return false
    this.lastRegionProbe = now
    const peers = [...o.bootstrap, ...this.hosts, ...peersOf(candidates.sample(env.rng, 8))]
    for (const p of peers) this.probe(p)
    return peers.length > 0
  }

  /** Nobody eligible known: ask everyone we know for more peers (the election retries next period). */
  noCandidates (): void {
    const { env, o, refresh, candidates } = this.ctx
    env.stats.inc('ft.elections.no-candidates')
    for (const p of peersOf(refresh.values(), candidates.values())) this.probe(p)
    for (const p of o.bootstrap) this.probe(p)
    for (const p of this.hosts) this.probe(p)
  }

  /** A supernode short of links asks around for supernodes, at most once a period. */
  discover (leaves: PeerRef[]): void {
    const { env, o, candidates } = this.ctx
    const now = env.now()
    if (now - this.lastDiscovery < o.maintenanceMs) return
    this.lastDiscovery = now
    env.stats.inc('ft.discovery')
    const peers = [...o.bootstrap, ...this.hosts, ...peersOf(candidates.sample(env.rng, 4)), ...leaves]
    for (const p of peers) this.probe(p)
  }
}
