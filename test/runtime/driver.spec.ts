/** The live driver's mechanics: queues, unreachable peers, timers, io, stats, self, stop. */
import assert from 'node:assert/strict'
import { MemoryBlobStorage } from '../../src/runtime/libp2p/storage.js'
import { OverlayService } from '../../src/runtime/libp2p/service.js'
import { createNode, createSwarm, type Swarm } from '../../src/runtime/libp2p/swarm.js'
import { ping, type PingService } from '../../src/ping/service.js'
import { TimeoutError } from '../../src/overlay/errors.js'
import { probeSpec, type ProbeMachine, type ProbeMsg } from './fixtures/probe.js'
import { waitFor } from './util.js'
import type { DriverOptions } from '../../src/runtime/libp2p/driver.js'
import type { OverlayComponents } from '../../src/runtime/libp2p/components.js'

type Probe = OverlayService<ProbeMsg, Record<string, never>, ProbeMachine>
const probe = (driver: DriverOptions = {}) => (components: OverlayComponents): Probe => new OverlayService(components, probeSpec, {}, { driver })

describe('live driver', function () {
  describe('send queue', function () {
    let swarm: Swarm<{ ping: PingService }> | undefined
    after(async function () { await swarm?.stop() })

    it('drops and counts frames beyond maxQueuedFrames, delivers the rest', async function () {
      swarm = await createSwarm(2, (i) => ({ ping: ping({ timeoutMs: 3000, driver: { maxQueuedFrames: i === 0 ? 8 : 1024 } }) }), { transport: 'memory', seed: 5 })
      const a = swarm.nodes[0].services.ping
      const b = swarm.nodes[1].services.ping
      let ok = 0
      const cancels: Array<() => void> = []
      // 50 sends in one tick: the stream is still being opened, so they all wait in the queue
      for (let k = 0; k < 50; k++) cancels.push(a.machine.ping(b.self, (err) => { if (err === null) ok++ }))
      assert.equal(a.stats.messages.get('queue-full')?.dropped, 42)
      await waitFor(() => ok === 8, '8 pongs')
      for (const c of cancels) c()
      assert.equal(a.stats.messages.get('ping')?.sent, 8)
      assert.equal(b.stats.messages.get('ping')?.received, 8)
      assert.equal(a.driver.resources().queuedFrames, 0)
    })
  })

  describe('backpressure', function () {
    let swarm: Swarm<{ ping: PingService }> | undefined
    after(async function () { await swarm?.stop() })

    it('waits for drain when the stream is full and still delivers every frame', async function () {
      swarm = await createSwarm(2, () => ({ ping: ping({ timeoutMs: 20_000 }) }), { transport: 'memory', seed: 6 })
      const a = swarm.nodes[0].services.ping
      const b = swarm.nodes[1].services.ping
      await a.ping(b.self)
      const payload = new Uint8Array(60 * 1024)
      let ok = 0
      // 150 × 60 KiB in one tick: far beyond yamux's initial 256 KiB window
      for (let k = 0; k < 150; k++) a.machine.ping(b.self, (err) => { if (err === null) ok++ }, payload)
      await waitFor(() => ok === 150, '150 pongs', 20_000)
      assert.ok(a.stats.get('driver:drain-waits') > 0, 'send() never asked to wait for drain')
      assert.equal(a.stats.messages.get('queue-full')?.dropped ?? 0, 0)
    })
  })

  describe('peers, timers, io, stats', function () {
    let swarm: Swarm<{ probe: Probe }>
    let storage: MemoryBlobStorage
    const m = (i: number): ProbeMachine => swarm.nodes[i].services.probe.machine

    beforeEach(async function () {
      storage = new MemoryBlobStorage()
      swarm = await createSwarm(3, (i) => ({ probe: probe(i === 0 ? { storage, unreachableBackoffMs: 60_000 } : {}) }), { transport: 'memory', seed: 9 })
    })
    afterEach(async function () { await swarm.stop() })

    it('from is the authenticated sender; per-type stats count messages and bytes', async function () {
      const a = swarm.nodes[0].services.probe
      const b = swarm.nodes[1].services.probe
      a.machine.env.send(b.self, { type: 'hello', n: 7 })
      await waitFor(() => m(0).received.length === 1, 'the echo')
      assert.deepEqual(m(1).received, [{ from: a.self.id, msg: { type: 'hello', n: 7 } }])
      assert.deepEqual(m(0).received, [{ from: b.self.id, msg: { type: 'echo', n: 7 } }])
      assert.deepEqual(m(1).connected, [a.self.id])
      const s = a.stats.messages
      assert.equal(s.get('hello')?.sent, 1)
      assert.equal(s.get('hello')?.bytesSent, 5)
      assert.equal(s.get('echo')?.received, 1)
      assert.equal(s.get('echo')?.bytesReceived, 5)
    })

    it('frames sent in one tick are written together, in order, and a big burst is not dropped', async function () {
      const a = swarm.nodes[0].services.probe
      const b = swarm.nodes[1].services.probe
      a.machine.env.send(b.self, { type: 'hello', n: 0 })
      await waitFor(() => m(0).received.length === 1, 'the first echo')
      const writes = a.stats.get('driver:writes')
      for (let n = 1; n <= 300; n++) a.machine.env.send(b.self, { type: 'hello', n })
      await waitFor(() => m(1).received.length === 301, '300 hellos')
      assert.deepEqual(m(1).received.map(r => r.msg.n), Array.from({ length: 301 }, (_, i) => i))
      // the first frame at once, a full batch of 256, the rest at the end of the turn
      assert.ok(a.stats.get('driver:writes') - writes <= 3, `${a.stats.get('driver:writes') - writes} writes for 300 frames`)
      // 3000 in one tick: far more than maxQueuedFrames (1024), yet the stream is open, so none is dropped
      for (let n = 1000; n < 4000; n++) a.machine.env.send(b.self, { type: 'hello', n })
      await waitFor(() => m(1).received.length === 3301, '3000 more hellos', 20_000)
      assert.equal(a.stats.messages.get('queue-full')?.dropped ?? 0, 0)
    })

    it('self carries the listen address and a PeerRef with addrs is dialable', async function () {
      const a = swarm.nodes[0].services.probe
      const c = swarm.nodes[2].services.probe
      assert.equal(a.self.id, swarm.nodes[0].peerId.toString())
      assert.ok((c.self.addrs?.length ?? 0) > 0 && c.self.addrs?.[0].startsWith('/memory/'), String(c.self.addrs))
      // a fresh PeerRef object, as a peer would pass it in a message
      a.machine.env.send({ id: c.self.id, addrs: [...(c.self.addrs ?? [])] }, { type: 'hello', n: 1 })
      await waitFor(() => m(0).received.length === 1, 'the echo from c')
    })

    it('a closed connection and a failed dial each call onPeerUnreachable once; then sends back off', async function () {
      const a = swarm.nodes[0].services.probe
      const bRef = { id: swarm.nodes[1].services.probe.self.id, addrs: [...(swarm.nodes[1].services.probe.self.addrs ?? [])] }
      a.machine.env.send(bRef, { type: 'hello', n: 1 })
      await waitFor(() => m(0).received.length === 1, 'the echo')
      await swarm.nodes[1].stop()
      await waitFor(() => m(0).unreachable.length === 1, 'unreachable after the connection closed')
      assert.deepEqual(m(0).unreachable, [bRef.id])
      a.machine.env.send(bRef, { type: 'hello', n: 2 })
      await waitFor(() => m(0).unreachable.length === 2, 'unreachable after the failed dial')
      // within the back-off: dropped and counted, no new dial, no new callback
      for (let k = 0; k < 5; k++) a.machine.env.send(bRef, { type: 'hello', n: 3 })
      assert.equal(a.stats.messages.get('unreachable')?.dropped, 1 + 5)
      await new Promise(resolve => setImmediate(resolve))
      assert.equal(m(0).unreachable.length, 2)
    })

    it('a send to a malformed peer id never throws: one onPeerUnreachable', async function () {
      const a = swarm.nodes[0].services.probe
      assert.doesNotThrow(() => { a.machine.env.send({ id: 'n000001' }, { type: 'hello', n: 1 }) })
      await waitFor(() => m(0).unreachable.length === 1, 'unreachable')
      assert.deepEqual(m(0).unreachable, ['n000001'])
    })

    it('connect() dials a multiaddr or a PeerRef and returns the remote PeerRef', async function () {
      const a = swarm.nodes[0].services.probe
      const ref = await a.connect(swarm.addr(1).toString())
      assert.equal(ref.id, swarm.nodes[1].peerId.toString())
      assert.ok(ref.addrs?.[0].startsWith('/memory/'))
      const ref2 = await a.connect(swarm.nodes[2].services.probe.self)
      assert.equal(ref2.id, swarm.nodes[2].peerId.toString())
      assert.equal(swarm.nodes[0].getPeers().length, 2)
    })

    it('real timers fire, re-arming replaces, clearing cancels', async function () {
      const env = m(0).env
      env.setTimer('a', 5)
      env.setTimer('b', 1)
      env.setTimer('b', 10)
      env.setTimer('c', 1)
      env.clearTimer('c')
      // beyond setTimeout's 2^31-1 ms range: must not fire at once (Node would)
      env.setTimer('far', 2 ** 31 + 1000)
      await waitFor(() => m(0).timers.length === 2, 'two timers')
      env.setTimer('d', 30)
      await waitFor(() => m(0).timers.length === 3, 'a third timer')
      assert.deepEqual(m(0).timers, ['a', 'b', 'd'])
      assert.equal(swarm.nodes[0].services.probe.driver.resources().timers, 1)
    })

    it('env.io reads and writes through the BlobStorage', async function () {
      const env = m(0).env
      assert.equal(typeof m(1).env.io, 'undefined')
      env.io?.({ op: 'write', store: 'x', offset: 2, data: Uint8Array.from([7, 8]), token: 'w' })
      await waitFor(() => m(0).io.length === 1, 'the write')
      env.io?.({ op: 'read', store: 'x', offset: 0, length: 4, token: 'r' })
      env.io?.({ op: 'size', store: 'missing', token: 's' })
      await waitFor(() => m(0).io.length === 3, 'the read and size')
      assert.deepEqual(m(0).io[0], { token: 'w', result: { ok: true, size: 4 } })
      assert.deepEqual(m(0).io.find(x => x.token === 'r')?.result, { ok: true, data: Uint8Array.from([0, 0, 7, 8]) })
      const s = m(0).io.find(x => x.token === 's')?.result
      assert.equal(s?.ok, false)
      assert.deepEqual(storage.get('x'), Uint8Array.from([0, 0, 7, 8]))
    })

    it('a machine that throws is counted and the node keeps going', async function () {
      const b = swarm.nodes[1].services.probe
      const orig = b.machine.onMessage.bind(b.machine)
      let thrown = 0
      b.machine.onMessage = (from, msg) => { if (msg.n === 13) { thrown++; throw new Error('boom') } orig(from, msg) }
      const a = swarm.nodes[0].services.probe
      a.machine.env.send(b.self, { type: 'hello', n: 13 })
      a.machine.env.send(b.self, { type: 'hello', n: 14 })
      await waitFor(() => m(0).received.length === 1, 'the echo of 14')
      assert.equal(thrown, 1)
      assert.equal(b.stats.get('driver:machine-errors'), 1)
    })

    it('stop() stops the machine and releases timers, streams and the handler', async function () {
      const node = swarm.nodes[0]
      const a = node.services.probe
      a.machine.env.send(swarm.nodes[1].services.probe.self, { type: 'hello', n: 1 })
      swarm.nodes[2].services.probe.machine.env.send(a.self, { type: 'hello', n: 2 })
      await waitFor(() => m(0).received.length === 2, 'traffic both ways')
      a.machine.env.setTimer('long', 60_000)
      const r = a.driver.resources()
      assert.ok(r.timers === 1 && r.outboundStreams >= 1 && r.inboundStreams >= 1, JSON.stringify(r))
      await a.stop()
      assert.equal(m(0).stopped, true)
      assert.deepEqual(a.driver.resources(), { timers: 0, channels: 0, outboundStreams: 0, inboundStreams: 0, queuedFrames: 0, bufferedBytes: 0, trackedPeers: 0, refusedPeers: 0 })
      assert.ok(!node.getProtocols().includes(probeSpec.protocol))
      // sends after stop are dropped, not queued
      a.machine.env.send(swarm.nodes[1].services.probe.self, { type: 'hello', n: 3 })
      assert.equal(a.stats.messages.get('not-running')?.dropped, 1)
    })
  })

  it('a ping service on a standalone node times out against a silent peer', async function () {
    const a = await createNode({ ping: ping({ timeoutMs: 200 }) })
    const b = await createNode({})
    try {
      // b speaks the protocol but never answers
      await b.handle('/overlaykit/ping/1.0.0', () => {})
      await assert.rejects(a.services.ping.ping(b.getMultiaddrs()[0].toString()), TimeoutError)
    } finally {
      await a.stop()
      await b.stop()
    }
  })
})
