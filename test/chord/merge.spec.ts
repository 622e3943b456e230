import assert from 'node:assert/strict'
import * as kv from '../../src/chord/kv.js'
import { checkRing } from '../../src/chord/oracle.js'
import type { ChordOptions } from '../../src/chord/options.js'
import { utf8 } from '../../src/overlay/ids.js'
import { Rng } from '../../src/overlay/rng.js'
import { joinRing, live, settle, type ChordNode } from './helpers.js'

/**
 * Partition a settled ring into `groups` for `cutMs` of virtual time (long enough that each side
 * forgets the other and settles into its own ring), then heal. Returns the nodes split by group.
 */
function partitionAndHeal (n: number, groups: number, seed: number, cutMs: number, opts: ChordOptions = {}): { sim: ReturnType<typeof joinRing>['sim'], nodes: ChordNode[], sides: ChordNode[][] } {
  const { sim, nodes } = joinRing(n, { bits: 32, ...opts }, { seed, latency: { kind: 'uniform', min: 5, max: 40 } })
  assert.deepEqual(settle(sim, nodes), [], `seed ${seed}: the ring forms`)
  sim.run({ until: sim.now + 10_000 }) // fingers fill: references across the coming cut everywhere
  const order = new Rng(seed * 31 + groups).sample(nodes, nodes.length)
  const sides = Array.from({ length: groups }, (_, g) => order.filter((_, i) => i % groups === g))
  sim.partition(sides.map(s => s.map(x => x.id)))
  sim.run({ until: sim.now + cutMs })
  for (const side of sides) {
    // each side is a correct ring of its own and holds no reference across the cut
    assert.deepEqual(checkRing(live(side)), [], `seed ${seed}: each side settles into its own ring`)
    const mine = new Set(side.map(x => x.id))
    for (const x of side) assert.ok(x.machine.routes.known().every(k => mine.has(k.peer)), `seed ${seed}: ${x.id} forgot the other side`)
  }
  sim.heal()
  return { sim, nodes, sides }
}

describe('chord ring merge after a partition heals (simulator)', () => {
  it('without the merge check, rings formed on both sides of a cut never meet again (classic Chord)', () => {
    const { sim, nodes } = partitionAndHeal(16, 2, 1, 30_000, { mergeCheckMs: 0 })
    assert.notDeepEqual(settle(sim, nodes, 60_000), [])
  })

  it('2 and 3 sides of 24 nodes merge into the brute-force ring within 30 s of the heal', () => {
    for (const seed of [1, 2, 3, 4]) {
      for (const groups of [2, 3]) {
        const { sim, nodes } = partitionAndHeal(24, groups, seed, 30_000, { mergeCheckMs: 2000 })
        assert.deepEqual(settle(sim, nodes, 30_000), [], `seed ${seed}, ${groups} sides`)
        assert.ok(sim.stats.get('chord:merge-found') > 0)
      }
    }
  })

  it('keys written on either side during the cut are readable from every host once the rings merged', () => {
    // the owner after the merge may be a host of the other side, which has none of them: the copies
    // left on non-owners must reach it before their lease lapses and they are dropped (kv.ts rehome)
    for (const seed of [2, 5]) {
      const { sim, nodes, sides } = partitionAndHeal(24, 2, seed, 30_000)
      sim.partition(sides.map(s => s.map(x => x.id))) // cut again: write during the cut
      const keys: string[] = []
      let pending = 0
      for (let k = 0; k < 40; k++) {
        const side = sides[k % 2]
        keys.push(`cut-${seed}-${k}`)
        pending++
        kv.put(side[k % side.length].machine, keys[k], utf8(`v${k}`), (err) => { pending--; assert.equal(err, null) })
      }
      while (pending > 0) sim.run({ until: sim.now + 100 })
      sim.heal()
      assert.deepEqual(settle(sim, nodes, 60_000), [], `seed ${seed}: merged`)
      sim.run({ until: sim.now + 25_000 }) // a lease (10 replication periods) and a round to re-home
      for (const key of keys) {
        for (const reader of [nodes[0], nodes[9], nodes[17]]) {
          let got: string | undefined
          kv.get(reader.machine, key, (err, v) => { got = err != null ? `error: ${err.message}` : new TextDecoder().decode(v) })
          while (got === undefined) sim.run({ until: sim.now + 50 })
          assert.equal(got, `v${key.split('-')[2]}`, `seed ${seed}: ${key} from ${reader.id}`)
        }
      }
    }
  })

  it('default options: a long cut (10 min), one host cut off alone, and hosts with 4 vnodes all merge', () => {
    const long = partitionAndHeal(20, 2, 5, 600_000)
    assert.deepEqual(settle(long.sim, long.nodes, 60_000), [], 'after a 10 min cut')
    // one host against the rest, as in the multi-host test: it is alone on its own ring
    const { sim, nodes } = joinRing(8, { bits: 32 }, { seed: 6 })
    assert.deepEqual(settle(sim, nodes), [])
    sim.partition([[nodes[3].id]])
    sim.run({ until: sim.now + 30_000 })
    assert.equal(nodes[3].machine.vnodes[0].succs.length, 0, 'the cut host is alone')
    sim.heal()
    assert.deepEqual(settle(sim, nodes, 60_000), [], 'one host cut off')
    const vn = partitionAndHeal(12, 2, 7, 30_000, { vnodes: 4 })
    assert.deepEqual(settle(vn.sim, vn.nodes, 60_000), [], '4 vnodes per host')
  })
})
