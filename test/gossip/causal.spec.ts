/** Optional causal delivery with vector timestamps. */
import assert from 'node:assert/strict'
import { CausalBuffer } from '../../src/gossip/causal.js'
import { swarm } from './sim-helpers.js'
import type { Update } from '../../src/gossip/types.js'

const u = (origin: string, seq: number, deps: Array<[string, number]>, time = 0): Update =>
  ({ origin, seq, time, kind: 0, topic: 't', size: 0, data: new Uint8Array(0), deps: deps.map(([o, s]) => ({ origin: o, seq: s })) })

describe('gossip causal delivery', () => {
  it('holds an update back until its causal past is delivered', () => {
    const c = new CausalBuffer()
    const a1 = u('a', 1, [])
    const b1 = u('b', 1, [['a', 1]]) // b saw a1 before publishing
    const a2 = u('a', 2, [['a', 1], ['b', 1]])
    assert.deepEqual(c.offer(a2), [])
    assert.deepEqual(c.offer(b1), [])
    assert.deepEqual(c.offer(a1).map(x => `${x.origin}${x.seq}`), ['a1', 'b1', 'a2'])
  })

  it('expired predecessors do not block forever', () => {
    const c = new CausalBuffer()
    assert.deepEqual(c.offer(u('a', 2, [['a', 1]], 100)), [])
    assert.equal(c.held, 1)
    c.expire(50)
    assert.equal(c.held, 1)
    c.expire(200)
    assert.equal(c.held, 0)
    assert.equal(c.expired, 1)
  })

  it('in a swarm with jittery latency, replies are never delivered before the message they answer', () => {
    const { sim, nodes } = swarm(12, { mode: 'push', k: 3, periodMs: 50, eager: true, fanout: 2, causal: true, antiEntropy: { periodMs: 400 } },
      { latency: { kind: 'exponential', mean: 60 } })
    const order = new Map<string, string[]>()
    sim.on((node, ev) => {
      if (ev.type !== 'gossip:deliver') return
      const list = order.get(node.id) ?? []
      list.push(new TextDecoder().decode(ev.data as Uint8Array))
      order.set(node.id, list)
    })
    // node 1 answers "q" as soon as it delivers it; node 2 answers node 1's answer
    sim.on((node, ev) => {
      if (ev.type !== 'gossip:deliver') return
      const text = new TextDecoder().decode(ev.data as Uint8Array)
      if (node.id === nodes[1].id && text === 'q') nodes[1].machine.publish('t', new TextEncoder().encode('r1'))
      if (node.id === nodes[2].id && text === 'r1') nodes[2].machine.publish('t', new TextEncoder().encode('r2'))
    })
    nodes[0].machine.publish('t', new TextEncoder().encode('q'))
    sim.run({ until: 20_000 })
    let checked = 0
    for (const [id, list] of order) {
      const iq = list.indexOf('q'); const i1 = list.indexOf('r1'); const i2 = list.indexOf('r2')
      if (id !== nodes[0].id) assert.ok(iq >= 0, `${id} never got q`)
      if (i1 >= 0 && iq >= 0) assert.ok(iq < i1, `${id}: r1 before q`)
      if (i2 >= 0 && i1 >= 0) { assert.ok(i1 < i2, `${id}: r2 before r1`); checked++ }
    }
    assert.ok(checked >= 8, `only ${checked} nodes saw the whole thread`)
  })
})
