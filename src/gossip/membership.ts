/**
 * Who a node gossips with. Two kinds:
 * - FullMembership: uniform choice among all nodes, as in Demers et al. The list may be shared by
 *   reference between simulated nodes (one array for 10^5 nodes), plus peers learned locally.
 * - CyclonView (cyclon.ts): a bounded partial view kept fresh by a peer-sampling shuffle.
 */
import type { Rng } from '../overlay/rng.js'
import type { PeerRef } from '../overlay/types.js'

export interface Membership {
  /** Up to k distinct peers, uniformly, never self or `exclude`. */
  pick (rng: Rng, k: number, exclude?: string): PeerRef[]
  /** A peer we heard of (connected, sent us something). */
  add (peer: PeerRef): void
  /** A peer that failed (unreachable, left). */
  remove (id: string): void
  get size (): number
  /** A copy of the peers known locally (for inspection and tests). */
  peers (): PeerRef[]
}

export class FullMembership implements Membership {
  private readonly local: PeerRef[] = []
  private readonly index = new Map<string, number>()
  private readonly dead = new Set<string>()

  /**
   * @param self this node's id (never picked)
   * @param shared a list shared by reference (not copied), e.g. every simulated node
   * @param maxLocal peers learned at run time are capped at this many
   */
  constructor (private readonly self: string, private readonly shared: readonly PeerRef[] = [], private readonly maxLocal = 100_000) {}

  get size (): number { return this.shared.length + this.local.length - this.dead.size }

  add (peer: PeerRef): void {
    if (peer.id === this.self) return
    this.dead.delete(peer.id)
    const i = this.index.get(peer.id)
    if (i !== undefined) {
      if ((peer.addrs?.length ?? 0) > 0) this.local[i] = peer
      return
    }
    if (this.sharedHas(peer.id)) return
    if (this.local.length >= this.maxLocal) return
    this.index.set(peer.id, this.local.length)
    this.local.push(peer)
  }

  remove (id: string): void {
    const i = this.index.get(id)
    if (i !== undefined) {
      const last = this.local.pop() as PeerRef
      this.index.delete(id)
      if (i < this.local.length) { this.local[i] = last; this.index.set(last.id, i) }
      return
    }
    if (this.shared.length > 0) this.dead.add(id)
  }

  pick (rng: Rng, k: number, exclude?: string): PeerRef[] {
    const total = this.shared.length + this.local.length
    const out: PeerRef[] = []
    if (total === 0 || k <= 0) return out
    // rejection sampling: cheap when k ≪ total, which is the normal case
    for (let tries = 0; out.length < k && tries < 8 * k + 16; tries++) {
      const i = rng.int(total)
      const p = i < this.shared.length ? this.shared[i] : this.local[i - this.shared.length]
      if (p.id === this.self || p.id === exclude || this.dead.has(p.id)) continue
      if (out.some(q => q.id === p.id)) continue
      out.push(p)
    }
    return out
  }

  peers (): PeerRef[] {
    return [...this.shared.filter(p => p.id !== this.self && !this.dead.has(p.id)), ...this.local]
  }

  private sharedHas (id: string): boolean {
    if (this.shared.length === 0) return false
    let ids = sharedIndex.get(this.shared)
    if (ids === undefined || ids.size !== this.shared.length) {
      ids = new Set(this.shared.map(p => p.id))
      sharedIndex.set(this.shared, ids)
    }
    return ids.has(id)
  }
}

/** One id index per shared list, so 10^5 simulated nodes sharing a list do not each build one. */
const sharedIndex = new WeakMap<readonly PeerRef[], Set<string>>()
