/** Exactly-once delivery, replays and bad updates, in the simulator. */
import assert from 'node:assert/strict'
import { swarm } from './sim-helpers.js'
import type { Update } from '../../src/gossip/types.js'

describe('gossip delivery (simulator)', () => {
  it('every update reaches every node exactly once (rumor mongering + anti-entropy, random latency, 2% loss)', () => {
    const { sim, nodes, deliveries } = swarm(60, { mode: 'push-pull', k: 2, periodMs: 200, antiEntropy: { periodMs: 1000 }, ttlMs: 60_000 },
      { latency: { kind: 'uniform', min: 5, max: 50 }, lossRate: 0.02, wire: true })
    const ids: string[] = []
    for (let i = 0; i < 20; i++) {
      sim.at(100 + i * 37, () => { ids.push(nodes[sim.rng.int(nodes.length)].machine.publish(`t${i % 3}`, new Uint8Array([i]))) })
    }
    sim.run({ until: 20_000 })
    assert.equal(ids.length, 20)
    for (const id of ids) {
      const got = deliveries.get(id) ?? []
      assert.equal(got.length, nodes.length - 1, `update ${id} delivered ${got.length} times`)
      assert.equal(new Set(got).size, got.length, 'a node got an update twice')
    }
  })

  it('a replayed update is never delivered again, even after it left the store', () => {
    const { sim, nodes, deliveries } = swarm(5, { mode: 'push', k: 3, periodMs: 100, antiEntropy: { periodMs: 0 }, ttlMs: 1000, maxStored: 10 })
    let captured: Update | undefined
    const a = nodes[0].machine
    const id = a.publish('t', new Uint8Array([9]))
    captured = (a as any).store.get(id).u as Update
    sim.run({ until: 5000 }) // far past the TTL: stores emptied by gc
    assert.equal(deliveries.get(id)?.length, 4)
    const victim = nodes[1]
    const before = victim.stats.get('gossip:duplicate') + victim.stats.get('gossip:expired')
    victim.machine.onMessage(nodes[2].ref, { type: 'rumor', updates: [captured], pull: false })
    victim.machine.onMessage(nodes[2].ref, { type: 'ae-push', updates: [{ ...captured, time: sim.now }] }) // even with a forged fresh time
    assert.equal(deliveries.get(id)?.length, 4)
    assert.ok(victim.stats.get('gossip:duplicate') + victim.stats.get('gossip:expired') >= before + 2)
  })

  it('drops malformed updates and counts them', () => {
    const { nodes, deliveries } = swarm(3, { mode: 'push', antiEntropy: { periodMs: 0 } })
    const m = nodes[0].machine
    const bad: Update[] = [
      { origin: 'x/1', seq: 0, time: 0, kind: 0, topic: 't', size: 1, data: new Uint8Array(1) }, // seq 0
      { origin: 'x/1', seq: 1, time: 0, kind: 0, topic: 't', size: 5, data: new Uint8Array(1) }, // size lies
      { origin: 'x/1', seq: 2, time: 0, kind: 0, topic: 't', size: 5 }, // announcement without a hash
      { origin: 'x/1', seq: 3, time: 0, kind: 1, topic: '', size: 1, data: new Uint8Array(1) }, // put without key
      { origin: 'x/1', seq: 4, time: 1e15, kind: 0, topic: 't', size: 1, data: new Uint8Array(1) } // from the far future
    ]
    m.onMessage(nodes[1].ref, { type: 'rumor', updates: bad, pull: false })
    assert.equal(nodes[0].stats.get('gossip:invalid'), 4)
    assert.equal(nodes[0].stats.get('gossip:from-future'), 1)
    assert.equal(deliveries.size, 0)
  })

  it('large payloads are announced by digest and pulled; a wrong body is rejected', () => {
    const { sim, nodes, deliveries } = swarm(20, { mode: 'push', k: 3, periodMs: 100, maxInlineBytes: 1024, antiEntropy: { periodMs: 500 } }, { wire: true, measureBytes: true })
    const data = new Uint8Array(100_000).map((_, i) => i & 0xff)
    const id = nodes[0].machine.publish('big', data)
    sim.run({ until: 10_000 })
    assert.equal(deliveries.get(id)?.length, 19)
    assert.ok((sim.stats.messages.get('fetch')?.sent ?? 0) >= 19)
    // rumor frames never carried the payload: only bodies are large
    const rumorBytes = sim.stats.messages.get('rumor')?.bytesSent ?? 0
    const rumors = sim.stats.messages.get('rumor')?.sent ?? 1
    assert.ok(rumorBytes / rumors < 1024, `rumor frames average ${rumorBytes / rumors} bytes`)
    // a peer answering with a body that does not match the announced (signed) hash is not believed
    const v = nodes[5].machine
    const id2 = nodes[0].machine.publish('big', data.map(x => x ^ 1))
    const ann = (nodes[0].machine as any).store.get(id2).wire
    v.onMessage(nodes[6].ref, { type: 'rumor', updates: [ann], pull: false })
    v.onMessage(nodes[6].ref, { type: 'body', origin: ann.origin, seq: ann.seq, data })
    assert.equal(nodes[5].stats.get('gossip:bad-body'), 1)
    assert.equal(v.has({ origin: ann.origin, seq: ann.seq }), false)
    // nor is an announcement whose hash was swapped: the signature covers it
    v.onMessage(nodes[6].ref, { type: 'rumor', updates: [{ ...ann, hash: new Uint8Array(32) }], pull: false })
    assert.equal(nodes[5].stats.get('gossip:bad-signature'), 1)
  })

  it('publish refuses payloads over maxMessageBytes', () => {
    const { nodes } = swarm(2, { maxMessageBytes: 10 })
    assert.throws(() => nodes[0].machine.publish('t', new Uint8Array(11)), /maxMessageBytes/)
  })
})
