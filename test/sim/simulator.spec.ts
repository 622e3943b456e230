import assert from 'node:assert/strict'
import fc from 'fast-check'
import { EventHeap, Simulator, poissonChurn, lifetimeChurn } from '../../src/sim/index.js'
import { pingSpec } from '../../src/ping/index.js'
import { TimeoutError } from '../../src/overlay/index.js'
import { recorderSpec } from './helpers.js'

/** A gossipy ping workload whose trace depends on every random draw. */
function pingRun (seed: number): string {
  const sim = new Simulator({ seed, latency: { kind: 'exponential', mean: 20 }, lossRate: 0.05 })
  const nodes = Array.from({ length: 50 }, () => sim.spawn(pingSpec, { intervalMs: 100, timeoutMs: 300 }))
  for (const n of nodes) n.machine.peers = nodes.filter(m => m !== n).map(m => m.ref)
  sim.run({ until: 5000 })
  return sim.traceHash()
}

describe('simulator: determinism', () => {
  it('same seed gives the same trace hash; a different seed a different one', () => {
    assert.equal(pingRun(7), pingRun(7))
    assert.notEqual(pingRun(7), pingRun(8))
  })

  it('runs events at equal times in insertion order', () => {
    const sim = new Simulator()
    const seen: number[] = []
    for (let i = 0; i < 100; i++) sim.at(5, () => seen.push(i))
    sim.at(1, () => seen.push(-1))
    sim.runUntilIdle()
    assert.deepEqual(seen, [-1, ...Array.from({ length: 100 }, (_, i) => i)])
  })

  it('the heap pops in (time, seq) order for any input', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
      const h = new EventHeap<{ t: number, seq: number }>()
      times.forEach((t, seq) => h.push({ t, seq }))
      let last = { t: -1, seq: -1 }
      for (let i = 0; i < times.length; i++) {
        const e = h.pop()
        assert.ok(e !== undefined)
        assert.ok(e.t > last.t || (e.t === last.t && e.seq > last.seq))
        last = e
      }
      assert.equal(h.pop(), undefined)
    }), { seed: 42 })
  })

  it('timers re-armed under the same key replace the old one; clearTimer cancels', () => {
    const sim = new Simulator()
    const a = sim.spawn(recorderSpec, {})
    a.env.setTimer('x', 100)
    a.env.setTimer('x', 50)
    a.env.setTimer('y', 10)
    a.env.clearTimer('y')
    sim.runUntilIdle()
    assert.deepEqual(a.machine.timers, [{ t: 50, key: 'x' }])
  })

  it('run({ until }) stops at the limit and leaves later events queued', () => {
    const sim = new Simulator()
    let fired = 0
    sim.at(10, () => fired++)
    sim.at(30, () => fired++)
    sim.run({ until: 20 })
    assert.equal(fired, 1)
    assert.equal(sim.now, 20)
    sim.run()
    assert.equal(fired, 2)
  })
})

describe('simulator: network model', () => {
  it('a message of S bytes over an uplink of U bytes/s arrives after S/U + latency, and queued messages serialize', () => {
    const sim = new Simulator({ latency: { kind: 'constant', ms: 40 } })
    const a = sim.spawn(recorderSpec, {}, { upBps: 100_000 })
    const b = sim.spawn(recorderSpec, {})
    a.env.send(b.ref, { type: 'blip', n: 1, bytes: 10_000 }) // 100 ms on the wire
    a.env.send(b.ref, { type: 'blip', n: 2, bytes: 5_000 }) // queued behind: +50 ms
    sim.runUntilIdle()
    assert.deepEqual(b.machine.log.map(e => [e.n, e.t]), [[1, 140], [2, 190]])
  })

  it('a capped downlink serializes arrivals from different senders', () => {
    const sim = new Simulator({ latency: { kind: 'constant', ms: 10 } })
    const a = sim.spawn(recorderSpec, {})
    const c = sim.spawn(recorderSpec, {})
    const b = sim.spawn(recorderSpec, {}, { downBps: 10_000 })
    a.env.send(b.ref, { type: 'blip', n: 1, bytes: 1000 }) // arrives 10, occupies downlink until 110
    c.env.send(b.ref, { type: 'blip', n: 2, bytes: 1000 }) // arrives 10, then waits: 210
    sim.runUntilIdle()
    assert.deepEqual(b.machine.log.map(e => [e.n, e.t]), [[1, 110], [2, 210]])
  })

  it('loses messages at the configured rate (seeded, within 1.5 percentage points)', () => {
    const sim = new Simulator({ seed: 3, lossRate: 0.2 })
    const a = sim.spawn(recorderSpec, {})
    const b = sim.spawn(recorderSpec, {})
    const n = 20_000
    for (let i = 0; i < n; i++) a.env.send(b.ref, { type: 'blip', n: i, bytes: 1 })
    sim.runUntilIdle()
    const lost = 1 - b.machine.log.length / n
    assert.ok(Math.abs(lost - 0.2) < 0.015, `loss ${lost}`)
    assert.equal(sim.stats.messages.get('sim:loss')?.dropped, n - b.machine.log.length)
  })

  it('partitions drop messages between groups until healed', () => {
    const sim = new Simulator()
    const [a, b, c] = [0, 1, 2].map(() => sim.spawn(recorderSpec, {}))
    sim.partition([[a.id, b.id], [c.id]])
    a.env.send(b.ref, { type: 'blip', n: 1, bytes: 1 })
    a.env.send(c.ref, { type: 'blip', n: 2, bytes: 1 })
    sim.runUntilIdle()
    sim.heal()
    a.env.send(c.ref, { type: 'blip', n: 3, bytes: 1 })
    sim.runUntilIdle()
    assert.deepEqual(b.machine.log.map(e => e.n), [1])
    assert.deepEqual(c.machine.log.map(e => e.n), [3])
  })

  it('latency models stay within their ranges and means', () => {
    const sim = new Simulator({ seed: 5, latency: { kind: 'uniform', min: 10, max: 30 } })
    const a = sim.spawn(recorderSpec, {})
    const b = sim.spawn(recorderSpec, {})
    for (let i = 0; i < 2000; i++) a.env.send(b.ref, { type: 'blip', n: i, bytes: 1 })
    sim.runUntilIdle()
    const ts = b.machine.log.map(e => e.t)
    assert.ok(Math.min(...ts) >= 10 && Math.max(...ts) < 30)
    const mean = ts.reduce((s, t) => s + t, 0) / ts.length
    assert.ok(Math.abs(mean - 20) < 0.5, `mean ${mean}`)

    const sim2 = new Simulator({ seed: 5, latency: { kind: 'exponential', mean: 50 } })
    const c = sim2.spawn(recorderSpec, {})
    const d = sim2.spawn(recorderSpec, {})
    for (let i = 0; i < 20000; i++) c.env.send(d.ref, { type: 'blip', n: i, bytes: 1 })
    sim2.runUntilIdle()
    const mean2 = d.machine.log.reduce((s, e) => s + e.t, 0) / d.machine.log.length
    assert.ok(Math.abs(mean2 - 50) < 1.5, `exponential mean ${mean2}`)
  })

  it('coordinates latency follows distance', () => {
    const sim = new Simulator({ latency: { kind: 'coordinates', msPerUnit: 2, baseMs: 1 } })
    const a = sim.spawn(recorderSpec, {}, { coords: [0, 0] })
    const b = sim.spawn(recorderSpec, {}, { coords: [3, 4] })
    a.env.send(b.ref, { type: 'blip', n: 1, bytes: 1 })
    sim.runUntilIdle()
    assert.equal(b.machine.log[0].t, 11)
  })
})

describe('simulator: nodes', () => {
  it('crash is silent by default; with notifyUnreachable the sender hears of it', () => {
    for (const notify of [false, true]) {
      const sim = new Simulator({ notifyUnreachable: notify })
      const a = sim.spawn(recorderSpec, {})
      const b = sim.spawn(recorderSpec, {})
      sim.crash(b)
      a.env.send(b.ref, { type: 'blip', n: 1, bytes: 1 })
      sim.runUntilIdle()
      assert.deepEqual(a.machine.unreachable, notify ? [b.id] : [])
      assert.equal(b.machine.log.length, 0)
      assert.equal(b.machine.stopped, 0)
    }
  })

  it('leave runs stop(); rejoin gives a fresh machine under the same id', () => {
    const sim = new Simulator()
    const a = sim.spawn(recorderSpec, {})
    const b = sim.spawn(recorderSpec, {})
    b.env.setTimer('t', 10)
    sim.leave(b)
    assert.equal(b.machine.stopped, 1)
    sim.runUntilIdle()
    assert.equal(b.machine.timers.length, 0)
    const b2 = sim.rejoin(b)
    assert.equal(b2.id, b.id)
    assert.notEqual(b2.machine, b.machine)
    a.env.send(b.ref, { type: 'blip', n: 9, bytes: 1 })
    sim.runUntilIdle()
    assert.deepEqual(b2.machine.log.map(e => e.n), [9])
    assert.deepEqual(sim.nodes().map(n => n.id), [a.id, b.id])
  })

  it('ping runs in the simulator: RTT is two latencies; a crashed peer gives TimeoutError', () => {
    const sim = new Simulator({ latency: { kind: 'constant', ms: 25 } })
    const a = sim.spawn(pingSpec, { timeoutMs: 200 })
    const b = sim.spawn(pingSpec, {})
    const results: Array<Error | number | undefined> = []
    a.machine.ping(b.ref, (err, rtt) => results.push(err ?? rtt))
    sim.runUntilIdle()
    sim.crash(b)
    a.machine.ping(b.ref, (err, rtt) => results.push(err ?? rtt))
    sim.runUntilIdle()
    assert.equal(results[0], 50)
    assert.ok(results[1] instanceof TimeoutError)
    assert.equal(sim.now, 250)
  })

  it('env.io completes from memory as an event', () => {
    const sim = new Simulator({ ioLatencyMs: 3 })
    const got: unknown[] = []
    const a = sim.spawn(recorderSpec, {})
    ;(a.machine as any).onIo = (token: string, r: any) => got.push([sim.now, token, r.ok, r.data ?? r.size])
    sim.blobs.put(a.id, 'f', new Uint8Array([1, 2, 3, 4]))
    a.env.io?.({ op: 'read', store: 'f', offset: 1, length: 2, token: 'r' })
    a.env.io?.({ op: 'write', store: 'g', offset: 2, data: new Uint8Array([9]), token: 'w' })
    a.env.io?.({ op: 'read', store: 'f', offset: 3, length: 5, token: 'bad' })
    assert.equal(got.length, 0)
    sim.runUntilIdle()
    assert.deepEqual(got, [[3, 'r', true, new Uint8Array([2, 3])], [3, 'w', true, 3], [3, 'bad', false, undefined]])
    assert.deepEqual(sim.blobs.get(a.id, 'g'), new Uint8Array([0, 0, 9]))
  })
})

describe('simulator: churn generators', () => {
  it('Poisson join and leave produce their rates within 5 % for a fixed seed', () => {
    const sim = new Simulator({ seed: 11 })
    let joins = 0; let leaves = 0
    poissonChurn(sim, { joinRate: 2, leaveRate: 0.5, until: 2000_000, onJoin: () => joins++, onLeave: () => leaves++ })
    sim.runUntilIdle()
    assert.ok(Math.abs(joins / 2000 - 2) / 2 < 0.05, `join rate ${joins / 2000}`)
    assert.ok(Math.abs(leaves / 2000 - 0.5) / 0.5 < 0.05, `leave rate ${leaves / 2000}`)
  })

  it('Weibull and Pareto lifetimes have their theoretical means within 5 %', () => {
    for (const [lifetime, mean] of [
      [{ kind: 'weibull', shape: 2, scaleMs: 1000 }, 1000 * 0.886227],
      [{ kind: 'pareto', alpha: 3, minMs: 1000 }, 1500]
    ] as const) {
      const sim = new Simulator({ seed: 4 })
      const nodes = Array.from({ length: 4000 }, () => sim.spawn(recorderSpec, {}))
      let sum = 0
      lifetimeChurn(sim, nodes, { lifetime, until: 1e9, onDeath: () => { sum += sim.now; return undefined } })
      sim.runUntilIdle()
      assert.equal(sim.nodes().length, 0)
      const m = sum / nodes.length
      assert.ok(Math.abs(m - mean) / mean < 0.05, `${lifetime.kind} mean ${m} vs ${mean}`)
    }
  })
})

describe('simulator: FIFO links', () => {
  it('with fifoLinks a message never overtakes an earlier one on the same link', () => {
    for (const fifo of [false, true]) {
      const sim = new Simulator({ seed: 2, latency: { kind: 'exponential', mean: 30 }, fifoLinks: fifo })
      const a = sim.spawn(recorderSpec, {})
      const b = sim.spawn(recorderSpec, {})
      for (let i = 0; i < 200; i++) a.env.send(b.ref, { type: 'blip', n: i, bytes: 1 })
      sim.runUntilIdle()
      const order = b.machine.log.map(e => e.n)
      const inOrder = order.every((n, i) => i === 0 || n > order[i - 1])
      assert.equal(inOrder, fifo)
      assert.equal(order.length, 200)
    }
  })
})
