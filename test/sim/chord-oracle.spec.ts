import assert from 'node:assert/strict'
import { buildRing, randomKey } from '../../src/chord/sim-run.js'
import { Rng } from '../../src/overlay/rng.js'
import { checkRing, sortedRing, successorIndex } from '../../src/chord/oracle.js'
import type { ChordMachine } from '../../src/chord/machine.js'
import type { NodeInfo } from '../../src/chord/node.js'

/** The fingers a converged ring has, by definition: finger[k] = successor(id + 2^k), implicit below the successor gap. */
function referenceFingers (m: ChordMachine, ring: NodeInfo[]): Array<Array<string | undefined>> {
  return m.vnodes.map(v => {
    const out: Array<string | undefined> = new Array(m.bits).fill(undefined)
    if (ring.length === 1) return out
    const gap = (v.succs[0].id - v.self.id) & m.mask
    for (let k = 0; k < m.bits; k++) {
      if ((1n << BigInt(k)) <= gap) continue
      const f = ring[successorIndex(ring, v.start(k, m.mask), m.bits)]
      if (f.tag === v.self.tag) break
      out[k] = f.tag
    }
    return out
  })
}

describe('chord oracle bootstrap (numeric prefixes)', () => {
  for (const [hosts, bits, vnodes] of [[1, 160, 1], [2, 160, 1], [3, 160, 2], [64, 160, 1], [3000, 160, 1], [300, 160, 4], [500, 40, 1], [200, 16, 1]] as const) {
    it(`gives the exact fingers and the table known() would build: ${hosts} hosts, m = ${bits}, ${vnodes} vnodes`, () => {
      const { nodes } = buildRing({ hosts, options: { bits, vnodes, expectedNodes: hosts }, sim: { seed: `oracle/${hosts}/${bits}` } })
      const machines = nodes.map(n => n.machine)
      const ring = sortedRing(machines)
      assert.deepEqual(checkRing(machines), [])
      for (const m of machines) {
        assert.deepEqual(m.vnodes.map(v => v.fingers.map(f => f?.tag)), referenceFingers(m, ring))
        const adopted = m.routes.known().map(x => x.tag)
        m.routes.invalidate()
        assert.deepEqual(adopted, m.routes.known().map(x => x.tag))
      }
    })
  }
})

describe('chord routing on the oracle\'s compact tables', () => {
  for (const [hosts, bits, vnodes] of [[2, 160, 1], [3, 160, 1], [1500, 160, 1], [300, 160, 3], [400, 40, 1], [200, 16, 1]] as const) {
    it(`answers as the general path does: ${hosts} hosts, m = ${bits}, ${vnodes} vnodes`, () => {
      const { nodes } = buildRing({ hosts, options: { bits, vnodes, expectedNodes: hosts }, sim: { seed: `compact/${hosts}/${bits}` } })
      const machines = nodes.map(n => n.machine)
      const ring = sortedRing(machines)
      const rng = new Rng(`compact-keys/${hosts}/${bits}`)
      // random keys, and keys at, just before and just after every node id (the boundaries of (pred, self])
      const keys: bigint[] = []
      for (let i = 0; i < 200; i++) keys.push(randomKey(rng, bits))
      const mask = (1n << BigInt(bits)) - 1n
      for (const x of ring.slice(0, 300)) keys.push(x.id, (x.id - 1n) & mask, (x.id + 1n) & mask)
      const answer = (m: typeof machines[number], key: bigint): string => {
        const a = m.route(key)
        return `${String(a.done)}:${a.nodes.map(x => x.tag).join(',')}`
      }
      for (const m of machines.slice(0, 60)) {
        const compact = keys.map(k => answer(m, k))
        m.routes.invalidate()
        assert.deepEqual(keys.map(k => answer(m, k)), compact)
      }
    })
  }
})
