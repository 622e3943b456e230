/** The in-memory piece store against a flat reference buffer, under random whole-piece and odd writes. */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { MemoryStore } from '../../src/bittorrent/memory-store.js'

const read = (s: MemoryStore, offset: number, length: number): Uint8Array | undefined => {
  let out: Uint8Array | undefined
  s.read(offset, length, d => { out = d })
  return out
}

describe('bittorrent memory store', () => {
  it('reads back what was written, as blocks or any range, like one flat buffer', () => {
    const pieceLength = 64
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 600 }),
      fc.array(fc.record({ piece: fc.nat(), asBlocks: fc.boolean(), odd: fc.boolean(), at: fc.nat(), len: fc.nat({ max: 200 }), fill: fc.integer({ min: 1, max: 255 }) }), { maxLength: 20 }),
      fc.array(fc.record({ at: fc.nat(), len: fc.nat({ max: 200 }) }), { maxLength: 20 }),
      (length, writes, reads) => {
        const ref = new Uint8Array(length)
        const s = new MemoryStore(length, pieceLength)
        const pieces = Math.ceil(length / pieceLength)
        for (const w of writes) {
          let offset: number; let data: Uint8Array
          if (w.odd) {
            offset = w.at % length
            data = new Uint8Array(Math.min(w.len, length - offset)).fill(w.fill)
          } else {
            const i = w.piece % pieces
            offset = i * pieceLength
            data = new Uint8Array(Math.min(pieceLength, length - offset)).map((_x, k) => (w.fill + k) & 255)
          }
          const parts = w.asBlocks ? [data.subarray(0, data.length >> 1), data.subarray(data.length >> 1)] : data
          let ok = false
          s.write(offset, parts, r => { ok = r })
          assert.ok(ok)
          ref.set(data, offset)
        }
        for (const r of reads) {
          const at = r.at % length
          const len = Math.min(r.len, length - at)
          assert.deepEqual(read(s, at, len), ref.subarray(at, at + len))
        }
        assert.deepEqual(s.bytes, ref)
      }), { numRuns: 300, seed: 7 })
  })

  it('keeps the buffers it was given: a block read back is a view, not a copy', () => {
    const block = new Uint8Array(16).fill(9)
    const s = new MemoryStore(32, 32)
    s.write(0, [block, new Uint8Array(16)], () => {})
    const got = read(s, 0, 16)!
    assert.equal(got.buffer, block.buffer)
    assert.equal(read(s, 40, 1), undefined, 'out of range')
    let ok = true
    s.write(30, new Uint8Array(4), r => { ok = r })
    assert.equal(ok, false, 'a write past the end is refused')
  })
})
