/** The reference protocol's contract, in the simulator and live on memory and TCP. */
import assert from 'node:assert/strict'
import { TimeoutError } from '../../src/overlay/errors.js'
import { pingSpec } from '../../src/ping/spec.js'
import { runCompliance } from './suite.js'

interface Outcome { err: Error | null, rtt?: number }

runCompliance({
  name: 'ping',
  spec: pingSpec,
  nodes: 3,
  // virtual time costs nothing; live, keep the dead-peer case short
  options: (_i, kind) => ({ timeoutMs: kind === 'sim' ? 1000 : 400 }),
  sim: { seed: 7, latency: { kind: 'uniform', min: 5, max: 15 } },
  alive: async (rt, i) => {
    let out: Outcome | undefined
    rt.nodes[2].machine.ping(rt.nodes[i].ref, (err, rtt) => { out = { err, rtt } })
    await rt.until(() => out !== undefined, `a pong from node ${i}`)
    assert.equal(out?.err, null)
  },
  cases: {
    'ping succeeds and reports an RTT > 0': async (rt) => {
      const [a, b] = rt.nodes
      let out: Outcome | undefined
      a.machine.ping(b.ref, (err, rtt) => { out = { err, rtt } })
      await rt.until(() => out !== undefined, 'the pong')
      assert.equal(out?.err, null)
      assert.ok((out?.rtt ?? 0) > 0, `rtt ${out?.rtt}`)
      assert.equal(a.stats.messages.get('pong')?.received, 1)
      assert.equal(b.stats.messages.get('ping')?.received, 1)
    },
    'concurrent pings to several peers all come back': async (rt) => {
      const results: Outcome[] = []
      for (let k = 0; k < 20; k++) {
        const from = rt.nodes[k % 3]
        const to = rt.nodes[(k + 1) % 3]
        from.machine.ping(to.ref, (err, rtt) => { results.push({ err, rtt }) })
      }
      await rt.until(() => results.length === 20, '20 pongs')
      assert.deepEqual(results.filter(r => r.err !== null), [])
      assert.ok(results.every(r => (r.rtt ?? 0) > 0))
    },
    'a ping to a dead peer fails with TimeoutError': async (rt) => {
      const [a, , c] = rt.nodes
      await rt.kill(2)
      let out: Outcome | undefined
      a.machine.ping(c.ref, (err, rtt) => { out = { err, rtt } })
      await rt.until(() => out !== undefined, 'the timeout')
      assert.ok(out?.err instanceof TimeoutError, `got ${String(out?.err)}`)
      assert.equal(a.stats.get('ping:timeouts'), 1)
      // the live node keeps serving the others
      let again: Outcome | undefined
      a.machine.ping(rt.nodes[1].ref, (err, rtt) => { again = { err, rtt } })
      await rt.until(() => again !== undefined, 'a pong from a live peer')
      assert.equal(again?.err, null)
    }
  }
})
