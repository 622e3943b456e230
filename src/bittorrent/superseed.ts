/**
 * Super-seeding (BEP 16), for a seed whose uplink is the bottleneck of a flash crowd. The seed
 * sends no bitfield; it tells each peer, with `have`, about a couple of pieces only, and offers a
 * new one when the peer announces it has an offered piece. Each offer goes to the piece offered
 * least so far (then the rarest among connected peers), so the seed's uplink carries every piece
 * about once and the leechers spread the copies among themselves. Without it, leechers racing
 * for the same seed-only pieces make a seed upload 20–50 % duplicates (bittorrent-live). When a
 * rate-limited uplink idles, every peer gets one more offer (up to 16): a seed faster than the
 * leechers can relay must send pieces more than once, and two offers would leave it waiting.
 */
import type { Bitfield } from './bitfield.js'
import type { Rng } from '../overlay/rng.js'

export class SuperSeeder {
  /** Times each piece has been offered to anyone. */
  private readonly offers: Int32Array
  /** Pieces currently offered to each peer. */
  private readonly offered = new Map<string, Set<number>>()

  /** Pieces offered to each peer at a time: starts at 2, grows while the seed's uplink idles. */
  private perPeer = 2

  constructor (private readonly pieceCount: number, private readonly availability: Int32Array, private readonly rng: Rng, private readonly maxPerPeer = 16) {
    this.offers = new Int32Array(pieceCount)
  }

  /**
   * The seed's uplink had room to spare: offer one more piece per peer. A seed faster than its
   * leechers can pass pieces on should send some twice (the Kurose–Ross bound is then
   * N·F/(u_s + N·u), not F/u_s), and two offers per peer would leave it idle.
   */
  grow (): boolean {
    if (this.perPeer >= this.maxPerPeer) return false
    this.perPeer++
    return true
  }

  /**
   * Drop offers the peer now holds and top its offers up; returns the pieces to announce with `have`.
   */
  update (peer: string, has: Bitfield): number[] {
    let mine = this.offered.get(peer)
    if (mine === undefined) { mine = new Set(); this.offered.set(peer, mine) }
    for (const i of mine) if (has.get(i)) mine.delete(i)
    const out: number[] = []
    while (mine.size < this.perPeer) {
      const i = this.choose(has, mine)
      if (i < 0) break
      mine.add(i)
      this.offers[i]++
      out.push(i)
    }
    return out
  }

  /** Whether `index` is one of the pieces offered to `peer` right now. */
  isOffered (peer: string, index: number): boolean { return this.offered.get(peer)?.has(index) ?? false }

  /** Whether the peer still lacks one of the pieces offered to it. */
  offersFor (peer: string, has: Bitfield): boolean {
    for (const i of this.offered.get(peer) ?? []) if (!has.get(i)) return true
    return false
  }

  forget (peer: string): void { this.offered.delete(peer) }

  /** Least-offered piece the peer lacks, then rarest, ties at random. */
  private choose (has: Bitfield, mine: Set<number>): number {
    let best = Infinity
    let chosen = -1
    let ties = 0
    for (let i = 0; i < this.pieceCount; i++) {
      if (has.get(i) || mine.has(i)) continue
      const score = this.offers[i] * 1_000_000 + this.availability[i]
      if (score < best) { best = score; chosen = i; ties = 1 } else if (score === best && this.rng.int(++ties) === 0) chosen = i
    }
    return chosen
  }
}
