/** createSwarm / createNode: transports (memory, TCP, WebSockets), topologies, seeded identities. */
import assert from 'node:assert/strict'
import { createNode, createSwarm, pool } from '../../src/runtime/libp2p/swarm.js'
import { ping } from '../../src/ping/service.js'

describe('createSwarm', function () {
  it('WebSockets in Node: a ring of 3 pings around', async function () {
    const swarm = await createSwarm(3, () => ({ ping: ping({ timeoutMs: 3000 }) }), { transport: 'ws', connect: 'ring' })
    try {
      for (const [i, node] of swarm.nodes.entries()) {
        assert.match(swarm.addr(i).toString(), /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws\/p2p\//)
        const next = swarm.nodes[(i + 1) % 3].services.ping
        assert.ok(await node.services.ping.ping(next.self) > 0)
      }
    } finally {
      await swarm.stop()
    }
  })

  it('pool() never runs more than its limit at once and reports the first error', async function () {
    let inFlight = 0
    let peak = 0
    const task = (fail = false) => async (): Promise<void> => {
      inFlight++; peak = Math.max(peak, inFlight)
      await new Promise(resolve => setImmediate(resolve))
      inFlight--
      if (fail) throw new Error('task failed')
    }
    await pool(Array.from({ length: 20 }, () => task()), 3)
    assert.equal(peak, 3)
    await assert.rejects(pool([task(), task(true), task()], 8), /task failed/)
  })

  it('topologies dial the expected pairs', async function () {
    const peers = (s: { nodes: Array<{ getPeers: () => unknown[] }> }): number[] => s.nodes.map(n => n.getPeers().length)
    const ring = await createSwarm(5, () => ({}), { connect: 'ring', dialConcurrency: 2 })
    const star = await createSwarm(5, () => ({}), { connect: 'star', dialConcurrency: 1 })
    const full = await createSwarm(5, () => ({}), { connect: 'full' })
    try {
      assert.deepEqual(peers(ring), [2, 2, 2, 2, 2])
      assert.deepEqual(peers(star), [4, 1, 1, 1, 1])
      assert.deepEqual(peers(full), [4, 4, 4, 4, 4])
    } finally {
      await Promise.all([ring.stop(), star.stop(), full.stop()])
    }
  })

  it('a seed makes node identities reproducible; TCP listens on loopback only', async function () {
    const a = await createNode({}, { transport: 'tcp', seed: 42, index: 3 })
    const b = await createNode({}, { transport: 'memory', seed: 42, index: 3 })
    const c = await createNode({}, { transport: 'memory', seed: 42, index: 4 })
    try {
      assert.equal(a.peerId.toString(), b.peerId.toString())
      assert.notEqual(b.peerId.toString(), c.peerId.toString())
      assert.ok(a.getMultiaddrs().every(m => m.toString().startsWith('/ip4/127.0.0.1/tcp/')), a.getMultiaddrs().join(' '))
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()])
    }
  })

  it('stop() is idempotent and stops every node', async function () {
    const swarm = await createSwarm(4, () => ({ ping: ping() }), { transport: 'tcp', connect: 'full' })
    await swarm.stop()
    await swarm.stop()
    assert.deepEqual(swarm.nodes.map(n => n.status), ['stopped', 'stopped', 'stopped', 'stopped'])
  })
})
