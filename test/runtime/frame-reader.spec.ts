/**
 * FrameReader on a stand-in stream: frames of every size split at arbitrary chunk boundaries come out
 * whole and in order, large ones through the one-buffer path (CONTIGUOUS_FRAME_BYTES), and what it
 * holds is reported to its owner and released.
 */
import assert from 'node:assert/strict'
import { Uint8ArrayList } from 'uint8arraylist'
import { CONTIGUOUS_FRAME_BYTES, encodeFrame, FrameReader, type ReadEnd } from '../../src/runtime/libp2p/frames.js'
import { Rng } from '../../src/overlay/rng.js'
import type { Stream } from '@libp2p/interface'

/** Just what FrameReader uses of a stream: events, status, pause/resume. */
class FakeStream extends EventTarget {
  status = 'open'
  readableEnded = false
  readBufferLength = 0
  readStatus = 'readable'
  pause (): void { this.readStatus = 'paused' }
  resume (): void { this.readStatus = 'readable' }
  push (data: Uint8Array | Uint8ArrayList): void { this.dispatchEvent(Object.assign(new Event('message'), { data })) }
  end (): void { this.dispatchEvent(new Event('end')) }
}

/** A reader whose owner says the peer is `crowded` (holds part of a frame on another stream): large partial frames go to one buffer. */
function reader (crowded = true, max = 4 * 2 ** 20): { s: FakeStream, r: FrameReader, frames: Uint8Array[], held: () => number } {
  const s = new FakeStream()
  const frames: Uint8Array[] = []
  let held = 0
  const r = new FrameReader(s as unknown as Stream, max, { frame: b => { frames.push(b.slice()) }, hold: d => { held += d; return true }, crowded: () => crowded })
  return { s, r, frames, held: () => held }
}

describe('FrameReader', function () {
  const rng = new Rng('frame-reader')

  it('reassembles frames of every size split at arbitrary boundaries, as arrays and as lists', function () {
    const sizes = [0, 1, 200, 70_000, CONTIGUOUS_FRAME_BYTES - 1, CONTIGUOUS_FRAME_BYTES, 300_000, 2_100_000, 5, CONTIGUOUS_FRAME_BYTES + 3]
    const bodies = sizes.map(n => rng.bytes(n))
    const wire = new Uint8ArrayList(...bodies.map(b => encodeFrame(b, Infinity))).subarray()
    for (const [asList, crowded] of [[false, true], [true, true], [false, false]]) {
      const { s, frames, held } = reader(crowded)
      let at = 0
      while (at < wire.byteLength) {
        const n = Math.min(wire.byteLength - at, 1 + rng.int(90_000))
        const chunk = wire.subarray(at, at + n)
        if (asList) { const k = Math.floor(n / 2); s.push(new Uint8ArrayList(chunk.subarray(0, k), chunk.subarray(k))) } else s.push(chunk)
        at += n
      }
      assert.equal(frames.length, bodies.length)
      for (let i = 0; i < bodies.length; i++) assert.deepEqual(frames[i], bodies[i], `frame ${i} (${sizes[i]} bytes)`)
      assert.equal(held(), 0)
    }
  })

  it('a large frame in one chunk with the next frames behind it', function () {
    const a = rng.bytes(CONTIGUOUS_FRAME_BYTES * 2)
    const b = rng.bytes(10)
    const wire = new Uint8ArrayList(encodeFrame(a, Infinity), encodeFrame(b, Infinity)).subarray()
    const { s, frames } = reader()
    s.push(wire.subarray(0, 5))
    s.push(wire.subarray(5))
    assert.deepEqual(frames, [a, b])
  })

  it('compact() moves a large partial frame into one buffer without restarting its deadline; the frame completes intact', function () {
    const body = rng.bytes(600_000)
    const wire = new Uint8ArrayList(encodeFrame(body, Infinity), encodeFrame(rng.bytes(3), Infinity)).subarray()
    const { s, r, frames, held } = reader(false)
    assert.equal(r.compact(), false, 'nothing pending')
    s.push(wire.subarray(0, 3 + 1000))
    assert.equal(r.compact(), false, 'less than CONTIGUOUS_AFTER_BYTES of the body')
    s.push(wire.subarray(1003, 200_000))
    const since = r.partialSince
    assert.ok(since > 0)
    assert.equal(r.compact(), true)
    assert.equal(r.compact(), false, 'already collected')
    assert.equal(r.partialSince, since, 'the deadline still counts from the prefix')
    assert.equal(r.pending, 200_000 - 3)
    assert.equal(held(), 200_000 - 3)
    s.push(wire.subarray(200_000))
    assert.equal(frames.length, 2)
    assert.deepEqual(frames[0], body)
    assert.equal(held(), 0)
  })

  it('counts a partial large frame as held, and a stream ending inside it as truncated', async function () {
    const body = rng.bytes(1_000_000)
    const wire = encodeFrame(body, Infinity)
    const { s, r, frames, held } = reader()
    s.push(wire.subarray(0, 400_000))
    assert.equal(frames.length, 0)
    assert.equal(r.pending, 400_000 - 3)
    assert.equal(held(), 400_000 - 3)
    assert.ok(r.partialSince > 0)
    s.end()
    const end: ReadEnd = await r.ended
    assert.equal(end.reason, 'truncated')
    assert.equal(held(), 0)
  })

  it('a large frame throttled when complete is delivered once admitted, nothing lost', async function () {
    const s = new FakeStream()
    const frames: Uint8Array[] = []
    let waits = 1
    let both!: () => void
    const delivered = new Promise<void>(resolve => { both = resolve })
    const r = new FrameReader(s as unknown as Stream, Infinity, { frame: b => { if (frames.push(b.slice()) === 2) both() }, admit: () => waits-- > 0 ? 1 : 0, crowded: () => true })
    const a = rng.bytes(CONTIGUOUS_FRAME_BYTES + 100)
    const b = rng.bytes(7)
    const wire = new Uint8ArrayList(encodeFrame(a, Infinity), encodeFrame(b, Infinity)).subarray()
    s.push(wire.subarray(0, 1000))
    s.push(wire.subarray(1000))
    assert.equal(frames.length, 0)
    assert.ok(r.throttled)
    await delivered
    assert.deepEqual(frames, [a, b])
    r.stop('done')
  })
})
