/**
 * Durability under churn (issue 17, chord-churn): a key must survive the loss of its holders one
 * after another, each loss coming before the next periodic replication round could have repaired it.
 * Every holder that vanishes must be replaced within one maintenance period (the owner's successor
 * takes over the range when its predecessor goes silent; a holder that loses a successor pushes its
 * copies on), so three copies stand again before the next crash. Seeded simulator, crash failures.
 */
import assert from 'node:assert/strict'
import { utf8 } from '../../src/overlay/ids.js'
import * as kv from '../../src/chord/kv.js'
import { PROFILES } from '../../src/chord/options.js'
import { ownerOf, sortedRing } from '../../src/chord/oracle.js'
import { buildRing, type ChordSimNode } from '../../src/chord/sim-run.js'
import { itemId, KIND_VALUE } from '../../src/chord/store.js'

/** The maintenance of chord-churn (ToN Table III): every period uniform [15, 45] s. */
const PERIOD = 30_000
/** Between two crashes: more than the longest maintenance period, less than two replication periods. */
const WINDOW = 50_000

describe('chord: durability under churn (simulator)', function () {
  for (const seed of ['churn-a', 'churn-b', 'churn-c']) {
    it(`a key keeps three live copies while its holders crash one after another (${seed})`, function () {
      const { sim, nodes } = buildRing({
        hosts: 40,
        options: { ...PROFILES.sim, maintenance: true, successors: 8, replicas: 3, stabilizeMs: PERIOD, fixFingersMs: PERIOD, checkPredecessorMs: PERIOD, replicateMs: PERIOD, rpcTimeoutMs: 500 },
        sim: { seed, latency: { kind: 'exponential', mean: 50 } }
      })
      const key = `durable-${seed}`
      const id = itemId(KIND_VALUE, utf8(key))
      let stored: Error | null | undefined
      kv.put(nodes[0].machine, key, utf8('v'), (err) => { stored = err })
      sim.run({ until: sim.now + 5_000 })
      assert.equal(stored, null)
      const rng = sim.rng.fork('victims')
      const holders = (): ChordSimNode[] => nodes.filter(n => n.alive && n.machine.store.get(id)?.value !== undefined)
      assert.equal(holders().length, 3)
      const rid = nodes[0].machine.kv.keyRingId(utf8(key))
      for (let round = 0; round < 6; round++) {
        const hs = holders()
        // even rounds: the owner (by the live ring) goes; odd rounds: one of its replica holders
        const owner = ownerOf(sortedRing(nodes.filter(n => n.alive).map(n => n.machine)), rid)
        const byOwner = hs.filter(n => n.id === owner.peer)
        const others = hs.filter(n => n.id !== owner.peer)
        const pool = round % 2 === 0 && byOwner.length > 0 ? byOwner : others
        sim.crash(pool[rng.int(pool.length)])
        assert.ok(holders().length >= 2, `round ${round}: ${holders().length} copies right after the crash`)
        sim.run({ until: sim.now + WINDOW })
        assert.ok(holders().length >= 3, `round ${round}: only ${holders().length} live copies ${WINDOW / 1000} s after a holder crashed`)
      }
      let got: Uint8Array | undefined
      const from = nodes.find(n => n.alive) as ChordSimNode
      kv.get(from.machine, key, (err, v) => { assert.equal(err, null); got = v })
      sim.run({ until: sim.now + 10_000 })
      assert.deepEqual(got, utf8('v'))
    })
  }
})
