/**
 * check_predecessor (Stoica et al.): each vnode's predecessor host is pinged now and then, and a silent
 * one (two misses, see rtt.ts) is forgotten. A host heard from within the period is alive already —
 * a live predecessor asks us get_pred every stabilize round — so it is not pinged: that is most of a
 * quiet ring's check traffic, and of a forming ring's new streams. Split from maintenance.ts.
 */
import type { ChordContext } from './context.js'
import type { NodeInfo } from './node.js'

export class PredecessorCheck {
  /** When each vnode last heard from its predecessor's host; made on first use. */
  private heardAt: number[] | undefined
  /** Predecessor hosts being pinged (at most one probe each, however many notifies arrive); made on first use. */
  private probingSet: Set<string> | undefined

  constructor (private readonly m: ChordContext) {}

  /** Vnode `i` heard from its predecessor's host just now. */
  heard (i: number): void { (this.heardAt ??= [])[i] = this.m.env.now() }

  /** Vnode `i` has a new predecessor (undefined: none, or one of our own vnodes): what its old host said no longer counts. */
  changed (i: number, fresh: boolean): void {
    if (this.heardAt !== undefined) this.heardAt[i] = fresh ? this.m.env.now() : -Infinity
  }

  /** Ping each distinct predecessor host not heard from within the period. */
  checkAll (): void {
    const peers = new Map<string, NodeInfo>()
    const since = this.m.env.now() - this.m.o.checkPredecessorMs
    for (let i = 0; i < this.m.vnodes.length; i++) {
      const v = this.m.vnodes[i]
      if (v.pred === undefined || v.pred.peer === this.m.self.id) continue
      if ((this.heardAt?.[i] ?? -Infinity) > since) continue
      peers.set(v.pred.peer, v.pred)
    }
    for (const n of peers.values()) this.probe(n)
  }

  /** Ping a predecessor host; a silent one is forgotten (and its range replicated by us at once). */
  probe (n: NodeInfo, onDead?: () => void): void {
    const peer = n.peer
    const probing = (this.probingSet ??= new Set())
    if (probing.has(peer)) return
    probing.add(peer)
    const req = this.m.newReq()
    this.m.request(n.ref, { t: 'ping', req }, () => { probing.delete(peer) }, () => {
      probing.delete(peer)
      if (!this.m.running) return
      if (!this.m.missed(peer)) { this.probe(n, onDead); return }
      this.m.merge.lost(n)
      for (const v of this.m.vnodes) {
        if (v.pred?.peer === peer) { v.pred = undefined; this.m.env.emit({ type: 'chord:predecessor', vnode: v.self.vnode, predecessor: undefined }) }
      }
      this.m.peerFailed(peer)
      this.m.routes.invalidate()
      this.m.kv.watch()
      onDead?.()
    })
  }
}
