import assert from 'node:assert/strict'
import { buildRing } from '../../src/chord/sim-run.js'
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
