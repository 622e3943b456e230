/**
 * A long partition heals: every update written on either side during the cut reaches every node
 * within a bounded time after the heal, even when the cut outlasted failure detection, i.e. when
 * both sides had dropped every peer of the other side from their membership (full membership on
 * onPeerUnreachable, Cyclon by ageing out unanswered shuffle targets). The machine remembers the
 * peers it dropped and probes them (`recovery`); without that the two sides never reconcile.
 */
import assert from 'node:assert/strict'
import { Simulator } from '../../src/sim/index.js'
import { gossipSpec } from '../../src/gossip/spec.js'
import type { GossipOptions, MembershipOptions } from '../../src/gossip/options.js'
import type { PeerRef } from '../../src/overlay/types.js'
import { type GNode, identity } from './sim-helpers.js'

/** Live-like: the CLI's gossip settings (rounds of 200 ms, anti-entropy every second). */
const BASE: GossipOptions = { mode: 'push', stop: 'feedback-counter', k: 2, fanout: 3, periodMs: 200, eager: true, antiEntropy: { periodMs: 1000 }, ttlMs: 900_000 }
/** When the live driver reports cross-side peers unreachable (libp2p closes a dead connection). */
const DETECT_MS = 15_000
/** Every node has every update this long after the heal (3 recovery periods of 5 s, the default). */
const BOUND_MS = 15_000

interface Run { healedInMs: number, crossDuringCut: number, crossAfter: number, mapAgrees: boolean }

/**
 * n nodes, 20 s of warm-up, then a cut into two halves for `cutMs`; each side publishes at the start, the
 * middle and the end of the cut and writes one map key. Then heal and measure (virtual time) until
 * every node has every update. `kind: 'live'` is full membership learned from connections, with the
 * cross-side peers reported unreachable DETECT_MS into the cut, and no reconnection signal after the
 * heal (gossip alone: no other overlay re-dials).
 */
function partitionRun (kind: 'live' | 'cyclon', n: number, seed: number, cutMs: number, extra: GossipOptions = {}): Run {
  const sim = new Simulator({ seed, latency: { kind: 'uniform', min: 5, max: 40 } })
  const refs: PeerRef[] = Array.from({ length: n }, (_, i) => ({ id: identity(i).id }))
  const membership: MembershipOptions = kind === 'live'
    ? { kind: 'full' }
    : { kind: 'cyclon', viewSize: 6, shuffleLength: 3, periodMs: 1000, bootstrap: refs.slice(0, 2) }
  const nodes = refs.map((_, i) => sim.spawn(gossipSpec, { ...BASE, ...extra, membership }, { signer: identity(i) }) as GNode)
  if (kind === 'live') for (const a of nodes) for (const b of nodes) if (a !== b) a.machine.onPeerConnected(b.ref)
  sim.run({ until: 20_000 })

  const half = Math.floor(n / 2)
  const left = new Set(refs.slice(0, half).map(r => r.id))
  const cross = (a: GNode): number => a.machine.membership.peers().filter(p => left.has(p.id) !== left.has(a.id)).length
  const t0 = sim.now
  sim.partition([[...left], refs.slice(half).map(r => r.id)])
  const ids: string[] = []
  /** the k-th publication on each side */
  const publish = (k: number): void => {
    for (const i of [k % half, half + k % (n - half)]) ids.push(nodes[i].machine.publish('t', new Uint8Array([k])))
  }
  sim.run({ until: t0 + 1000 })
  publish(0)
  nodes[1 % half].machine.put('left', new Uint8Array([1]))
  nodes[n - 1].machine.put('right', new Uint8Array([2]))
  if (kind === 'live') {
    sim.run({ until: t0 + DETECT_MS })
    for (const a of nodes) for (const b of nodes) if (left.has(a.id) !== left.has(b.id)) a.machine.onPeerUnreachable(b.ref)
  }
  sim.run({ until: t0 + cutMs / 2 })
  publish(1)
  sim.run({ until: t0 + cutMs - 500 })
  publish(2)
  sim.run({ until: t0 + cutMs })
  const crossDuringCut = nodes.reduce((s, n) => s + cross(n), 0)
  for (const id of ids) {
    const reached = nodes.filter(n => n.machine.has(parse(id))).length
    assert.equal(reached, left.has(id.slice(id.indexOf('@') + 1).split('/')[0]) ? half : n - half, `update ${id} stays on its side during the cut`)
  }

  sim.heal()
  const healed = sim.now
  let healedInMs = -1
  for (let t = healed; t <= healed + 120_000; t += 250) {
    sim.run({ until: t })
    if (nodes.every(n => ids.every(id => n.machine.has(parse(id))))) { healedInMs = t - healed; break }
  }
  sim.run({ until: sim.now + 60_000 })
  const mapAgrees = nodes.every(n => n.machine.get('left')?.[0] === 1 && n.machine.get('right')?.[0] === 2)
  return { healedInMs, crossDuringCut, crossAfter: nodes.filter(n => cross(n) > 0).length, mapAgrees }
}

function parse (id: string): { origin: string, seq: number } {
  const at = id.indexOf('@')
  return { seq: Number(id.slice(0, at)), origin: id.slice(at + 1) }
}

describe('gossip: a long partition heals (simulator)', function () {
  this.timeout(120_000)

  const cases = [
    ...[60_000, 300_000].flatMap(cutMs => [1, 2, 3].map(seed => ({ n: 16, cutMs, seed }))),
    // small groups: few nodes probe, so the recovery period is what bounds the time to reconcile
    ...[2, 5].flatMap(n => [1, 2].map(seed => ({ n, cutMs: 120_000, seed })))
  ]
  for (const kind of ['live', 'cyclon'] as const) {
    for (const { n, cutMs, seed } of cases) {
      it(`${kind} membership, ${n} nodes, ${cutMs / 1000} s cut, seed ${seed}: every update everywhere within ${BOUND_MS / 1000} s of the heal`, () => {
        const r = partitionRun(kind, n, seed, cutMs)
        // the hard case: by the end of the cut no node knows any peer of the other side
        assert.equal(r.crossDuringCut, 0, 'cross-side membership entries left at the end of the cut')
        assert.ok(r.healedInMs >= 0, 'some update never crossed the healed cut')
        assert.ok(r.healedInMs <= BOUND_MS, `converged ${r.healedInMs} ms after the heal`)
        assert.ok(r.mapAgrees, 'the map writes of both sides reached every replica')
        assert.ok(r.crossAfter >= n / 2, `only ${r.crossAfter} of ${n} nodes know a peer across the healed cut`)
      })
    }
  }

  // adaptive anti-entropy (the live profile's shape): idle nodes have backed off to 8 s by the heal
  for (const kind of ['live', 'cyclon'] as const) {
    for (const seed of [1, 2, 3]) {
      it(`${kind} membership, adaptive anti-entropy (1 s → 8 s when idle), 16 nodes, 60 s cut, seed ${seed}: every update everywhere within ${BOUND_MS / 1000} s`, () => {
        const r = partitionRun(kind, 16, seed, 60_000, { antiEntropy: { periodMs: 1000, maxPeriodMs: 8000 } })
        assert.ok(r.healedInMs >= 0 && r.healedInMs <= BOUND_MS, `converged ${r.healedInMs} ms after the heal`)
        assert.ok(r.mapAgrees)
      })
    }
  }

  it('without recovery (periodMs 0) the sides never reconcile: the failure this guards against', () => {
    for (const kind of ['live', 'cyclon'] as const) {
      const r = partitionRun(kind, 16, 1, 60_000, { recovery: { periodMs: 0 } })
      assert.equal(r.healedInMs, -1, `${kind}: converged without recovery`)
    }
  })

  it('documented limit: a broadcast older than ttlMs at the heal is not repaired; map writes are', () => {
    const r = partitionRun('live', 16, 1, 120_000, { ttlMs: 60_000 })
    assert.equal(r.healedInMs, -1, 'updates published 119 s before the heal crossed with a TTL of 60 s')
    assert.ok(r.mapAgrees, 'the map repair does not depend on the TTL')
  })
})
