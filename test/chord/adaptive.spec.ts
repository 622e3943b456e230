import assert from 'node:assert/strict'
import { chordSpecFor } from '../../src/chord/spec.js'
import { PROFILES } from '../../src/chord/options.js'
import { checkRing, sortedRing } from '../../src/chord/oracle.js'
import { FAST, joinRing, live, settle, type ChordNode } from './helpers.js'
import type { Simulator } from '../../src/sim/index.js'

/** get_pred requests (one per stabilize round that reaches a remote successor) sent by these nodes so far. */
const rounds = (nodes: ChordNode[]): number => nodes.reduce((a, n) => a + (n.stats.messages.get('get_pred')?.sent ?? 0), 0)

/** Stabilize rounds of `nodes` over the next 5 s, and what one round per node per stabilizeMs would give. */
function quietRounds (sim: Simulator, nodes: ChordNode[]): { n: number, expected: number } {
  const r0 = rounds(nodes)
  sim.run({ until: sim.now + 5000 })
  return { n: rounds(nodes) - r0, expected: nodes.length * 5000 / FAST.stabilizeMs! }
}

describe('chord adaptive stabilization (simulator)', () => {
  // stabilizeMs 500 (FAST), fastest period 25 ms: quiet rounds every ~500 ms, busy ones every ~25 ms
  const opts = { bits: 32, stabilizeMinMs: 25 }

  it('backs off to stabilizeMs while the ring is quiet and speeds up when a node joins', () => {
    const { sim, nodes } = joinRing(12, opts, { seed: 3, perNodeStats: true, latency: { kind: 'uniform', min: 2, max: 8 } })
    assert.deepEqual(settle(sim, nodes), [])
    sim.run({ until: sim.now + 10_000 })
    // quiet: about one round per node per stabilizeMs (jitter 0.5–1.5×); the fast period would give 20×
    const { n: quiet, expected } = quietRounds(sim, nodes)
    assert.ok(quiet <= 1.3 * expected && quiet >= 0.7 * expected, `quiet rounds ${quiet}, expected about ${expected}`)

    // a new node joins: it and the nodes around it stabilize at the fast period until the ring is right
    const spec = chordSpecFor(32)
    const joiner = sim.spawn(spec, { ...PROFILES.sim, ...FAST, ...opts, bootstrap: [nodes[0].ref] }, {}) as ChordNode
    const all = [...nodes, joiner]
    const b0 = rounds(all)
    const t0 = sim.now
    while (checkRing(live(all)).length > 0 && sim.now < t0 + 5000) sim.run({ until: sim.now + 5 })
    const convergedMs = sim.now - t0
    assert.deepEqual(checkRing(live(all)), [])
    // without the fast period the joiner's predecessor would learn of it only at its next round (~500 ms)
    assert.ok(convergedMs < FAST.stabilizeMs!, `converged after ${convergedMs} ms`)
    sim.run({ until: t0 + 500 })
    const busy = rounds(all) - b0
    // in the 500 ms after the join the joiner and its neighbours ran several rounds each (quiet: ~1 per node in total)
    const ring = sortedRing(live(all))
    const at = ring.findIndex(n => n.peer === joiner.id)
    const near = [ring[(at - 1 + ring.length) % ring.length], ring[at]].map(n => all.find(x => x.id === n.peer) as ChordNode)
    const nearRounds = near.reduce((a, n) => a + (n.stats.messages.get('get_pred')?.sent ?? 0), 0)
    assert.ok(nearRounds >= 6, `joiner and its predecessor ran ${nearRounds} rounds`)
    assert.ok(busy > expected / 10 + 4, `rounds after the join ${busy}`)

    // quiet again: back to the plain period
    sim.run({ until: sim.now + 10_000 })
    const { n: after, expected: expected2 } = quietRounds(sim, all)
    assert.ok(after <= 1.3 * expected2, `rounds once quiet again ${after}, expected about ${expected2}`)
  })

  it('stabilizeMinMs 0 keeps the fixed period (the classic protocol)', () => {
    const { sim, nodes } = joinRing(8, { bits: 32, stabilizeMinMs: 0 }, { seed: 4, perNodeStats: true })
    assert.deepEqual(settle(sim, nodes), [])
    sim.run({ until: sim.now + 2000 })
    const { n, expected } = quietRounds(sim, nodes)
    assert.ok(n <= 1.3 * expected && n >= 0.7 * expected, `rounds ${n}, expected about ${expected}`)
  })

  it('is deterministic: the same seed gives the same trace', () => {
    const a = joinRing(16, opts, { seed: 9 })
    settle(a.sim, a.nodes)
    const b = joinRing(16, opts, { seed: 9 })
    settle(b.sim, b.nodes)
    assert.equal(a.sim.traceHash(), b.sim.traceHash())
  })
})
