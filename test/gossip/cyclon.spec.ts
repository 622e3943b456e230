/** The Cyclon partial view: bounded, connected and fresh under churn; gossip over it reaches everyone. */
import assert from 'node:assert/strict'
import { Simulator, poissonChurn } from '../../src/sim/index.js'
import { gossipSpec } from '../../src/gossip/spec.js'
import type { GossipMachine } from '../../src/gossip/machine.js'
import type { GossipOptions } from '../../src/gossip/options.js'
import type { SimNode } from '../../src/sim/index.js'
import { identity } from './sim-helpers.js'

type N = SimNode<any, GossipMachine>

function connected (nodes: N[]): boolean {
  const alive = new Set(nodes.map(n => n.id))
  const adj = new Map<string, Set<string>>()
  for (const n of nodes) adj.set(n.id, new Set())
  for (const n of nodes) {
    for (const p of n.machine.membership.peers()) {
      if (!alive.has(p.id)) continue
      adj.get(n.id)?.add(p.id); adj.get(p.id)?.add(n.id) // undirected reachability
    }
  }
  const seen = new Set([nodes[0].id])
  const stack = [nodes[0].id]
  while (stack.length > 0) for (const q of adj.get(stack.pop() as string) ?? []) if (!seen.has(q)) { seen.add(q); stack.push(q) }
  return seen.size === nodes.length
}

describe('gossip membership: Cyclon partial view', () => {
  it('stays bounded and connected under churn, drops dead peers, and rumor mongering over it reaches every live node', () => {
    const sim = new Simulator({ seed: 3 })
    const viewSize = 8
    const opts = (bootstrap: N[]): GossipOptions => ({
      mode: 'push', k: 3, periodMs: 500, antiEntropy: { periodMs: 3000 },
      membership: { kind: 'cyclon', viewSize, shuffleLength: 4, periodMs: 1000, bootstrap: bootstrap.map(b => b.ref) }
    })
    const nodes: N[] = []
    let next = 0
    for (let i = 0; i < 150; i++) {
      const live = sim.nodes() as N[]
      nodes.push(sim.spawn(gossipSpec, opts(live.length === 0 ? [] : sim.rng.sample(live, 3)), { signer: identity(next++) }) as N)
    }
    sim.run({ until: 30_000 })
    poissonChurn(sim, {
      joinRate: 1, leaveRate: 1, until: 90_000,
      onJoin: () => { sim.spawn(gossipSpec, opts(sim.rng.sample(sim.nodes() as N[], 3)), { signer: identity(next++) }) },
      onLeave: () => { const live = sim.nodes(); sim.crash(live[sim.rng.int(live.length)]) }
    })
    sim.run({ until: 90_000 })
    sim.run({ until: 120_000 }) // let views settle after churn
    const live = sim.nodes() as N[]
    assert.ok(live.length > 100)
    for (const n of live) assert.ok(n.machine.membership.size <= viewSize, 'view over its bound')
    assert.ok(connected(live), 'the live overlay is partitioned')
    const aliveIds = new Set(live.map(n => n.id))
    let stale = 0; let total = 0
    for (const n of live) for (const p of n.machine.membership.peers()) { total++; if (!aliveIds.has(p.id)) stale++ }
    assert.ok(stale / total < 0.1, `stale entries ${stale}/${total}`)
    const got = new Set<string>()
    sim.on((node, ev) => { if (ev.type === 'gossip:deliver') got.add(node.id) })
    live[0].machine.publish('t', new Uint8Array([1]))
    sim.run({ until: 160_000 })
    assert.equal(got.size, live.length - 1)
  })
})
