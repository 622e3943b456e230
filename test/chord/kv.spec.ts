import assert from 'node:assert/strict'
import * as kv from '../../src/chord/kv.js'
import type { ChordMachine } from '../../src/chord/machine.js'
import { makeNode } from '../../src/chord/node.js'
import { ownerOf, sortedRing } from '../../src/chord/oracle.js'
import { itemId, KIND_VALUE } from '../../src/chord/store.js'
import { hashToId, utf8 } from '../../src/overlay/ids.js'
import type { Simulator } from '../../src/sim/index.js'
import { joinRing, live, settle, wait, type ChordNode } from './helpers.js'

const put = (sim: Simulator, m: ChordMachine, k: string, v: string): Error | null => wait<void>(sim, cb => kv.put(m, k, utf8(v), cb)).err
const get = (sim: Simulator, m: ChordMachine, k: string): { err: Error | null, v?: Uint8Array } => wait<Uint8Array>(sim, cb => kv.get(m, k, cb))
const text = (b?: Uint8Array): string => new TextDecoder().decode(b)

function holders (nodes: ChordNode[], key: string): ChordNode[] {
  return nodes.filter(n => n.alive && n.machine.store.get(itemId(KIND_VALUE, utf8(key))) !== undefined)
}

function ring (n = 16, seed = 1): { sim: Simulator, nodes: ChordNode[] } {
  const r = joinRing(n, { bits: 64 }, { seed })
  assert.deepEqual(settle(r.sim, r.nodes), [])
  r.sim.run({ until: r.sim.now + 10_000 })
  return r
}

describe('chord key/value store (simulator)', () => {
  it('put/get/delete from any node; a missing key is a clear not-found', () => {
    const { sim, nodes } = ring()
    for (let i = 0; i < 20; i++) assert.equal(put(sim, nodes[i % nodes.length].machine, `k${i}`, `v${i}`), null)
    for (let i = 0; i < 20; i++) {
      const r = get(sim, nodes[(i * 7) % nodes.length].machine, `k${i}`)
      assert.equal(r.err, null); assert.equal(text(r.v), `v${i}`)
    }
    const miss = get(sim, nodes[3].machine, 'nope')
    assert.equal((miss.err as any)?.code, 'ERR_NOT_FOUND')
    assert.equal(wait<void>(sim, cb => kv.del(nodes[2].machine, 'k5', cb)).err, null)
    assert.equal((get(sim, nodes[9].machine, 'k5').err as any)?.code, 'ERR_NOT_FOUND')
  })

  it('stores each item on the owner and the next replicas−1 hosts', () => {
    const { sim, nodes } = ring()
    put(sim, nodes[1].machine, 'alpha', 'a')
    sim.run({ until: sim.now + 5000 })
    const ringIds = sortedRing(live(nodes))
    const owner = ownerOf(ringIds, hashToId(utf8('alpha'), 64))
    const h = holders(nodes, 'alpha').map(n => n.id)
    assert.equal(h.length, 3)
    assert.ok(h.includes(owner.peer))
  })

  it('survives k−1 consecutive failures (owner and its successor crash)', () => {
    const { sim, nodes } = ring(20, 4)
    for (let i = 0; i < 30; i++) put(sim, nodes[0].machine, `key-${i}`, `value-${i}`)
    sim.run({ until: sim.now + 5000 })
    const ringIds = sortedRing(live(nodes))
    const o = ownerOf(ringIds, hashToId(utf8('key-7'), 64))
    const idx = ringIds.findIndex(n => n.tag === o.tag)
    const victims = [ringIds[idx].peer, ringIds[(idx + 1) % ringIds.length].peer]
    for (const v of victims) sim.crash(nodes.find(n => n.id === v) as ChordNode)
    // immediately (no repair yet): the lookup times out on dead nodes, then a replica answers
    const asker = nodes.find(n => n.alive) as ChordNode
    const r = get(sim, asker.machine, 'key-7')
    assert.equal(r.err, null); assert.equal(text(r.v), 'value-7')
    // after repair every key is back to 3 copies
    assert.deepEqual(settle(sim, nodes), [])
    sim.run({ until: sim.now + 20_000 })
    for (let i = 0; i < 30; i++) {
      assert.equal(holders(nodes, `key-${i}`).length, 3, `key-${i}`)
      assert.equal(text(get(sim, asker.machine, `key-${i}`).v), `value-${i}`)
    }
  })

  it('hands keys to a joining node and from a leaving node', () => {
    const { sim, nodes } = ring(10, 2)
    for (let i = 0; i < 60; i++) put(sim, nodes[i % 10].machine, `j${i}`, `v${i}`)
    sim.run({ until: sim.now + 3000 })
    const spec = nodes[0].spec
    const newcomer = sim.spawn(spec, { ...nodes[0].options as object, bootstrap: [nodes[3].ref] }) as ChordNode
    nodes.push(newcomer)
    assert.deepEqual(settle(sim, nodes), [])
    sim.run({ until: sim.now + 3000 })
    const ringIds = sortedRing(live(nodes))
    const owned = [...Array(60).keys()].filter(i => ownerOf(ringIds, hashToId(utf8(`j${i}`), 64)).peer === newcomer.id)
    assert.ok(owned.length > 0, 'the newcomer owns some keys')
    for (const i of owned) assert.ok(newcomer.machine.store.get(itemId(KIND_VALUE, utf8(`j${i}`))) !== undefined, `j${i} handed over`)
    // graceful leave: its successor now holds what it owned
    sim.leave(newcomer)
    assert.deepEqual(settle(sim, nodes), [])
    for (const i of owned) assert.equal(text(get(sim, nodes[0].machine, `j${i}`).v), `v${i}`)
  })

  it('refuses values over the size limit', () => {
    const { sim, nodes } = ring(4)
    const err = wait<void>(sim, cb => kv.put(nodes[0].machine, 'big', new Uint8Array(70_000), cb)).err
    assert.equal((err as any)?.code, 'ERR_LIMIT')
  })
})

describe('chord bad input (simulator)', () => {
  it('refuses and counts a notify claiming an id not derived from the sender', () => {
    const { sim, nodes } = ring(6)
    const target = nodes[2].machine
    const before = target.vnodes[0].pred
    const liar = makeNode(nodes[4].id, 0, 64, undefined, (target.vnodes[0].self.id - 1n) & target.mask)
    nodes[4].env.send(nodes[2].ref, { t: 'notify', vnode: 0, node: liar })
    sim.run({ until: sim.now + 100 })
    assert.equal(target.vnodes[0].pred?.tag, before?.tag)
    assert.ok(nodes[2].stats.get('chord:bad-node-id') >= 1)
    // someone else's identity is refused too
    nodes[4].env.send(nodes[2].ref, { t: 'notify', vnode: 0, node: nodes[5].machine.vnodes[0].self })
    sim.run({ until: sim.now + 100 })
    assert.ok(nodes[2].stats.get('chord:bad-node-id') >= 2)
  })

  it('a get never returns a value for another key', () => {
    const { sim, nodes } = ring(8, 5)
    put(sim, nodes[0].machine, 'real', 'right')
    sim.run({ until: sim.now + 3000 })
    // every holder answers fetches with a different key's item
    for (const n of nodes) {
      const m = n.machine
      const orig = m.onMessage.bind(m)
      m.onMessage = (from, msg) => {
        if (msg.t === 'fetch') {
          n.env.send(from, { t: 'fetched', req: msg.req, key: utf8('other'), kind: 0, found: true, item: { key: utf8('other'), kind: 0, version: 1, value: utf8('wrong'), deleted: false, providers: [] } })
          return
        }
        orig(from, msg)
      }
    }
    const asker = nodes.find(n => holders(nodes, 'real').every(h => h !== n)) as ChordNode
    const r = get(sim, asker.machine, 'real')
    assert.equal((r.err as any)?.code, 'ERR_NOT_FOUND')
    assert.ok(asker.stats.get('chord:wrong-key') >= 1)
  })
})
