/** Anti-entropy repairs what rumor mongering missed, e.g. a partition once it heals. */
import assert from 'node:assert/strict'
import { swarm } from './sim-helpers.js'

describe('gossip anti-entropy (simulator)', () => {
  for (const mode of ['push', 'pull', 'push-pull'] as const) {
    it(`${mode}: repairs a partition after it heals`, () => {
      const { sim, nodes, deliveries } = swarm(40, { mode: 'push', k: 2, periodMs: 100, antiEntropy: { periodMs: 1000, mode }, ttlMs: 600_000 })
      const left = nodes.slice(0, 20).map(n => n.id)
      const right = nodes.slice(20).map(n => n.id)
      sim.partition([left, right])
      const id = nodes[0].machine.publish('t', new Uint8Array([1]))
      sim.run({ until: 30_000 })
      const during = deliveries.get(id) ?? []
      assert.ok(during.every(n => left.includes(n)), 'nothing crosses the partition')
      assert.equal(nodes.slice(20).some(n => n.machine.has(idOf(id))), false)
      sim.heal()
      sim.run({ until: 90_000 })
      assert.equal(deliveries.get(id)?.length, 39, `${deliveries.get(id)?.length} of 39 reached after healing`)
    })
  }

  it('pure anti-entropy (no rumor mongering) reaches everyone; digests stay compact', () => {
    const { sim, nodes, deliveries } = swarm(200, { mode: 'none', periodMs: 1000, alignRounds: true, antiEntropy: { periodMs: 1000, mode: 'push-pull' } }, { wire: true, measureBytes: true })
    const ids = [0, 1, 2].map(i => nodes[i].machine.publish('t', new Uint8Array([i])))
    sim.run({ until: 40_000 })
    for (const id of ids) assert.equal(deliveries.get(id)?.length, 199)
    const ae = sim.stats.messages.get('ae')
    assert.ok(ae !== undefined && ae.bytesSent / ae.sent < 40, `ae frames average ${ae === undefined ? 0 : ae.bytesSent / ae.sent} bytes`)
    const replies = sim.stats.messages.get('ae-reply')
    assert.ok(replies !== undefined && replies.bytesSent / replies.sent < 200, 'digests stay small')
    // once everyone is in sync an exchange is a single frame: no answer is sent
    const answered = sim.stats.messages.get('ae-reply')?.sent ?? 0
    sim.run({ until: 60_000 })
    assert.equal(sim.stats.messages.get('ae-reply')?.sent ?? 0, answered)
    assert.ok(sim.stats.get('gossip:ae-in-sync') > 0)
  })

  it('adaptive: idle nodes back off to maxPeriodMs (≤ 1 frame/s/node), and a node that missed a rumor is still repaired fast', () => {
    const ae = { periodMs: 250, maxPeriodMs: 4000 }
    const { sim, nodes, deliveries } = swarm(30, { mode: 'push', k: 2, fanout: 3, periodMs: 100, eager: true, antiEntropy: ae, ttlMs: 600_000 }, { perNodeStats: true })
    const frames = (): number => nodes.reduce((a, n) => a + (n.stats.messages.get('ae')?.sent ?? 0), 0)
    sim.run({ until: 30_000 })
    const before = frames()
    sim.run({ until: 90_000 })
    const idle = (frames() - before) / nodes.length / 60
    assert.ok(idle <= 1 / 4 + 0.01, `idle anti-entropy ${idle.toFixed(3)} frames/s/node`)
    assert.ok(nodes.every(n => n.machine.antiEntropyPeriodMs === ae.maxPeriodMs))
    // one node misses a broadcast (cut off while rumor mongering runs), then the cut heals
    sim.partition([nodes.slice(1).map(n => n.id), [nodes[0].id]])
    const id = nodes[5].machine.publish('t', new Uint8Array([1]))
    sim.run({ until: 95_000 })
    assert.equal(deliveries.get(id)?.length, 28)
    sim.heal()
    let t = 95_000
    while (deliveries.get(id)?.length !== 29 && t < 120_000) sim.run({ until: (t += 100) })
    assert.ok(t - 95_000 <= 2 * ae.maxPeriodMs, `repaired ${t - 95_000} ms after the heal`)
  })
})

function idOf (id: string): { origin: string, seq: number } {
  const at = id.indexOf('@')
  return { seq: Number(id.slice(0, at)), origin: id.slice(at + 1) }
}
