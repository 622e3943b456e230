import assert from 'node:assert/strict'
import fc from 'fast-check'
import { EventHeap, Simulator } from '../../src/sim/index.js'
import { pingSpec } from '../../src/ping/index.js'
import { recorderSpec } from './helpers.js'

/** The ping workload of the determinism test, with two crashes in the middle. */
function pingRun (seed: number): string {
  const sim = new Simulator({ seed, latency: { kind: 'exponential', mean: 20 }, lossRate: 0.05 })
  const nodes = Array.from({ length: 50 }, () => sim.spawn(pingSpec, { intervalMs: 100, timeoutMs: 300 }))
  for (const n of nodes) n.machine.peers = nodes.filter(m => m !== n).map(m => m.ref)
  sim.run({ until: 2000 })
  sim.crash(nodes[3]); sim.crash(nodes[7])
  sim.run({ until: 5000 })
  return sim.traceHash()
}

describe('simulator: event queue', () => {
  it('keeps the trace of the queue that left cancelled timers in place (hashes recorded before the indexed heap)', () => {
    // recorded with the previous simulator (cancelled timers stayed queued until their time): removing
    // them changes no event's (time, seq), so the order of executed events and the hash are the same
    assert.equal(pingRun(7), '234ed7632b38466e00001ba9')
    assert.equal(pingRun(8), 'bfc9cd317f15269a00001b8e')
  })

  it('a cleared or re-armed timer leaves the queue at once; a crash removes all of a node\'s timers', () => {
    const sim = new Simulator()
    const a = sim.spawn(recorderSpec, {})
    for (let i = 0; i < 100; i++) a.env.setTimer(`k${i}`, 1000 + i)
    assert.equal(sim.pending, 100)
    for (let i = 0; i < 50; i++) a.env.clearTimer(`k${i}`)
    assert.equal(sim.pending, 50)
    for (let i = 50; i < 100; i++) a.env.setTimer(`k${i}`, 10)
    assert.equal(sim.pending, 50, 're-arming moves the timer instead of adding one')
    a.env.clearTimer('never-set')
    assert.equal(sim.pending, 50)
    sim.crash(a)
    assert.equal(sim.pending, 0)
    sim.runUntilIdle()
    assert.deepEqual(a.machine.timers, [])
  })

  it('ping at steady state queues about one tick timer per node plus what is in flight (no dead timeouts)', () => {
    const sim = new Simulator({ latency: { kind: 'constant', ms: 10 } })
    const nodes = Array.from({ length: 200 }, () => sim.spawn(pingSpec, { intervalMs: 100, timeoutMs: 10_000 }))
    for (const n of nodes) n.machine.peers = nodes.filter(m => m !== n).map(m => m.ref)
    sim.run({ until: 5000 })
    // each node: a tick timer, at most one ping in flight (timeout + message) in a 20 ms round trip of 100
    assert.ok(sim.pending < 200 * 2, `pending ${sim.pending}`)
    assert.ok(nodes.every(n => (n.timers?.size ?? 0) <= 2))
  })

  it('remove() takes any item out and the rest still pops in (time, seq) order', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.boolean()), { maxLength: 300 }), (spec) => {
      const h = new EventHeap<{ t: number, seq: number, hid?: number }>()
      const items = spec.map(([t], seq) => ({ t, seq }))
      for (const it of items) h.push(it)
      const kept = items.filter((it, i) => {
        if (!spec[i][1]) return true
        assert.equal(h.remove(it), true)
        assert.equal(h.remove(it), false, 'twice')
        return false
      })
      assert.equal(h.size, kept.length)
      kept.sort((a, b) => a.t - b.t || a.seq - b.seq)
      for (const want of kept) { assert.equal(h.peek(), want); assert.equal(h.pop(), want) }
      assert.equal(h.peek(), undefined)
      assert.equal(h.size, 0)
    }), { seed: 42 })
  })
})
