import assert from 'node:assert/strict'
import { hashToId, utf8 } from '../../src/overlay/ids.js'
import { Rng } from '../../src/overlay/rng.js'
import { compareNodes, isDerived, makeNode, prefixOf, type NodeInfo } from '../../src/chord/node.js'
import { prefixOrder } from '../../src/chord/oracle.js'

/** The id as DESIGN.md defines it: H(utf8(peer) ‖ 0x00 ‖ u32be(vnode)), top m bits, through the shared helper. */
function referenceId (peer: string, vnode: number, bits: number): bigint {
  const pb = utf8(peer)
  const data = new Uint8Array(pb.length + 5)
  data.set(pb, 0)
  new DataView(data.buffer).setUint32(pb.length + 1, vnode >>> 0, false)
  return hashToId(data, bits)
}

describe('chord node ids and ring order', () => {
  it('makeNode derives the same ids as hashToId (ASCII and non-ASCII peer ids, m from 1 to 256)', () => {
    const peers = ['n000001', '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo', 'pé€r-😀', '', 'x'.repeat(120)]
    for (const bits of [1, 7, 16, 40, 47, 48, 49, 64, 159, 160, 161, 200, 256]) {
      for (const peer of peers) {
        for (const vnode of [0, 1, 255, 65_535, 2 ** 31 + 5]) {
          const n = makeNode(peer, vnode, bits)
          const want = referenceId(peer, vnode, bits)
          assert.equal(n.id, want, `${peer}/${vnode} at m = ${bits}`)
          assert.equal(n.p, prefixOf(want, bits))
          assert.ok(isDerived(makeNode(peer, vnode & 0xffff, bits, undefined, referenceId(peer, vnode & 0xffff, bits)), bits))
        }
      }
    }
  })

  it('a claimed id that is not derived is refused', () => {
    const n = makeNode('n000001', 0, 160, undefined, referenceId('n000001', 0, 160) ^ 1n)
    assert.equal(isDerived(n, 160), false)
  })

  it('prefixOrder sorts by prefix and breaks ties with the comparator', () => {
    const rng = new Rng('prefix-order')
    // m = 52: four ids share each 48-bit prefix slot often when drawn from a narrow range
    const nodes: NodeInfo[] = []
    for (let i = 0; i < 3000; i++) nodes.push(makeNode(`p${i}`, 0, 52, undefined, BigInt(rng.int(4000)) * 16n + BigInt(rng.int(16))))
    const keys = Float64Array.from(nodes, x => x.p)
    const order = prefixOrder(keys, (a, b) => compareNodes(nodes[a], nodes[b]))
    const got = Array.from(order, i => nodes[i].id)
    const want = [...nodes].sort(compareNodes).map(x => x.id)
    assert.deepEqual(got, want)
    assert.equal(new Set(order).size, nodes.length)
  })
})
