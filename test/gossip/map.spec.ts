/** The replicated LWW map: Lamport timestamps, convergence, death certificates. */
import assert from 'node:assert/strict'
import { LwwMap } from '../../src/gossip/lww.js'
import { swarm } from './sim-helpers.js'

const v = (s: string): Uint8Array => new TextEncoder().encode(s)
const s = (b: Uint8Array | undefined): string | undefined => b === undefined ? undefined : new TextDecoder().decode(b)

describe('gossip replicated map', () => {
  it('LwwMap: any order of the same writes gives the same value and checksum; ties go to the larger node id', () => {
    const writes: Array<[string, number, string, boolean, string]> = [
      ['k', 3, 'b', false, 'b3'], ['k', 3, 'a', false, 'a3'], ['k', 2, 'z', false, 'z2'], ['j', 1, 'a', false, 'j1'], ['j', 4, 'c', true, '']
    ]
    const results = new Set<string>()
    for (let perm = 0; perm < 30; perm++) {
      const m = new LwwMap(1000)
      const order = writes.slice().sort(() => ((perm * 7919) % 3) - 1)
      if (perm % 2 === 1) order.reverse()
      for (const [key, ts, node, del, val] of order) m.apply(key, ts, node, del, del ? undefined : v(val), 0)
      results.add(`${s(m.get('k'))}|${String(m.get('j'))}|${m.checksum}`)
    }
    assert.equal(results.size, 1)
    assert.ok([...results][0].startsWith('b3|undefined|'))
  })

  it('LwwMap: death certificates win over older writes and expire after their TTL', () => {
    const m = new LwwMap(1000)
    m.apply('k', 5, 'a', false, v('x'), 0)
    m.apply('k', 6, 'b', true, undefined, 100)
    assert.equal(m.get('k'), undefined)
    assert.equal(m.apply('k', 4, 'c', false, v('old'), 200), false)
    assert.equal(m.expire(1099), 0)
    assert.equal(m.expire(1100), 1)
    assert.equal(m.size, 0)
    assert.ok(m.clock >= 6, 'the Lamport clock moved past every timestamp seen')
  })

  it('concurrent writes at different nodes converge everywhere to the last writer; deletes propagate', () => {
    const { sim, nodes } = swarm(30, { mode: 'push', k: 3, periodMs: 100, antiEntropy: { periodMs: 500 }, ttlMs: 30_000 },
      { latency: { kind: 'uniform', min: 5, max: 80 } })
    for (let i = 0; i < 10; i++) sim.at(50, () => { nodes[i].machine.put('color', v(`c${i}`)) })
    sim.at(60, () => { nodes[3].machine.put('gone', v('x')) })
    sim.run({ until: 5_000 })
    const values = new Set(nodes.map(n => s(n.machine.get('color'))))
    assert.equal(values.size, 1, `replicas disagree: ${[...values].join(',')}`)
    nodes[7].machine.delete('gone')
    nodes[8].machine.put('color', v('final'))
    sim.run({ until: 10_000 })
    for (const n of nodes) {
      assert.equal(n.machine.get('gone'), undefined)
      assert.equal(s(n.machine.get('color')), 'final')
    }
  })

  it('anti-entropy repairs the map of a node that missed the writes (map checksum exchange)', () => {
    const { sim, nodes } = swarm(10, { mode: 'push', k: 2, periodMs: 100, antiEntropy: { periodMs: 300, mode: 'push-pull' }, ttlMs: 1000 })
    sim.partition([nodes.slice(0, 9).map(n => n.id), [nodes[9].id]])
    nodes[0].machine.put('a', v('1'))
    nodes[1].machine.put('b', v('2'))
    sim.run({ until: 5_000 }) // past the TTL: the updates themselves can no longer be repaired
    assert.equal(nodes[9].machine.get('a'), undefined)
    sim.heal()
    sim.run({ until: 10_000 })
    assert.equal(s(nodes[9].machine.get('a')), '1')
    assert.equal(s(nodes[9].machine.get('b')), '2')
    assert.equal(nodes[9].machine.map.checksum, nodes[0].machine.map.checksum)
  })
})
