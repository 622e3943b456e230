/** Gnutella 0.4 descriptors byte for byte, round trips, limits, and a 10^5-frame fuzz. */
import assert from 'node:assert/strict'
import { DecodeError } from '../../src/overlay/errors.js'
import { Rng } from '../../src/overlay/rng.js'
import { gnutellaCodec, type GnutellaMsg } from '../../src/gnutella/codec.js'
import { decodeDescriptor, encodeDescriptor, type Descriptor } from '../../src/gnutella/descriptor.js'
import { GnutellaServent } from '../../src/gnutella/servent.js'
import { FakeEnv } from '../search/fake-env.js'

const ID = '000102030405060708090a0b0c0d0e0f'
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const HASH = 'ab'.repeat(32)
const SERVENT = 'f0'.repeat(16)

describe('gnutella 0.4 descriptors (byte level)', () => {
  it('Ping: 23-byte header, payload descriptor 0x00, length 0', () => {
    const b = encodeDescriptor({ type: 'ping', id: ID, ttl: 7, hops: 0 })
    assert.equal(hex(b), ID + '00' + '07' + '00' + '00000000')
    assert.equal(b.length, 23)
  })

  it('Pong: port LE, IPv4 big-endian, files and kilobytes LE (14 bytes)', () => {
    const b = encodeDescriptor({ type: 'pong', id: ID, ttl: 3, hops: 2, port: 6346, ip: '10.0.0.1', files: 5, kbytes: 1024 })
    assert.equal(hex(b), ID + '01' + '03' + '02' + '0e000000' + 'ca18' + '0a000001' + '05000000' + '00040000')
  })

  it('Query: minimum speed LE then NUL-terminated criteria; length field LE', () => {
    const b = encodeDescriptor({ type: 'query', id: ID, ttl: 7, hops: 1, minSpeed: 0x0102, criteria: 'blue moon' })
    assert.equal(hex(b), ID + '80' + '07' + '01' + '0c000000' + '0201' + Buffer.from('blue moon').toString('hex') + '00')
  })

  it('QueryHit: count, port, IP, speed, results with double-NUL names, servent id last', () => {
    const b = encodeDescriptor({
      type: 'queryhit', id: ID, ttl: 2, hops: 0, port: 6346, ip: '192.168.1.2', speed: 1000,
      results: [{ index: 7, size: 300000, name: 'a.mp3' }], servent: SERVENT, push: false
    })
    const payload = '01' + 'ca18' + 'c0a80102' + 'e8030000' + '07000000' + 'e0930400' + Buffer.from('a.mp3').toString('hex') + '00' + '00' + SERVENT
    assert.equal(hex(b), ID + '81' + '02' + '00' + (payload.length / 2).toString(16).padStart(2, '0') + '000000' + payload)
    // with a hash: the HUGE-style extension between the two NULs
    const h = encodeDescriptor({ type: 'queryhit', id: ID, ttl: 2, hops: 0, port: 0, ip: '0.0.0.0', speed: 0, results: [{ index: 1, size: 2, name: 'x', hash: HASH }], servent: SERVENT, push: false })
    assert.ok(hex(h).includes(Buffer.from('x\0urn:sha256:' + HASH + '\0').toString('hex')))
  })

  it('Push: servent id, file index LE, IPv4 BE, port LE (26 bytes)', () => {
    const b = encodeDescriptor({ type: 'push', id: ID, ttl: 7, hops: 0, servent: SERVENT, index: 0x01020304, ip: '1.2.3.4', port: 80 })
    assert.equal(hex(b), ID + '40' + '07' + '00' + '1a000000' + SERVENT + '04030201' + '01020304' + '5000')
  })

  it('round-trips every descriptor, with and without the peer extension', () => {
    const peer = { id: '12D3KooWexample', addrs: ['/ip4/127.0.0.1/tcp/4001'] }
    const all: Descriptor[] = [
      { type: 'ping', id: ID, ttl: 1, hops: 6 },
      { type: 'pong', id: ID, ttl: 3, hops: 2, port: 1, ip: '1.2.3.4', files: 9, kbytes: 99, peer },
      { type: 'query', id: ID, ttl: 7, hops: 0, minSpeed: 0, criteria: 'héllo wörld' },
      { type: 'queryhit', id: ID, ttl: 2, hops: 0, port: 6346, ip: '1.2.3.4', speed: 5, results: [{ index: 1, size: 2, name: 'n', hash: HASH }, { index: 3, size: 4, name: 'm' }], servent: SERVENT, push: true, vendor: 'OVKT', peer },
      { type: 'push', id: ID, ttl: 7, hops: 0, servent: SERVENT, index: 3, ip: '0.0.0.0', port: 0, peer: { id: 'p' } }
    ]
    for (const d of all) assert.deepEqual(decodeDescriptor(encodeDescriptor(d)), d)
    for (const m of [...all, { type: 'connect' }, { type: 'ok' }, { type: 'busy' }, { type: 'bye' }] as GnutellaMsg[]) {
      assert.deepEqual(gnutellaCodec.decode(gnutellaCodec.encode(m)), m)
    }
  })

  it('refuses a payload length that disagrees with the bytes, unknown payload descriptors, oversize payloads', () => {
    const b = encodeDescriptor({ type: 'query', id: ID, ttl: 7, hops: 0, minSpeed: 0, criteria: 'x' })
    assert.throws(() => decodeDescriptor(b.subarray(0, b.length - 1)), DecodeError)
    assert.throws(() => decodeDescriptor(Uint8Array.from([...b, 0])), DecodeError)
    const unknown = b.slice(); unknown[16] = 0x02
    assert.throws(() => decodeDescriptor(unknown), /unknown payload descriptor 0x02/)
    const big = new Uint8Array(23); big.set([0, 0, 1, 0], 19) // 65536 + … no: length 0x00010000
    big[19] = 0x01; big[20] = 0x00; big[21] = 0x01; big[22] = 0x00
    assert.throws(() => decodeDescriptor(big), DecodeError)
  })

  it('fuzz: 10^5 random and mutated frames decode or throw DecodeError; a servent fed them never throws or amplifies', () => {
    const rng = new Rng('gnutella-fuzz')
    const seeds = [
      { type: 'ping', id: ID, ttl: 7, hops: 0 },
      { type: 'pong', id: ID, ttl: 3, hops: 2, port: 1, ip: '1.2.3.4', files: 9, kbytes: 99, peer: { id: 'x', addrs: ['/a'] } },
      { type: 'query', id: ID, ttl: 7, hops: 0, minSpeed: 0, criteria: 'blue moon' },
      { type: 'queryhit', id: ID, ttl: 2, hops: 0, port: 6346, ip: '1.2.3.4', speed: 5, results: [{ index: 1, size: 2, name: 'blue moon.mp3', hash: HASH }], servent: SERVENT, push: true, vendor: 'OVKT', peer: { id: 'q' } },
      { type: 'push', id: ID, ttl: 7, hops: 0, servent: SERVENT, index: 3, ip: '0.0.0.0', port: 0, peer: { id: 'p' } },
      { type: 'connect' }
    ].map(m => gnutellaCodec.encode(m as GnutellaMsg))
    const env = new FakeEnv<GnutellaMsg>({ id: 'self' })
    const servent = new GnutellaServent(env, { maxDegree: 4, routeTableSize: 1000 })
    servent.start()
    servent.share({ name: 'blue moon.mp3', size: 10, hash: HASH }, 's')
    for (const n of ['a', 'b', 'c']) servent.onMessage({ id: n }, { type: 'connect' })
    let decoded = 0
    let maxSends = 0
    // stack traces are most of a DecodeError's cost; the fuzz only needs the error's class
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
    for (let i = 0; i < 100_000; i++) {
      let b: Uint8Array
      if (i % 4 === 0) b = rng.bytes(rng.int(120))
      else {
        b = rng.pick(seeds).slice()
        for (let k = 1 + rng.int(3); k > 0; k--) b[rng.int(b.length)] = rng.int(256)
        if (rng.bool(0.2)) b = b.subarray(0, rng.int(b.length + 1))
        if (rng.bool(0.1)) b = Uint8Array.from([...b, ...rng.bytes(rng.int(8))])
      }
      let msg: GnutellaMsg
      try { msg = gnutellaCodec.decode(b); decoded++ } catch (err) { assert.ok(err instanceof DecodeError, String(err)); continue }
      env.take()
      servent.onMessage({ id: rng.pick(['a', 'b', 'c', 'stranger']) }, msg)
      // one descriptor in → at most a pong/hit back plus one copy per other neighbour (+ cached pongs)
      maxSends = Math.max(maxSends, env.take().length)
    }
    } finally { Error.stackTraceLimit = limit }
    assert.ok(decoded > 1000, `only ${decoded} frames decoded`)
    assert.ok(maxSends <= 4 + 6, `one frame caused ${maxSends} sends`)
  })
})
