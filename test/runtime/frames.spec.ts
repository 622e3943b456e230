/** Our frame encoder and reader speak it-length-prefixed's format (unsigned varint + body). */
import assert from 'node:assert/strict'
import * as lp from 'it-length-prefixed'
import { Uint8ArrayList } from 'uint8arraylist'
import { encodeFrame } from '../../src/runtime/libp2p/frames.js'
import { Rng } from '../../src/overlay/rng.js'

describe('frames', function () {
  const rng = new Rng('frames')
  const sizes = [0, 1, 127, 128, 300, 16_383, 16_384, 70_000, 2_100_000]

  it('encodeFrame matches lp.encode.single byte for byte', function () {
    for (const n of sizes) {
      const body = rng.bytes(n)
      assert.deepEqual(encodeFrame(body, Infinity), lp.encode.single(body).subarray(), `size ${n}`)
    }
  })

  it('lp.decode reads our frames back', function () {
    const bodies = sizes.map(n => rng.bytes(n))
    const wire = new Uint8ArrayList(...bodies.map(b => encodeFrame(b, Infinity)))
    const out = [...lp.decode([wire.subarray()])].map(f => f.subarray())
    assert.deepEqual(out, bodies)
  })

  it('refuses to encode over the limit', function () {
    assert.throws(() => encodeFrame(new Uint8Array(11), 10), RangeError)
  })
})
