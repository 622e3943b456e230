/**
 * A bounded partial view kept fresh by Cyclon's shuffle (Voulgaris et al. 2005): every period a node
 * ages its entries, sends a few of them plus a fresh descriptor of itself to its oldest neighbour
 * (which it drops), and the neighbour answers with a few of its own. Each side fills empty slots and
 * then overwrites the entries it sent. Dead peers are never answered, so they age out; the view never
 * exceeds `viewSize`, and the swap keeps the overlay connected and close to a random graph.
 */
import type { Rng } from '../overlay/rng.js'
import type { PeerRef } from '../overlay/types.js'
import type { Membership } from './membership.js'
import type { Descriptor } from './types.js'

export interface CyclonOptions {
  /** Entries in the view. @default 20 */
  viewSize?: number
  /** Entries exchanged per shuffle. @default 8 */
  shuffleLength?: number
}

interface Entry { id: string, addrs?: readonly string[], age: number }

export class CyclonView implements Membership {
  readonly viewSize: number
  readonly shuffleLength: number
  private view: Entry[] = []
  /** Per shuffle partner, what we sent it (replaced first when its answer arrives). */
  private readonly sent = new Map<string, string[]>()
  /** The target of the last regular shuffle, until it answers. */
  private pending: PeerRef | undefined

  constructor (private readonly self: PeerRef, options: CyclonOptions = {}) {
    this.viewSize = Math.max(1, options.viewSize ?? 20)
    this.shuffleLength = Math.max(1, Math.min(options.shuffleLength ?? 8, this.viewSize))
  }

  get size (): number { return this.view.length }

  peers (): PeerRef[] { return this.view.map(e => ({ id: e.id, addrs: e.addrs })) }

  add (peer: PeerRef): void {
    if (peer.id === this.self.id) return
    const e = this.view.find(x => x.id === peer.id)
    if (e !== undefined) { if ((peer.addrs?.length ?? 0) > 0) e.addrs = peer.addrs; return }
    if (this.view.length < this.viewSize) this.view.push({ id: peer.id, addrs: peer.addrs, age: 0 })
  }

  remove (id: string): void {
    this.view = this.view.filter(e => e.id !== id)
  }

  pick (rng: Rng, k: number, exclude?: string): PeerRef[] {
    const candidates = exclude === undefined ? this.view : this.view.filter(e => e.id !== exclude)
    return rng.sample(candidates, k).map(e => ({ id: e.id, addrs: e.addrs }))
  }

  /**
   * The target of the previous shuffle if it never answered (once; the caller may remember it as
   * lost: Cyclon alone forgets it for good, which after a long partition leaves no entry pointing
   * across the cut). Call before startShuffle.
   */
  unanswered (): PeerRef | undefined {
    const p = this.pending
    if (p !== undefined) { this.sent.delete(p.id); this.pending = undefined }
    return p
  }

  /** Start a shuffle: the target (our oldest neighbour, now dropped) and what to send it. */
  startShuffle (rng: Rng): { target: PeerRef, entries: Descriptor[] } | undefined {
    if (this.view.length === 0) return undefined
    for (const e of this.view) e.age++
    let oldest = 0
    for (let i = 1; i < this.view.length; i++) if (this.view[i].age > this.view[oldest].age) oldest = i
    const target = this.view[oldest]
    this.view.splice(oldest, 1)
    const t: PeerRef = { id: target.id, addrs: target.addrs }
    this.pending = t
    return { target: t, entries: this.offer(rng, t.id) }
  }

  /**
   * A shuffle with a peer that is not in the view (a lost peer being probed): nothing is dropped,
   * its answer is merged like any other.
   */
  probe (rng: Rng, target: PeerRef): Descriptor[] {
    return this.offer(rng, target.id)
  }

  /** Our fresh descriptor plus a sample of the view, remembered per target for the merge. */
  private offer (rng: Rng, target: string): Descriptor[] {
    const others = rng.sample(this.view.filter(e => e.id !== target), this.shuffleLength - 1)
    if (this.sent.size >= 16) this.sent.clear() // answers that never came; bounded
    this.sent.set(target, others.map(e => e.id))
    return [{ id: this.self.id, addrs: this.self.addrs, age: 0 }, ...others.map(toDescriptor)]
  }

  /** Answer a shuffle request and merge what it brought. */
  onShuffle (rng: Rng, from: PeerRef, entries: readonly Descriptor[]): Descriptor[] {
    const reply = rng.sample(this.view.filter(e => e.id !== from.id), this.shuffleLength)
    this.merge(entries, reply.map(e => e.id))
    return reply.map(toDescriptor)
  }

  /** Merge the answer to our shuffle (or probe) from `from`. */
  onShuffleReply (from: PeerRef, entries: readonly Descriptor[]): void {
    if (this.pending?.id === from.id) this.pending = undefined
    this.merge(entries, this.sent.get(from.id) ?? [])
    this.sent.delete(from.id)
  }

  private merge (received: readonly Descriptor[], sent: readonly string[]): void {
    const replaceable = sent.slice()
    for (const d of received) {
      if (d.id === this.self.id) continue
      const have = this.view.find(e => e.id === d.id)
      if (have !== undefined) {
        if (d.age < have.age) { have.age = d.age; if ((d.addrs?.length ?? 0) > 0) have.addrs = d.addrs }
        continue
      }
      if (this.view.length < this.viewSize) {
        this.view.push({ id: d.id, addrs: d.addrs, age: d.age })
        continue
      }
      while (replaceable.length > 0) {
        const victim = replaceable.shift() as string
        const i = this.view.findIndex(e => e.id === victim)
        if (i >= 0) { this.view[i] = { id: d.id, addrs: d.addrs, age: d.age }; break }
      }
    }
  }
}

function toDescriptor (e: Entry): Descriptor {
  return e.addrs === undefined ? { id: e.id, age: e.age } : { id: e.id, addrs: e.addrs, age: e.age }
}
