/**
 * The refresh list (live supernodes a node knows, KaZaA kept up to 200) and the candidate list
 * (eligible non-supernodes, for elections). Both are bounded; the stalest entries go first.
 */
import type { PeerRef, Rng } from '../overlay/index.js'
import { compareRank } from './capacity.js'
import type { CandidateInfo, SupernodeInfo } from './messages.js'

interface Entry<T> { info: T, seen: number }

export class RefreshList {
  // an array beside the map gives O(1) random picks for samples (swap-remove keeps it dense)
  private readonly list: Array<Entry<SupernodeInfo>> = []
  private readonly pos = new Map<string, number>()
  constructor (private readonly max: number, private readonly selfId: string) {}

  get size (): number { return this.list.length }
  has (id: string): boolean { return this.pos.has(id) }
  get (id: string): SupernodeInfo | undefined { const i = this.pos.get(id); return i === undefined ? undefined : this.list[i].info }
  ids (): string[] { return this.list.map(e => e.info.peer.id) }
  values (): SupernodeInfo[] { return this.list.map(e => e.info) }

  remove (id: string): void {
    const i = this.pos.get(id)
    if (i === undefined) return
    const last = this.list.pop() as Entry<SupernodeInfo>
    this.pos.delete(id)
    if (i < this.list.length) { this.list[i] = last; this.pos.set(last.info.peer.id, i) }
  }

  /**
   * Insert or refresh; when full, the entry seen longest ago is evicted. A second-hand report (a
   * sample relayed by another node) only adds unknown supernodes: it may be old, and must not
   * overwrite what we heard from the supernode itself (its load, whether it has room).
   */
  upsert (info: SupernodeInfo, now: number, secondHand = false): void {
    if (info.peer.id === this.selfId) return
    const i = this.pos.get(info.peer.id)
    if (i !== undefined) {
      if (secondHand) return
      const old = this.list[i]
      // keep addresses we already had when the newer report carries none
      const peer = (info.peer.addrs?.length ?? 0) > 0 ? info.peer : old.info.peer
      old.info = peer === info.peer ? info : { ...info, peer }
      old.seen = Math.max(old.seen, now)
      return
    }
    if (this.list.length >= this.max) this.evictStalest()
    this.pos.set(info.peer.id, this.list.length)
    this.list.push({ info, seen: now })
  }

  /** Mark a supernode as full (it refused us) without forgetting it. */
  markFull (id: string): void {
    const i = this.pos.get(id)
    if (i === undefined) return
    const e = this.list[i]
    if (e.info.room) e.info = { ...e.info, room: false }
  }

  /**
   * A supernode to attach to: among those believed to have room and not in `exclude`, the less loaded
   * of two random picks (power of two choices spreads leaves evenly without global knowledge).
   */
  pickForAttach (rng: Rng, exclude: ReadonlySet<string>): SupernodeInfo | undefined {
    const open: SupernodeInfo[] = []
    const full: SupernodeInfo[] = []
    for (const e of this.list) {
      if (exclude.has(e.info.peer.id)) continue
      ;(e.info.room ? open : full).push(e.info)
    }
    // a "full" report may be stale: try those only when nothing else is left
    const pool = open.length > 0 ? open : full
    if (pool.length === 0) return undefined
    const a = rng.pick(pool)
    const b = rng.pick(pool)
    return a.leaves <= b.leaves ? a : b
  }

  /** Up to k distinct random entries, preferring those with room. */
  sample (rng: Rng, k: number): SupernodeInfo[] {
    const n = this.list.length
    if (k <= 0 || n === 0) return []
    if (n <= k) {
      const all = this.values()
      return [...all.filter(s => s.room), ...all.filter(s => !s.room)]
    }
    const picked = new Set<number>()
    const out: SupernodeInfo[] = []
    // random probes: first only entries with room, then any
    for (let tries = 0; out.length < k && tries < 4 * k; tries++) {
      const i = rng.int(n)
      if (picked.has(i)) continue
      const e = this.list[i]
      if (!e.info.room && tries < 2 * k) continue
      picked.add(i)
      out.push(e.info)
    }
    return out
  }

  hasRoomElsewhere (): boolean {
    for (const e of this.list) if (e.info.room) return true
    return false
  }

  private evictStalest (): void {
    let worst: string | undefined
    let worstSeen = Infinity
    for (const e of this.list) {
      if (e.seen < worstSeen) { worstSeen = e.seen; worst = e.info.peer.id }
    }
    if (worst !== undefined) this.remove(worst)
  }
}

export class CandidateList {
  private readonly entries = new Map<string, Entry<CandidateInfo>>()
  constructor (private readonly max: number, private readonly selfId: string) {}

  get size (): number { return this.entries.size }
  has (id: string): boolean { return this.entries.has(id) }
  remove (id: string): void { this.entries.delete(id) }
  values (): CandidateInfo[] { return [...this.entries.values()].map(e => e.info) }

  upsert (info: CandidateInfo, now: number): void {
    if (info.peer.id === this.selfId) return
    const old = this.entries.get(info.peer.id)
    if (old !== undefined) { old.info = info; old.seen = Math.max(old.seen, now); return }
    if (this.entries.size >= this.max) {
      let worst: string | undefined
      let worstSeen = Infinity
      for (const [id, e] of this.entries) if (e.seen < worstSeen) { worstSeen = e.seen; worst = id }
      if (worst !== undefined) this.entries.delete(worst)
    }
    this.entries.set(info.peer.id, { info, seen: now })
  }

  /** Candidates that outrank (capacity, id) — all of them when `capacity` is undefined — best first, at most k. */
  higherThan (capacity: number | undefined, id: string, k: number): CandidateInfo[] {
    const out: CandidateInfo[] = []
    for (const e of this.entries.values()) {
      if (capacity === undefined || compareRank(e.info.capacity, e.info.peer.id, capacity, id) > 0) out.push(e.info)
    }
    out.sort((a, b) => compareRank(b.capacity, b.peer.id, a.capacity, a.peer.id))
    return out.slice(0, k)
  }

  sample (rng: Rng, k: number): CandidateInfo[] {
    return rng.sample(this.values(), k)
  }
}

/** Peers worth asking for more refresh-list entries and candidates. */
export function peersOf (...lists: Array<ReadonlyArray<{ peer: PeerRef }>>): PeerRef[] {
  const seen = new Set<string>()
  const out: PeerRef[] = []
  for (const l of lists) for (const x of l) if (!seen.has(x.peer.id)) { seen.add(x.peer.id); out.push(x.peer) }
  return out
}
