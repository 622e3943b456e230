/**
 * Ring merge after a partition heals.
 *
 * Chord's stabilization only repairs a ring it can still walk. When a network partition lasts longer
 * than a few request timeouts, each side drops every node of the other side from its successor
 * lists, predecessors and fingers (stabilize, check_predecessor, lookups and replication all time
 * out and forget the silent peer) and settles into a ring of its own. After the heal nothing points
 * across any more, so the two rings never meet again: classic Chord has no merge step.
 *
 * The fix, a simplified form of the ring merger of Shafaat, Ghodsi and Haridi ("Handling network
 * partitions and mergers in structured overlay networks", P2P 2007): every host remembers the peers
 * it dropped as dead (bounded, with their addresses), and every `mergeCheckMs` it probes one of
 * them: a lookup of one of its vnodes' own id, entered through that peer. The answer is where that
 * vnode belongs in the peer's ring:
 *
 * - the vnode itself or its current successor: the peer is on our ring; it is forgotten;
 * - a node between the vnode and its successor: another ring holds a closer successor; adopt it and
 *   notify it (we are its closer predecessor), so the other ring's stabilization splices us in from
 *   its side too;
 * - a node beyond our successor: our ring holds nodes between; they are its better predecessors.
 * On any disagreement, probe our other vnodes at once and check again soon: one disagreement means
 * the rest of our ring is misplaced too.
 *
 * Hosts on both sides run this, so the two rings are zipped together from both ends, each node by
 * its own probe or by its neighbours' notifies; ordinary stabilization does the rest. A probe that
 * gets no answer keeps the peer (the partition may still be on) until `mergeForgetMs`; a message or
 * a new connection from a remembered peer moves its probe forward to within a moment. A host that
 * is alone on its ring and remembers nobody probes its bootstrap peers. The cost is nothing while
 * no peer was lost, and one lookup per `mergeCheckMs` per host while some are remembered.
 */
import { inOpen } from '../overlay/ids.js'
import type { PeerRef } from '../overlay/types.js'
import type { ChordContext, MergeOps } from './context.js'
import type { NodeInfo } from './node.js'
import type { VNode } from './routing.js'

/** A peer this host dropped as dead, remembered for the merge check. */
interface LostPeer { ref: PeerRef, at: number }

/** The merge check of one host: its remembered lost peers and its probe state. */
export class RingMerge implements MergeOps {
  /** Lost peers by peer id, oldest first (Map order); the probe rotates through them. */
  get dead (): Map<string, LostPeer> { return (this.deadMap ??= new Map()) }
  /** Made on first use (an empty Map is ~200 bytes; 10^6 simulated hosts mostly never lose a peer). */
  private deadMap: Map<string, LostPeer> | undefined
  /** Any lost peer remembered (checked on every message, without making the Map). */
  get anyDead (): boolean { return this.deadMap !== undefined && this.deadMap.size > 0 }
  probing = false
  /** A check is due within a moment (a lost peer came back): do not postpone it. */
  soon = false
  nextVnode = 0
  nextBootstrap = 0

  constructor (private readonly m: ChordContext) {}

  /**
   * A remembered peer shows signs of life (it sent us a message, or opened a connection): the
   * partition may have healed. Probe through it first, within a moment rather than at the next period.
   */
  peerSeen (peer: string): void {
    const e = this.dead.get(peer)
    if (e === undefined || this.soon || !this.m.o.maintenance || this.m.o.mergeCheckMs <= 0) return
    const rest = [...this.dead].filter(([p]) => p !== peer)
    this.dead.clear()
    this.dead.set(peer, e)
    for (const [p, x] of rest) this.dead.set(p, x)
    this.soon = true
    this.m.env.setTimer('merge', Math.min(this.m.o.mergeCheckMs, this.m.o.stabilizeMs) * this.m.env.rng.next())
  }

  /** Remember a node whose host was just dropped as dead (not one that left gracefully). */
  lost (n: NodeInfo | undefined): void {
    if (n === undefined || n.peer === this.m.self.id || !this.m.o.maintenance || this.m.o.mergeCheckMs <= 0 || this.m.o.mergeMemory <= 0) return
    const s = this.dead
    s.delete(n.peer)
    s.set(n.peer, { ref: n.ref, at: this.m.env.now() })
    while (s.size > this.m.o.mergeMemory) s.delete(s.keys().next().value as string)
  }

  /** The next peer to probe through: a remembered one not on our ring now, else a bootstrap peer when alone. */
  private candidate (): PeerRef | undefined {
    const s = this.dead
    const now = this.m.env.now()
    const onRing = new Set<string>()
    for (const n of this.m.routes.known()) onRing.add(n.peer)
    for (const [peer, e] of [...s]) {
      // back on our tables (through our own ring): nothing to merge with; or remembered long enough
      if (onRing.has(peer) || now - e.at > this.m.o.mergeForgetMs) { s.delete(peer); continue }
      s.delete(peer); s.set(peer, e) // rotate
      return e.ref
    }
    const alone = this.m.vnodes.every(v => !v.joined || v.succs.length === 0)
    const boot = this.m.o.bootstrap.filter(b => b.id !== this.m.self.id)
    if (alone && boot.length > 0) return boot[this.nextBootstrap++ % boot.length]
    return undefined
  }

  /** The periodic merge check: probe one vnode through one candidate peer. */
  check (): void {
    this.soon = false
    if (this.probing || !this.m.running) return
    const joined = this.m.vnodes.filter(v => v.joined)
    if (joined.length === 0) return
    const via = this.candidate()
    if (via === undefined) return
    const v = joined[this.nextVnode++ % joined.length]
    this.probing = true
    this.probe(v, via, (found) => {
      this.probing = false
      if (!found) return
      // one vnode was misplaced: so are the others, most likely; and check again soon
      for (const w of joined) if (w !== v) this.probe(w, via, () => {})
      this.m.env.setTimer('merge', this.m.o.rpcTimeoutMs)
    })
  }

  /** Look up v's own id through `via`; act on the answer. `done(true)` when it named another ring. */
  private probe (v: VNode, via: PeerRef, done: (found: boolean) => void): void {
    this.m.lookup({ key: v.self.id, via, internal: true }, (err, res) => {
      if (!this.m.running) return
      if (err != null || res === undefined || !v.joined) { done(false); return }
      const o = res.owner
      if (o.tag === v.self.tag || o.tag === v.succs[0]?.tag) {
        // the peer's ring is ours
        this.dead.delete(via.id)
        done(false)
        return
      }
      this.m.env.stats.inc('chord:merge-found')
      this.m.env.log('vnode %d: the ring of %s has %s after us, ours has %s: merging rings', v.self.vnode, via.id, this.m.hex(o), v.succs[0] === undefined ? 'nobody' : this.m.hex(v.succs[0]))
      this.m.env.emit({ type: 'chord:merge', vnode: v.self.vnode, via: via.id, successor: this.m.hex(o) })
      // a node of our own ring sits between us and o: it, not us, is o's predecessor-to-be, and its
      // own probe (or o's side, through its stabilization) takes care of it
      if (v.succs.length > 0 && !inOpen(o.id, v.self.id, v.successor.id)) { done(true); return }
      this.m.ring.setSuccs(v, [o, ...v.succs])
      this.m.ring.notify(v, o)
      done(true)
    })
  }
}
