import assert from 'node:assert/strict'
import { Simulator } from '../../src/sim/index.js'
import { pingSpec } from '../../src/ping/index.js'

describe('ping: pending pings (two in fields, a Map beyond)', () => {
  it('five pings in flight at once all get their RTT; a cancelled one gets nothing and leaves no timer', () => {
    const sim = new Simulator({ latency: { kind: 'uniform', min: 5, max: 50 } })
    const a = sim.spawn(pingSpec, { timeoutMs: 1000 })
    const b = sim.spawn(pingSpec, {})
    const got: Array<number | string> = []
    const cancels = Array.from({ length: 5 }, (_, i) => a.machine.ping(b.ref, (err, rtt) => { got.push(err !== null ? `err${i}` : i) }))
    assert.equal(a.machine.inFlight, 5)
    cancels[1]()
    cancels[1]()
    assert.equal(a.machine.inFlight, 4)
    sim.runUntilIdle()
    assert.deepEqual([...got].sort(), [0, 2, 3, 4])
    assert.equal(a.machine.inFlight, 0)
    assert.equal(a.timers, undefined, 'no timeout left armed')
    assert.equal(sim.stats.get('ping:timeouts'), 0)
  })

  it('a pong with an unknown seq (even -1, the free-slot mark) or from a peer not asked is counted and changes nothing', () => {
    const sim = new Simulator({ latency: { kind: 'constant', ms: 10 } })
    const a = sim.spawn(pingSpec, { timeoutMs: 100 })
    const b = sim.spawn(pingSpec, {})
    const liar = sim.spawn(pingSpec, {})
    const got: Array<number | Error> = []
    a.machine.ping(b.ref, (err, rtt) => { got.push(err ?? (rtt as number)) })
    const payload = new Uint8Array(0)
    // the liar answers first: the real seq (1) from the wrong peer, a seq never sent, and -1
    for (const seq of [1, 7, -1]) liar.env.send(a.ref, { type: 'pong', seq, payload })
    sim.runUntilIdle()
    assert.equal(sim.stats.get('ping:unsolicited-pong'), 3)
    assert.deepEqual(got, [20], 'the real pong still completes the ping')
    assert.equal(a.machine.inFlight, 0)
  })
})
