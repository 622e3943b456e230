/**
 * Choking (Cohen 2003): every rechoke the `slots` interested peers with the best rate are
 * unchoked — download rate from them while we leech (tit-for-tat), upload rate to them while we
 * seed — plus one optimistic unchoke rotated every few rechokes. A peer that has sent us nothing
 * for a minute while we wanted data is "snubbed": it keeps only the optimistic chance.
 */
import type { Rng } from '../overlay/rng.js'
import type { Peer } from './peer.js'

export interface ChokeCandidate {
  id: string
  interested: boolean
  snubbed: boolean
  downRate: number
  upRate: number
}

export interface ChokeDecision {
  unchoke: Set<string>
  optimistic: string | undefined
}

export function chooseUnchoked (peers: ChokeCandidate[], opts: { slots: number, seeding: boolean, rotateOptimistic: boolean, optimistic: string | undefined, rng: Rng }): ChokeDecision {
  const interested = opts.rng.shuffle(peers.filter(p => p.interested))
  const rate = (p: ChokeCandidate): number => opts.seeding ? p.upRate : p.downRate
  const regular = interested.filter(p => opts.seeding || !p.snubbed).sort((a, b) => rate(b) - rate(a)).slice(0, opts.slots)
  const unchoke = new Set(regular.map(p => p.id))
  let optimistic = opts.optimistic
  const stillThere = interested.some(p => p.id === optimistic)
  if (opts.rotateOptimistic || !stillThere || (optimistic !== undefined && unchoke.has(optimistic))) {
    const choked = interested.filter(p => !unchoke.has(p.id))
    optimistic = choked.length > 0 ? opts.rng.pick(choked).id : undefined
  }
  if (optimistic !== undefined) unchoke.add(optimistic)
  return { unchoke, optimistic }
}

/** What the choking logic needs from the machine. */
export interface ChokeHost {
  peers: Map<string, Peer>
  now (): number
  rng: Rng
  unchoke (p: Peer): void
  choke (p: Peer): void
  /** A peer went a snub interval without sending us a block while we waited: its requests go elsewhere. */
  snubbed (p: Peer, first: boolean): void
}

export interface ChokeTiming { unchokeSlots: number, rechokeMs: number, optimisticMs: number, snubMs: number }

/** Rate measurement, anti-snubbing and the rechoke/optimistic-unchoke schedule for one torrent. */
export class Choking {
  private optimistic: string | undefined
  private lastOptimisticAt = -Infinity

  constructor (private readonly host: ChokeHost, private readonly o: ChokeTiming) {}

  /** Unchoke interested peers at once while slots are free (so nobody waits 10 s for the first rechoke). */
  fillSlots (): void {
    const peers = [...this.host.peers.values()]
    let free = this.o.unchokeSlots + 1 - peers.filter(p => p.ready && !p.amChoking && p.peerInterested).length
    for (const p of peers) {
      if (free <= 0) break
      if (p.ready && p.amChoking && p.peerInterested) { this.host.unchoke(p); free-- }
    }
  }

  /** Close a rate window (average with the last, so one quiet interval does not drop a good peer) and mark snubbers. */
  measure (closeWindow: boolean): void {
    const now = this.host.now()
    const secs = this.o.rechokeMs / 1000
    for (const p of this.host.peers.values()) {
      if (closeWindow) {
        p.downRate = (p.downRate + p.downWindow / secs) / 2
        p.upRate = (p.upRate + p.upWindow / secs) / 2
        p.downWindow = 0; p.upWindow = 0
      }
      if (p.amInterested && p.outstanding.size > 0 && now - p.lastPieceAt > this.o.snubMs) {
        const first = !p.snubbed
        p.snubbed = true
        this.host.snubbed(p, first)
      }
    }
  }

  rechoke (seeding: boolean): void {
    const now = this.host.now()
    const rotate = now - this.lastOptimisticAt >= this.o.optimisticMs
    const ready = [...this.host.peers.values()].filter(p => p.ready)
    const decision = chooseUnchoked(ready.map(p => ({ id: p.id, interested: p.peerInterested, snubbed: p.snubbed, downRate: p.downRate, upRate: p.upRate })), {
      slots: this.o.unchokeSlots, seeding, rotateOptimistic: rotate, optimistic: this.optimistic, rng: this.host.rng
    })
    if (rotate) this.lastOptimisticAt = now
    this.optimistic = decision.optimistic
    for (const p of ready) {
      const unchoke = decision.unchoke.has(p.id)
      if (unchoke && p.amChoking) this.host.unchoke(p)
      else if (!unchoke && !p.amChoking) this.host.choke(p)
    }
  }

  forget (id: string): void { if (this.optimistic === id) this.optimistic = undefined }
}
