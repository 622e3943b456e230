/**
 * Lookups, driven by the caller (iterative, the default) or forwarded node to node (recursive).
 *
 * Iterative: the caller keeps a list of candidate nodes ordered by clockwise distance to the key and
 * asks the closest one not yet tried ("find"). A reply either names the owner's successor list (done)
 * or returns closer candidates; only candidates strictly closer than the node that named them are
 * kept, so every lookup terminates. A request that times out counts one timeout and the next-best
 * candidate is tried.
 *
 * Hop count (what `hops` means, as in the Chord papers' path length): the number of remote nodes that
 * answered a routing request, i.e. the nodes on the path from the initiator to the key's predecessor
 * (the node that names the owner). The initiator's own table is not a hop; nodes that timed out are
 * counted in `timeouts`, not in `hops`; the confirming contact with the owner (verifyOwner, or the
 * put/get that follows) is not a hop. A key owned by the initiator takes 0 hops.
 */
import { TimeoutError, UnreachableError } from '../overlay/errors.js'
import { PENALTY, refuse } from '../overlay/penalty.js'
import type { PeerRef } from '../overlay/types.js'
import type { ChordContext, LookupCallback, LookupOutcome, LookupRequest } from './context.js'
import type { ChordMessage } from './messages.js'
import type { NodeInfo } from './node.js'
import { DisjointLookup } from './secure-lookup.js'
import { emitLookup, IterativeLookup } from './iterative.js'

export type { LookupCallback, LookupOutcome, LookupRequest } from './context.js'

interface RecursiveState { lid: number, req: number, r: LookupRequest, cb: LookupCallback, startedAt: number }

const MAX_RECURSIVE_HOPS = 64

/** This host's lookups: it starts them, times them out, and takes its part in others' recursive ones. */
export class Lookups {
  /** Recursive lookups started here, by request id. */
  private recursiveTable: Map<number, RecursiveState> | undefined
  /** Made on first use (most hosts never start a recursive lookup; 10^6 empty Maps cost ~200 MB). */
  private get recursive (): Map<number, RecursiveState> { return (this.recursiveTable ??= new Map()) }

  constructor (private readonly m: ChordContext) {}

  /** Start a lookup; returns a cancel function. The callback runs exactly once unless cancelled. */
  start (r: LookupRequest, cb: LookupCallback): () => void {
    const lid = this.m.newLookupId()
    const d = r.paths ?? (r.internal === true ? 1 : this.m.o.lookupPaths)
    if ((d > 1 || r.secure === true) && r.via === undefined) {
      const op = new DisjointLookup(this.m, r, lid, d, cb)
      this.m.lookups.set(lid, { cancel: () => { op.cancel() }, fail: (e) => { op.fail(e) } })
      this.m.env.setTimer(`lookup:${lid}`, this.m.o.lookupTimeoutMs)
      op.start()
      return () => { op.cancel(); this.m.env.clearTimer(`lookup:${lid}`) }
    }
    if ((r.mode ?? this.m.o.lookupMode) === 'recursive') return this.startRecursive(r, lid, cb)
    const op = new IterativeLookup(this.m, r, lid, cb)
    this.m.lookups.set(lid, { cancel: () => { op.cancel() }, fail: (e) => { op.fail(e) } })
    this.m.env.setTimer(`lookup:${lid}`, this.m.o.lookupTimeoutMs)
    op.start()
    return () => { op.cancel(); this.m.env.clearTimer(`lookup:${lid}`) }
  }

  /** The overall lookup timer fired. */
  timedOut (lid: number): void {
    const l = this.m.lookups.get(lid)
    if (l === undefined) return
    if (l.fail !== undefined) l.fail(new TimeoutError('lookup timed out'))
    else l.cancel()
  }

  /**
   * A recursive lookup; through `r.via` (a join: the contact and the nodes it forwards to use the
   * connections they have, and only the key's predecessor, the joiner's predecessor-to-be, connects
   * back; an iterative join would open a connection to every node on the path).
   */
  private startRecursive (r: LookupRequest, lid: number, cb: LookupCallback): () => void {
    const a: { done: boolean, nodes: NodeInfo[] } = r.via === undefined ? this.m.route(r.key) : { done: false, nodes: [] }
    const first = r.via ?? a.nodes[0]?.ref
    const started = this.m.env.now()
    const finish = (nodes: NodeInfo[], hops: number, path: NodeInfo[]): void => {
      const res: LookupOutcome = { key: r.key, owner: nodes[0], owners: nodes, hops, path, timeouts: 0, messages: hops + 1, latencyMs: this.m.env.now() - started }
      if (r.internal !== true) emitLookup(this.m, res)
      cb(null, res)
    }
    if (a.done) { finish(a.nodes, 0, []); return () => {} }
    if (first === undefined) { cb(new UnreachableError('lookup: no route')); return () => {} }
    const table = this.recursive
    const req = this.m.newReq()
    const st: RecursiveState = { lid, req, r, cb, startedAt: started }
    table.set(req, st)
    const cancel = (): void => { table.delete(req); this.m.lookupDone(lid); this.m.env.clearTimer(`lookup:${lid}`) }
    // no answer within the budget: fall back to an iterative lookup (which handles dead hops)
    this.m.lookups.set(lid, {
      cancel,
      fail: () => {
        cancel()
        this.m.env.stats.inc('chord:recursive-fallback')
        this.start({ ...r, mode: 'iterative' }, cb)
      }
    })
    this.m.env.setTimer(`lookup:${lid}`, this.m.rpcTimeout() * 4)
    this.m.send(first, { t: 'rfind', req, key: r.key, origin: this.m.self.id, originAddrs: [...(this.m.self.addrs ?? [])], hops: 1, path: a.nodes.length > 0 ? [a.nodes[0]] : [] })
    return cancel
  }

  /** A node on a recursive path: answer the origin if we know the owner, else forward. */
  onRecursiveFind (msg: Extract<ChordMessage, { t: 'rfind' }>): void {
    const origin: PeerRef = msg.originAddrs.length > 0 ? { id: msg.origin, addrs: msg.originAddrs } : { id: msg.origin }
    const a = this.m.route(msg.key)
    if (a.done) {
      // answered as the key's predecessor: the origin may be joining just after us (see Maintenance.keyQueried)
      this.m.ring.keyQueried(msg.key, msg.origin)
      this.m.send(origin, { t: 'rdone', req: msg.req, nodes: a.nodes, hops: msg.hops, path: msg.path })
      return
    }
    const next = a.nodes[0]
    if (next === undefined || msg.hops >= MAX_RECURSIVE_HOPS) return
    this.m.send(next.ref, { ...msg, hops: msg.hops + 1, path: msg.path.length < MAX_RECURSIVE_HOPS ? [...msg.path, next] : msg.path })
  }

  /** The answer to a recursive lookup: accepted only for an open request id (unguessable, see newReq). */
  onRecursiveDone (from: PeerRef, msg: Extract<ChordMessage, { t: 'rdone' }>): void {
    const st = this.recursive.get(msg.req)
    if (st === undefined) { refuse(this.m.env, from, 'chord:unsolicited', PENALTY.quota); return }
    this.recursive.delete(msg.req)
    this.m.lookupDone(st.lid)
    this.m.env.clearTimer(`lookup:${st.lid}`)
    const nodes = this.m.valid(msg.nodes, from)
    if (nodes.length === 0) { st.cb(new UnreachableError('lookup: empty owner list')); return }
    const res: LookupOutcome = {
      key: st.r.key, owner: nodes[0], owners: nodes, hops: msg.hops, path: this.m.valid(msg.path), timeouts: 0,
      messages: msg.hops + 1, latencyMs: this.m.env.now() - st.startedAt
    }
    if (st.r.internal !== true) emitLookup(this.m, res)
    st.cb(null, res)
  }
}
