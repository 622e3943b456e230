import assert from 'node:assert/strict'
import { Simulator } from '../../src/sim/index.js'
import { fasttrackSpec } from '../../src/fasttrack/spec.js'
import { tiers, unindexedShares, type FtSimNode } from '../../src/fasttrack/sim-network.js'
import { searchSync, testNet } from './helpers.js'

const hashOf = (i: number): string => i.toString(16).padStart(8, '0').repeat(8)

describe('fasttrack failover (simulator)', function () {
  this.timeout(30_000)
  const period = 10_000

  it('leaves of a crashed supernode re-attach from their refresh lists and re-upload: no share lost, files found again', () => {
    const net = testNet({
      nodes: 400,
      seed: 31,
      overlay: { maxLeaves: 40, maintenanceMs: period },
      shares: i => i % 2 === 0 ? [{ name: `track ${i} of the test.mp3`, size: i, hash: hashOf(i) }] : []
    })
    net.sim.run({ until: 4000 + 40_000 })
    assert.equal(tiers(net.nodes).orphans, 0)
    const victim = net.nodes.filter(n => n.machine.isSupernode).sort((a, b) => (b.machine.supernodeRole?.leaves.size ?? 0) - (a.machine.supernodeRole?.leaves.size ?? 0))[0]
    const orphans = [...(victim.machine.supernodeRole?.leaves.keys() ?? [])].map(id => net.sim.node(id) as FtSimNode)
    assert.ok(orphans.length >= 20)
    // every orphan knows other supernodes before the crash
    for (const o of orphans) assert.ok(o.machine.refresh.size >= 2, `${o.id} refresh list ${o.machine.refresh.size}`)
    const crashedAt = net.sim.now
    net.sim.crash(victim)
    // at most one period to notice (ping), then a round trip or two to re-attach
    net.sim.run({ until: crashedAt + period + 8_000 })
    for (const o of orphans) {
      assert.ok(o.machine.attached, `${o.id} re-attached`)
      assert.notEqual(o.machine.supernode?.id, victim.id)
    }
    const lost = unindexedShares(net.sim, net.nodes)
    assert.equal(lost.missing, 0)
    assert.ok(net.sim.stats.get('ft.failover') >= orphans.length - 1)
    // a file of an orphaned leaf is found from the far side of the network
    const holder = orphans.find(o => o.machine.sharedFiles().length > 0) as FtSimNode
    const asker = net.nodes.find(n => n.alive && !orphans.includes(n) && n !== victim && !n.machine.isSupernode) as FtSimNode
    const f = holder.machine.sharedFiles()[0]
    const hits = searchSync(net, asker, f.name.replace('.mp3', ''))
    assert.ok(hits.some(h => h.peer.id === holder.id && h.hash === f.hash))
  })

  it('killing 10% of the supernodes at once: every orphan recovers within two periods, no share lost', () => {
    const net = testNet({
      nodes: 600,
      seed: 33,
      overlay: { maxLeaves: 30, maintenanceMs: period },
      shares: i => [{ name: `song ${i}.ogg`, size: i, hash: hashOf(i) }]
    })
    net.sim.run({ until: 6000 + 40_000 })
    const sns = net.nodes.filter(n => n.machine.isSupernode)
    const kill = net.sim.rng.fork('kill').sample(sns, Math.max(2, Math.round(sns.length / 10)))
    const orphans = kill.flatMap(k => [...(k.machine.supernodeRole?.leaves.keys() ?? [])])
    for (const k of kill) net.sim.crash(k)
    const t0 = net.sim.now
    let recoveredAt = -1
    for (let t = t0 + 1000; t <= t0 + 4 * period; t += 1000) {
      net.sim.run({ until: t })
      if (orphans.every(id => (net.sim.node(id) as FtSimNode).machine.attached) && unindexedShares(net.sim, net.nodes).missing === 0) { recoveredAt = t; break }
    }
    assert.ok(recoveredAt > 0, 'recovered')
    assert.ok(recoveredAt - t0 <= 2 * period, `recovered after ${recoveredAt - t0} ms`)
    assert.equal(tiers(net.nodes).orphans, 0)
  })

  it('when the only supernode dies, a new one is elected and everyone re-attaches', () => {
    const sim = new Simulator({ seed: 35, latency: { kind: 'uniform', min: 5, max: 30 } })
    const bootstrap = [0, 1, 2].map(i => ({ id: `n${String(i).padStart(6, '0')}` }))
    const nodes: FtSimNode[] = []
    for (let i = 0; i < 14; i++) {
      nodes.push(sim.spawn(fasttrackSpec, {
        bootstrap,
        joinJitterMs: 300,
        maintenanceMs: period,
        capacity: { upKbps: i === 4 ? 9000 : i === 8 ? 5000 : i === 11 ? 3000 : 100 },
        shares: [{ name: `only ${i}.mp3`, size: i, hash: hashOf(i) }]
      }))
    }
    sim.run({ until: 15_000 })
    assert.deepEqual(nodes.filter(n => n.machine.isSupernode).map(n => n.index), [4])
    sim.crash(nodes[4])
    sim.run({ until: sim.now + 2 * period + 10_000 })
    const sns = nodes.filter(n => n.alive && n.machine.isSupernode).map(n => n.index)
    assert.deepEqual(sns, [8], 'the next most capable node took over')
    assert.equal(tiers(nodes).orphans, 0)
    assert.deepEqual(unindexedShares(sim, nodes), { missing: 0, total: 13, unsearchableNodes: 0 })
  })
})
