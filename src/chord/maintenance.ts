/**
 * Ring maintenance: join, stabilize, notify, fix_fingers, check_predecessor and graceful leave
 * (Stoica et al., Fig. 6 / ToN Fig. 7), per virtual node, on jittered timers. Requests to a vnode
 * on this same host are answered locally without a message.
 */
import { inHalfOpen, inOpen } from '../overlay/ids.js'
import * as kv from './kv.js'
import type { ChordMachine } from './machine.js'
import { lost, mergeCheck } from './merge.js'
import type { WireItem } from './messages.js'
import { compareNodes, type NodeInfo } from './node.js'
import type { VNode } from './routing.js'

function jitter (m: ChordMachine, period: number): number {
  return period * (0.5 + m.env.rng.next())
}

export function startMaintenance (m: ChordMachine): void {
  if (m.o.bootstrap.length === 0) firstHost(m)
  else for (const v of m.vnodes) join(m, v)
  if (!m.o.maintenance) return
  for (let i = 0; i < m.vnodes.length; i++) {
    m.env.setTimer(`stab:${i}`, jitter(m, m.o.stabilizeMs))
    m.env.setTimer(`fix:${i}`, jitter(m, m.o.fixFingersMs))
  }
  m.env.setTimer('chk', jitter(m, m.o.checkPredecessorMs))
  m.env.setTimer('repl', jitter(m, m.o.replicateMs))
  if (m.o.mergeCheckMs > 0) m.env.setTimer('merge', jitter(m, m.o.mergeCheckMs))
}

/** A new ring: this host's vnodes, sorted, are each other's successors and predecessors. */
function firstHost (m: ChordMachine): void {
  const sorted = [...m.vnodes].sort((a, b) => compareNodes(a.self, b.self))
  const n = sorted.length
  for (let i = 0; i < n; i++) {
    const v = sorted[i]
    v.joined = true
    if (n === 1) continue
    v.pred = sorted[(i - 1 + n) % n].self
    v.succs = []
    for (let j = 1; j < n && v.succs.length < m.o.successors; j++) v.succs.push(sorted[(i + j) % n].self)
  }
  m.routes.invalidate()
}

export function joinAll (m: ChordMachine): void {
  for (const v of m.vnodes) join(m, v)
}

function join (m: ChordMachine, v: VNode): void {
  const b = m.o.bootstrap
  const via = b[v.joinAttempts++ % b.length]
  m.lookup({ key: v.self.id, via, internal: true }, (err, res) => {
    if (!m.running) return
    if (err != null || res === undefined) {
      m.env.log('vnode %d join through %s failed: %s', v.self.vnode, via.id, err?.message)
      m.env.setTimer(`join:${v.self.vnode}`, jitter(m, m.o.rpcTimeoutMs))
      return
    }
    v.joined = true
    setSuccs(m, v, res.owners)
    m.env.emit({ type: 'chord:joined', vnode: v.self.vnode, id: m.hex(v.self), successor: m.hex(v.successor) })
    stabilize(m, v)
    v.fastFix = true
    fixFinger(m, v)
  })
}

export function onMaintenanceTimer (m: ChordMachine, key: string): void {
  if (!m.running) return
  const colon = key.indexOf(':')
  const kind = colon < 0 ? key : key.slice(0, colon)
  const v = colon < 0 ? undefined : m.vnodes[Number(key.slice(colon + 1))]
  switch (kind) {
    case 'stab': if (v !== undefined) { stabilize(m, v); m.env.setTimer(key, jitter(m, m.o.stabilizeMs)) } return
    case 'fix': if (v !== undefined) { if (!v.fastFix) fixFinger(m, v); m.env.setTimer(key, jitter(m, m.o.fixFingersMs)) } return
    case 'join': if (v !== undefined && !v.joined) join(m, v); return
    case 'chk': checkPredecessors(m); m.env.setTimer(key, jitter(m, m.o.checkPredecessorMs)); return
    case 'repl': kv.replicate(m); m.env.setTimer(key, jitter(m, m.o.replicateMs)); return
    case 'replsoon': kv.replicate(m); return
    case 'merge': mergeCheck(m); m.env.setTimer(key, jitter(m, m.o.mergeCheckMs)); return
  }
}

/** Deduplicate, stop at ourselves, cut to r. */
function cleanList (m: ChordMachine, v: VNode, list: Array<NodeInfo | undefined>): NodeInfo[] {
  const out: NodeInfo[] = []
  const seen = new Set<string>()
  for (const n of list) {
    if (n === undefined) continue
    if (n.tag === v.self.tag) break
    if (seen.has(n.tag)) continue
    seen.add(n.tag); out.push(n)
    if (out.length >= m.o.successors) break
  }
  return out
}

function replicaHosts (m: ChordMachine, v: VNode): string {
  return kv.replicaTargets(m, v).map(n => n.peer).join(',')
}

export function setSuccs (m: ChordMachine, v: VNode, list: Array<NodeInfo | undefined>): void {
  const next = cleanList(m, v, list)
  const oldHead = v.succs[0]?.tag
  const oldReplicas = replicaHosts(m, v)
  v.succs = next
  m.routes.invalidate()
  if (next[0]?.tag !== oldHead) m.env.emit({ type: 'chord:successor', vnode: v.self.vnode, successor: next[0] === undefined ? undefined : m.hex(next[0]) })
  if (replicaHosts(m, v) !== oldReplicas) kv.replicateSoon(m)
}

/** stabilize(): ask the successor for its predecessor; adopt it if it sits between; notify. */
export function stabilize (m: ChordMachine, v: VNode): void {
  if (!v.joined) return
  const succ = v.succs[0]
  if (succ === undefined) {
    // alone: a predecessor that notified us is also our successor (ring of two)
    if (v.pred !== undefined && v.pred.tag !== v.self.tag) { setSuccs(m, v, [v.pred]); notify(m, v, v.pred) }
    return
  }
  const handle = (ok: boolean, pred: NodeInfo | undefined, nodes: NodeInfo[]): void => {
    if (!ok) { dropSuccessor(m, v, succ); return }
    if (v.succs[0]?.tag !== succ.tag) return // changed meanwhile
    const between = pred !== undefined && pred.tag !== v.self.tag && inOpen(pred.id, v.self.id, succ.id)
    setSuccs(m, v, between ? [pred, succ, ...nodes] : [succ, ...nodes])
    if (v.succs[0] !== undefined) notify(m, v, v.succs[0])
  }
  const local = m.routes.vnodeOf(succ)
  if (local !== undefined) { handle(local.joined, local.pred, local.succs); return }
  const req = m.newReq()
  m.request(succ.ref, { t: 'get_pred', req, vnode: succ.vnode }, (msg) => {
    if (msg.t === 'pred') handle(msg.ok, msg.pred, msg.nodes)
  }, () => { dropSuccessor(m, v, succ); m.peerFailed(succ.peer) })
}

/** The successor did not answer (or lost its vnode): drop it and try the next one at once. */
function dropSuccessor (m: ChordMachine, v: VNode, succ: NodeInfo): void {
  if (!m.running) return
  lost(m, succ)
  m.routes.removeNode(succ.tag)
  setSuccs(m, v, v.succs.filter(s => s.tag !== succ.tag))
  refill(m, v)
  if (v.succs.length > 0) stabilize(m, v)
}

/** An empty successor list is refilled with the closest known node clockwise (if any). */
function refill (m: ChordMachine, v: VNode): void {
  if (v.succs.length > 0) return
  const known = m.routes.known()
  const i = known.findIndex(n => n.tag === v.self.tag)
  if (i < 0 || known.length < 2) return
  setSuccs(m, v, [known[(i + 1) % known.length]])
}

export function afterTableChange (m: ChordMachine): void {
  m.routes.invalidate()
  for (const v of m.vnodes) if (v.joined) refill(m, v)
}

export function notify (m: ChordMachine, v: VNode, target: NodeInfo): void {
  if (target.peer === m.self.id) { onNotify(m, target.vnode, v.self); return }
  m.send(target.ref, { t: 'notify', vnode: target.vnode, node: v.self })
}

/** notify(n'): n' might be our predecessor. A new predecessor gets the items it now owns. */
export function onNotify (m: ChordMachine, vnode: number, n: NodeInfo): void {
  const v = m.vnodes[vnode]
  if (v === undefined || !v.joined || n.tag === v.self.tag) return
  if (v.pred !== undefined && v.pred.tag !== n.tag && !inOpen(n.id, v.pred.id, v.self.id)) return
  if (v.pred?.tag === n.tag) return
  const old = v.pred
  v.pred = n
  m.routes.invalidate()
  m.env.emit({ type: 'chord:predecessor', vnode, predecessor: m.hex(n) })
  if (v.succs.length === 0) setSuccs(m, v, [n])
  if (n.peer !== m.self.id) kv.handoff(m, v, n, old)
}

/** check_predecessor(): ping each distinct predecessor host; a silent one is forgotten. */
function checkPredecessors (m: ChordMachine): void {
  const peers = new Map<string, NodeInfo>()
  for (const v of m.vnodes) if (v.pred !== undefined && v.pred.peer !== m.self.id) peers.set(v.pred.peer, v.pred)
  for (const [peer, n] of peers) {
    const req = m.newReq()
    m.request(n.ref, { t: 'ping', req }, () => {}, () => {
      lost(m, n)
      for (const v of m.vnodes) {
        if (v.pred?.peer === peer) { v.pred = undefined; m.env.emit({ type: 'chord:predecessor', vnode: v.self.vnode, predecessor: undefined }) }
      }
      m.peerFailed(peer)
      m.routes.invalidate()
    })
  }
}

function bitLength (x: bigint): number { return x === 0n ? 0 : x.toString(2).length }

/**
 * fix_fingers(): refresh one finger by a lookup of its start, going up from the first finger that is
 * not simply the successor. A result also fills the following fingers whose starts fall before it
 * (no node can sit between), so a round costs about log2 N lookups, not m.
 */
export function fixFinger (m: ChordMachine, v: VNode): void {
  if (!v.joined || v.succs.length === 0) { v.fastFix = false; return }
  const bits = m.bits
  const i0 = bitLength((v.successor.id - v.self.id) & m.mask)
  if (v.nextFinger < i0 || v.nextFinger >= bits) {
    for (let j = 0; j < Math.min(i0, bits); j++) v.fingers[j] = undefined
    v.nextFinger = i0
  }
  if (v.nextFinger >= bits) { v.fastFix = false; return }
  const i = v.nextFinger
  const start = v.start(i, m.mask)
  m.lookup({ key: start, internal: true }, (err, res) => {
    if (!m.running) return
    if (err != null || res === undefined) { v.fastFix = false; return }
    const o = res.owner
    let j = i
    if (o.tag === v.self.tag) {
      for (; j < bits; j++) v.fingers[j] = undefined
    } else {
      v.fingers[j++] = o
      while (j < bits && inHalfOpen(v.start(j, m.mask), start, o.id)) v.fingers[j++] = o
    }
    v.nextFinger = j >= bits ? -1 : j
    m.routes.invalidate()
    if (v.fastFix) {
      if (v.nextFinger < 0) v.fastFix = false
      else fixFinger(m, v)
    }
  })
}

const LEAVE_BATCH = 256

/** Graceful leave: each vnode hands its items and pointers to its successor and predecessor. */
export function leaveGracefully (m: ChordMachine): void {
  for (const v of m.vnodes) {
    if (!v.joined) continue
    const succ = v.succs.find(s => s.peer !== m.self.id)
    const items = kv.ownedItems(m, v)
    if (succ !== undefined) {
      m.send(succ.ref, { t: 'leave', node: v.self, pred: v.pred, nodes: v.succs, items: items.slice(0, LEAVE_BATCH) })
      for (let i = LEAVE_BATCH; i < items.length; i += LEAVE_BATCH) m.send(succ.ref, { t: 'items', items: items.slice(i, i + LEAVE_BATCH), handoff: true })
    }
    if (v.pred !== undefined && v.pred.peer !== m.self.id) m.send(v.pred.ref, { t: 'leave', node: v.self, pred: v.pred, nodes: v.succs, items: [] })
  }
}

export function onLeave (m: ChordMachine, n: NodeInfo, pred: NodeInfo | undefined, nodes: NodeInfo[], items: WireItem[]): void {
  for (const v of m.vnodes) {
    if (!v.joined) continue
    if (v.pred?.tag === n.tag) {
      v.pred = pred !== undefined && pred.tag !== v.self.tag && pred.tag !== n.tag ? pred : undefined
      m.env.emit({ type: 'chord:predecessor', vnode: v.self.vnode, predecessor: v.pred === undefined ? undefined : m.hex(v.pred) })
    }
    const i = v.succs.findIndex(s => s.tag === n.tag)
    if (i >= 0) {
      const rest = v.succs.filter(s => s.tag !== n.tag)
      setSuccs(m, v, i === 0 ? [...nodes.filter(s => s.tag !== n.tag), ...rest] : rest)
    }
  }
  m.routes.removeNode(n.tag)
  if (items.length > 0) kv.onItems(m, items)
  afterTableChange(m)
  kv.replicateSoon(m)
}
