import assert from 'node:assert/strict'
import { checkRing, ownerOf, sortedRing } from '../../src/chord/oracle.js'
import { Rng } from '../../src/overlay/rng.js'
import { joinRing, live, lookupSync, settle } from './helpers.js'

describe('chord ring maintenance (simulator)', () => {
  it('joins through messages converge to one ring in id order (brute-force check)', () => {
    for (const seed of [1, 2, 3]) {
      const { sim, nodes } = joinRing(40, { bits: 32 }, { seed, latency: { kind: 'uniform', min: 5, max: 40 } })
      const errs = settle(sim, nodes)
      assert.deepEqual(errs, [], `seed ${seed}`)
    }
  })

  it('lookups from every node agree with brute-force ownership after joins', () => {
    const { sim, nodes } = joinRing(32, {}, { seed: 7 })
    assert.deepEqual(settle(sim, nodes), [])
    sim.run({ until: sim.now + 20_000 }) // let fingers fill
    const ring = sortedRing(live(nodes))
    const rng = new Rng(9)
    for (let i = 0; i < 200; i++) {
      const key = BigInt('0x' + Array.from(rng.bytes(20), b => b.toString(16).padStart(2, '0')).join(''))
      const from = nodes[rng.int(nodes.length)].machine
      const { err, res } = lookupSync(sim, from, key)
      assert.equal(err, null)
      assert.equal(res?.owner.tag, ownerOf(ring, key).tag)
    }
  })

  it('stays a ring through crashes and graceful leaves', () => {
    const { sim, nodes } = joinRing(30, { bits: 40 }, { seed: 11 })
    assert.deepEqual(settle(sim, nodes), [])
    const rng = new Rng(5)
    for (const i of rng.sample([...Array(29).keys()].map(x => x + 1), 8)) {
      if (rng.bool()) sim.crash(nodes[i]); else sim.leave(nodes[i])
      sim.run({ until: sim.now + 300 })
    }
    assert.deepEqual(settle(sim, nodes), [])
    assert.equal(sortedRing(live(nodes)).length, 22)
  })

  it('virtual nodes: every vnode is on the ring, routing is host-level', () => {
    const { sim, nodes } = joinRing(12, { vnodes: 4, bits: 48 }, { seed: 3 })
    assert.deepEqual(settle(sim, nodes), [])
    assert.equal(sortedRing(live(nodes)).length, 48)
    assert.deepEqual(checkRing(live(nodes)), [])
  })
})

describe('chord lookups (simulator, oracle-bootstrapped rings)', () => {
  it('recursive lookups agree with brute-force ownership and count the same kind of hops', async () => {
    const { buildRing, runLookups } = await import('../../src/chord/sim-run.js')
    const it = buildRing({ hosts: 300, options: { expectedNodes: 300 }, sim: { seed: 21 } })
    const iter = runLookups(it.sim, it.nodes, { count: 500 })
    const rec = buildRing({ hosts: 300, options: { expectedNodes: 300, lookupMode: 'recursive' }, sim: { seed: 21 } })
    const st = runLookups(rec.sim, rec.nodes, { count: 500 })
    assert.equal(st.failed, 0)
    assert.equal(iter.failed, 0)
    assert.ok(Math.abs(st.hops.mean - iter.hops.mean) < 0.3, `recursive ${st.hops.mean} vs iterative ${iter.hops.mean}`)
  })

  it('lookups after 30 % simultaneous failures (no repair) still find the live successor', async () => {
    const { buildRing, failFraction, runLookups } = await import('../../src/chord/sim-run.js')
    const { sim, nodes } = buildRing({ hosts: 300, options: { successors: 16, rpcTimeoutMs: 500, verifyOwner: true, repairOnTimeout: false, lookupTimeoutMs: 600_000 }, sim: { seed: 8, latency: { kind: 'uniform', min: 20, max: 80 } } })
    failFraction(sim, nodes, 0.3)
    const st = runLookups(sim, nodes, { count: 400, spacingMs: 10 })
    assert.equal(st.failed, 0)
    assert.ok(st.timeouts.mean > 0.5, `timeouts ${st.timeouts.mean}`)
  })
})
