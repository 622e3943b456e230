import assert from 'node:assert/strict'
import * as kv from '../../src/chord/kv.js'
import { chordSpecFor } from '../../src/chord/spec.js'
import { utf8 } from '../../src/overlay/ids.js'
import { Simulator } from '../../src/sim/index.js'
import type { ChordNode } from './helpers.js'

/**
 * A put issued while a 3-host ring is still forming (what the CLI test across processes does): the
 * first get from another host may miss, because that host's successor pointer is not settled yet
 * and its lookup names a replica the owner's copy has not reached. The write is never lost: the
 * value is readable from every host within a bounded time.
 */
describe('chord key/value while the ring is still forming (simulator)', () => {
  it('a put right after the joins is readable from every host within 2 s, for 100 seeds', () => {
    const opts = { stabilizeMs: 200, fixFingersMs: 100, open: true }
    let firstMisses = 0
    for (let seed = 1; seed <= 100; seed++) {
      const sim = new Simulator({ seed, latency: { kind: 'uniform', min: 1, max: 5 } })
      const spec = chordSpecFor(160)
      const a = sim.spawn(spec, opts) as ChordNode
      const b = sim.spawn(spec, { ...opts, bootstrap: [a.ref] }) as ChordNode
      const c = sim.spawn(spec, { ...opts, bootstrap: [a.ref] }) as ChordNode
      const all = [a, b, c]
      // as the CLI test: both joined and every host has some successor (not a settled ring)
      while (!all.every(n => n.machine.vnodes[0].joined && n.machine.vnodes[0].succs.length > 0)) sim.run({ until: sim.now + 10 })
      const key = `greeting-${seed}`
      let put: Error | null | undefined
      kv.put(b.machine, key, utf8('hello ring'), (err) => { put = err })
      while (put === undefined) sim.run({ until: sim.now + 5 })
      assert.equal(put, null, `seed ${seed}: put`)
      const t0 = sim.now
      for (const reader of all) {
        for (let attempt = 0; ; attempt++) {
          let got: string | undefined
          kv.get(reader.machine, key, (err, v) => { got = err != null ? `error: ${err.message}` : new TextDecoder().decode(v) })
          while (got === undefined) sim.run({ until: sim.now + 5 })
          if (got === 'hello ring') break
          if (attempt === 0 && reader === c) firstMisses++
          assert.ok(sim.now - t0 < 2000, `seed ${seed}: ${reader.id} still misses the value after 2 s (${got})`)
          sim.run({ until: sim.now + 100 })
        }
      }
    }
    // the window is real but brief: 13 of these 100 seeds miss on the first get (when written)
    assert.ok(firstMisses < 20, `first get missed on ${firstMisses} seeds`)
  })
})
