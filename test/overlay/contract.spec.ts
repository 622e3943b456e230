import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  AbortError, ByteReader, ByteWriter, DecodeError, Histogram, PushQueue, Rng, Stats, TimerTable,
  decodeGuard, distance, hashToId, idToHex, inHalfOpen, inOpen, operation
} from '../../src/overlay/index.js'

describe('overlay: Rng', () => {
  it('is reproducible from its seed and forks independent streams', () => {
    const a = new Rng(42); const b = new Rng(42)
    const xs = Array.from({ length: 5 }, () => a.u32())
    assert.deepEqual(xs, Array.from({ length: 5 }, () => b.u32()))
    assert.notDeepEqual(new Rng(43).u32(), new Rng(42).u32())
    const f1 = a.fork('x'); a.u32(); const f2 = a.fork('x')
    assert.equal(f1.u32(), f2.u32(), 'a fork does not depend on draws of its parent')
    assert.notEqual(a.fork('x').u32(), a.fork('y').u32())
  })

  it('int is uniform enough and within range', () => {
    const r = new Rng(1); const counts = new Array(10).fill(0)
    for (let i = 0; i < 100_000; i++) counts[r.int(10)]++
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, String(counts))
  })

  it('sample returns distinct items', () => {
    const r = new Rng(9)
    const s = r.sample([1, 2, 3, 4, 5, 6], 4)
    assert.equal(new Set(s).size, 4)
  })
})

describe('overlay: ring ids', () => {
  it('hashes into m bits and prints m/4 hex digits', () => {
    const id = hashToId('peer', 160)
    assert.ok(id < (1n << 160n))
    assert.equal(idToHex(id, 160).length, 40)
    assert.ok(hashToId('peer', 8) < 256n)
    assert.equal(hashToId('peer', 8), id >> 152n, 'the top bits of the same digest')
  })

  it('interval tests agree with a brute-force walk around a small ring', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }), (x, a, b) => {
      // walk clockwise from a+1 to b (inclusive) on a ring of 16
      const members = new Set<number>()
      let i = (a + 1) % 16
      for (let steps = 0; steps < 16; steps++) { members.add(i); if (i === b) break; i = (i + 1) % 16 }
      assert.equal(inHalfOpen(BigInt(x), BigInt(a), BigInt(b)), members.has(x))
      const open = new Set(members); open.delete(b)
      if (a === b) { open.clear(); for (let j = 0; j < 16; j++) if (j !== a) open.add(j) }
      assert.equal(inOpen(BigInt(x), BigInt(a), BigInt(b)), open.has(x))
      assert.equal(Number(distance(BigInt(a), BigInt(b), 4)), (b - a + 16) % 16)
    }), { seed: 1, numRuns: 2000 })
  })
})

describe('overlay: stats', () => {
  it('histogram percentiles are nearest-rank and exact', () => {
    const h = new Histogram()
    for (let i = 1; i <= 100; i++) h.add(i)
    assert.deepEqual(h.summary(), { count: 100, mean: 50.5, min: 1, p1: 1, p50: 50, p99: 99, max: 100 })
  })

  it('counts messages by type', () => {
    const s = new Stats()
    s.sent('a', 10); s.sent('a', 5); s.received('b', 3); s.dropped('decode-error')
    assert.deepEqual(s.totals(), { sent: 2, received: 1, bytesSent: 15, bytesReceived: 3, dropped: 1 })
  })
})

describe('overlay: codec helpers', () => {
  it('ByteReader refuses to read past the end with a DecodeError', () => {
    const w = new ByteWriter(100).u8(1).u16le(513).u32be(7).bytes(new Uint8Array([9, 9]))
    const r = new ByteReader(w.finish())
    assert.deepEqual([r.u8(), r.u16le(), r.u32be()], [1, 513, 7])
    assert.throws(() => r.bytesN(3), DecodeError)
  })

  it('ByteWriter enforces its size limit', () => {
    assert.throws(() => new ByteWriter(4).u32le(1).u8(1), /exceeds/)
  })

  it('decodeGuard turns any failure into a DecodeError and refuses oversized frames', () => {
    assert.throws(() => decodeGuard('x', new Uint8Array(5), 4, () => 1), DecodeError)
    assert.throws(() => decodeGuard('x', new Uint8Array(1), 4, () => { throw new TypeError('boom') }), DecodeError)
  })
})

describe('overlay: async bridges', () => {
  it('operation resolves, rejects, and aborts with AbortError calling cancel', async () => {
    assert.equal(await operation<number>(done => { done(null, 3) }), 3)
    await assert.rejects(operation(done => { done(new Error('no')) }), /no/)
    const ac = new AbortController()
    let cancelled = false
    const p = operation(() => () => { cancelled = true }, ac.signal)
    ac.abort()
    await assert.rejects(p, AbortError)
    assert.equal(cancelled, true)
  })

  it('PushQueue delivers in order, ends, and bounds its buffer', async () => {
    const q = new PushQueue<number>(2)
    q.push(1); q.push(2); q.push(3)
    q.end()
    const got: number[] = []
    for await (const x of q) got.push(x)
    assert.deepEqual(got, [1, 2])
    assert.equal(q.dropped, 1)
  })

  it('TimerTable keeps one timer per key', () => {
    const fired: string[] = []
    const pending: Array<{ fire: () => void, cancelled: boolean }> = []
    const t = new TimerTable({
      schedule: (_ms, fire) => { const h = { fire, cancelled: false }; pending.push(h); return h },
      cancel: (h) => { h.cancelled = true }
    }, k => fired.push(k))
    t.set('a', 1); t.set('a', 2); t.set('b', 1); t.clear('b')
    for (const h of pending) if (!h.cancelled) h.fire()
    assert.deepEqual(fired, ['a'])
    assert.equal(t.size, 0)
  })
})
