import assert from 'node:assert/strict'
import { Simulator } from '../../src/sim/index.js'
import { fasttrackSpec } from '../../src/fasttrack/spec.js'
import { tiers, unindexedShares, type FtSimNode } from '../../src/fasttrack/sim-network.js'
import { testNet } from './helpers.js'

const id = (i: number): string => `n${String(i).padStart(6, '0')}`

/** BFS over supernode links: are all supernodes in one component? */
function linkGraphConnected (nodes: readonly FtSimNode[]): boolean {
  const sns = nodes.filter(n => n.alive && n.machine.isSupernode)
  if (sns.length <= 1) return true
  const byId = new Map(sns.map(n => [n.id, n]))
  const seen = new Set([sns[0].id])
  const queue = [sns[0]]
  while (queue.length > 0) {
    const n = queue.shift() as FtSimNode
    for (const l of n.machine.supernodeRole?.links.keys() ?? []) {
      const m = byId.get(l)
      if (m !== undefined && !seen.has(l)) { seen.add(l); queue.push(m) }
    }
  }
  return seen.size === sns.length
}

describe('fasttrack election and tiers (simulator)', () => {
  it('elects the highest-ranked eligible candidate, ties broken by id; firewalled and slow nodes never win', () => {
    const sim = new Simulator({ seed: 3, latency: { kind: 'uniform', min: 5, max: 30 } })
    // eligible: 2 (2000 kbit/s), 5 and 7 (8000, tie → larger id wins); 9 is fast but firewalled
    const kbps = (i: number): number => i === 2 ? 2000 : i === 5 || i === 7 ? 8000 : i === 9 ? 50_000 : 200
    const bootstrap = [0, 1, 2, 3].map(i => ({ id: id(i) }))
    const nodes: FtSimNode[] = []
    for (let i = 0; i < 16; i++) {
      nodes.push(sim.spawn(fasttrackSpec, { bootstrap, joinJitterMs: 500, capacity: { upKbps: kbps(i), firewalled: i === 9 } }))
    }
    sim.run({ until: 20_000 })
    const sns = nodes.filter(n => n.machine.isSupernode).map(n => n.id)
    assert.deepEqual(sns, [id(7)])
    for (const n of nodes) if (!n.machine.isSupernode) assert.equal(n.machine.supernode?.id, id(7), `${n.id} attached to the winner`)
    assert.equal(sim.stats.get('ft.promotions'), 1)
    assert.equal(sim.stats.get('ft.bad'), 0)
  })

  it('forms two tiers in a 600-node network: about N/maxLeaves capable supernodes, a connected supernode graph, no orphans, every share indexed', function () {
    this.timeout(30_000)
    const net = testNet({ nodes: 600, seed: 5, overlay: { maxLeaves: 60, maintenanceMs: 10_000 }, shares: i => i % 3 === 0 ? [{ name: `song ${i}.mp3`, size: 1000 + i, hash: (i.toString(16).padStart(4, '0')).repeat(16) }] : [] })
    net.sim.run({ until: 6000 + 60_000 })
    const t = tiers(net.nodes)
    assert.equal(t.orphans, 0)
    assert.ok(t.supernodes >= 10 && t.supernodes <= 25, `supernodes ${t.supernodes}`)
    assert.ok(t.maxLeaves <= 60)
    assert.ok(t.meanLeavesPerSupernode >= 24, `mean leaves ${t.meanLeavesPerSupernode}`)
    for (const n of net.nodes) {
      if (!n.machine.isSupernode) continue
      assert.equal(n.machine.o.capacity.firewalled, false)
      assert.ok((n.machine.o.capacity.upKbps ?? 0) >= 1000)
    }
    assert.ok(linkGraphConnected(net.nodes), 'supernode links form one component')
    assert.deepEqual(unindexedShares(net.sim, net.nodes), { missing: 0, total: 200, unsearchableNodes: 0 })
  })

  it('a supernode left with too few leaves demotes and its leaves re-attach elsewhere', function () {
    this.timeout(20_000)
    const net = testNet({ nodes: 100, seed: 7, overlay: { maxLeaves: 40, minLeaves: 8, demotePeriods: 2, maintenanceMs: 5000 } })
    net.sim.run({ until: 40_000 })
    const before = tiers(net.nodes)
    assert.ok(before.supernodes >= 3, `supernodes ${before.supernodes}`)
    assert.ok(before.supernodes * 40 - before.leaves >= 10, 'there is room elsewhere')
    // empty one supernode: crash all but 3 of its leaves
    const victim = net.nodes.find(n => n.machine.isSupernode && (n.machine.supernodeRole?.leaves.size ?? 0) > 5) as FtSimNode
    const leaves = [...(victim.machine.supernodeRole?.leaves.keys() ?? [])]
    for (const l of leaves.slice(3)) net.sim.crash(net.sim.node(l) as FtSimNode)
    net.sim.run({ until: net.sim.now + 80_000 })
    assert.equal(victim.machine.isSupernode, false, 'the under-used supernode demoted')
    assert.ok(net.sim.stats.get('ft.demotions') >= 1)
    assert.ok(victim.machine.supernode !== undefined, 'and attached as a leaf')
    for (const l of leaves.slice(0, 3)) {
      const n = net.sim.node(l) as FtSimNode
      assert.ok(n.machine.isSupernode || (n.machine.supernode !== undefined && n.machine.supernode.id !== victim.id), `${l} re-attached`)
    }
    assert.equal(tiers(net.nodes).orphans, 0)
    assert.equal(unindexedShares(net.sim, net.nodes).missing, 0)
  })

  it('is deterministic: the same seed gives the same trace', () => {
    const a = testNet({ nodes: 150, seed: 11 }); a.sim.run({ until: 30_000 })
    const b = testNet({ nodes: 150, seed: 11 }); b.sim.run({ until: 30_000 })
    assert.equal(a.sim.traceHash(), b.sim.traceHash())
    assert.deepEqual(tiers(a.nodes), tiers(b.nodes))
  })
})
