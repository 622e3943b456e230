/**
 * Peers this node dropped from its membership because they failed: unreachable (the live driver
 * closed the connection, a dial failed) or a Cyclon shuffle target that never answered.
 *
 * Why keep them: during a partition every node drops every peer of the other side (full membership
 * on `onPeerUnreachable`, Cyclon by ageing out unanswered shuffle targets). Once the network heals,
 * nothing in the membership points across any more, so anti-entropy runs within each side only and
 * the two sides never reconcile (Demers' anti-entropy assumes a partner can be any site). The machine
 * probes a remembered peer now and then; the first answer across the healed cut brings the sides
 * back together. Bounded: the oldest lost peer is forgotten first.
 */
import type { Rng } from '../overlay/rng.js'
import type { PeerRef } from '../overlay/types.js'

export class LostPeers {
  /** Insertion order = order of loss (a peer lost again moves to the end). */
  private readonly peers = new Map<string, PeerRef>()

  constructor (private readonly self: string, private readonly max: number) {}

  get size (): number { return this.peers.size }

  has (id: string): boolean { return this.peers.has(id) }

  add (peer: PeerRef): void {
    if (peer.id === this.self || this.max <= 0) return
    const had = this.peers.get(peer.id)
    this.peers.delete(peer.id)
    // keep known addresses: a later failure report may carry only the id
    this.peers.set(peer.id, (peer.addrs?.length ?? 0) > 0 || had === undefined ? peer : had)
    while (this.peers.size > this.max) {
      const oldest = this.peers.keys().next()
      if (oldest.done === true) break
      this.peers.delete(oldest.value)
    }
  }

  delete (id: string): boolean { return this.peers.delete(id) }

  /** One lost peer, uniformly. */
  pick (rng: Rng): PeerRef | undefined {
    if (this.peers.size === 0) return undefined
    const i = rng.int(this.peers.size)
    let j = 0
    for (const p of this.peers.values()) if (j++ === i) return p
    return undefined
  }

  list (): PeerRef[] { return [...this.peers.values()] }
}
