import assert from 'node:assert/strict'
import { DecodeError, Rng } from '../../src/overlay/index.js'
import { fasttrackCodec, encodeFrame, decodeFrame } from '../../src/fasttrack/codec.js'
import { LIMITS } from '../../src/fasttrack/limits.js'
import type { FastTrackMsg, SupernodeInfo } from '../../src/fasttrack/messages.js'

const peer = (i: number): { id: string, addrs: string[] } => ({ id: `12D3KooPeer${i}`, addrs: [`/ip4/127.0.0.1/tcp/${4000 + i}`] })
const sn = (i: number): SupernodeInfo => ({ peer: peer(i), capacity: 2000 + i, leaves: i, room: i % 2 === 0 })
const qid = '00112233445566778899aabbccddeeff'
const hash = 'ab'.repeat(32)

export const samples: FastTrackMsg[] = [
  { type: 'probe', capacity: 1500, eligible: true, role: 0, addrs: ['/ip4/10.0.0.1/tcp/4001'] },
  { type: 'probe_reply', capacity: 3000, eligible: true, role: 1, leaves: 42, supernodes: [sn(1), sn(2)], candidates: [{ peer: peer(3), capacity: 1200 }] },
  { type: 'attach', capacity: 300, firewalled: true },
  { type: 'attach_reply', accepted: true, capacity: 5000, leaves: 7, supernodes: [sn(4)], candidates: [] },
  { type: 'shares', epoch: 3, files: [{ name: 'blue moon.mp3', size: 4_000_000, hash }, { name: 'x.ogg', size: 0, hash, keywords: ['live'] }] },
  { type: 'unshare', hashes: [hash] },
  { type: 'ping', capacity: 100, leaves: 0 },
  { type: 'pong', role: 1, capacity: 4000, leaves: 120, supernodes: [sn(5)] },
  { type: 'detach', supernodes: [sn(6)], candidates: [{ peer: peer(7), capacity: 9000 }] },
  { type: 'elect', eid: 9, capacity: 1234, eligible: false, full: ['12D3KooPeer1'] },
  { type: 'elect_ok', eid: 9 },
  { type: 'elect_no', eid: 10 },
  { type: 'coordinator', eid: 9, winner: sn(8) },
  { type: 'link', capacity: 2500, leaves: 3 },
  { type: 'link_reply', accepted: false, capacity: 2600, leaves: 150, supernodes: [] },
  { type: 'unlink' },
  { type: 'query', qid, ttl: 3, hops: 1, text: 'blue moon' },
  { type: 'hit', qid, hops: 2, hits: [{ peer: peer(9), via: peer(10), firewalled: true, name: 'blue moon.mp3', size: 4_000_000, hash }] },
  { type: 'push', target: '12D3KooPeer9', requester: peer(11), hash, token: 't' },
  { type: 'xfer-get', req: 1, hash, offset: 0, length: 65536 } as FastTrackMsg,
  { type: 'xfer-offer', hash } as FastTrackMsg
]

describe('fasttrack codec', () => {
  it('round-trips every message type', () => {
    for (const m of samples) {
      const back = fasttrackCodec.decode(fasttrackCodec.encode(m))
      assert.deepEqual(back, m, m.type)
      assert.equal(fasttrackCodec.typeOf(back), m.type)
      assert.equal(fasttrackCodec.sizeOf?.(m), fasttrackCodec.encode(m).byteLength)
    }
  })

  it('refuses to encode lists beyond the limits', () => {
    const many = Array.from({ length: LIMITS.maxSupernodes + 1 }, (_, i) => sn(i))
    assert.throws(() => encodeFrame({ type: 'pong', role: 1, capacity: 1, leaves: 1, supernodes: many }), /exceed/)
    const files = Array.from({ length: LIMITS.maxFilesPerFrame + 1 }, (_, i) => ({ name: `f${i}`, size: 1, hash }))
    assert.throws(() => encodeFrame({ type: 'shares', epoch: 1, files }), /exceed/)
  })

  it('rejects oversized lists, bad query ids, abusive TTLs and unknown types with DecodeError', () => {
    // build frames the encoder would refuse by encoding a legal one and patching the protobuf
    const legal = encodeFrame({ type: 'pong', role: 1, capacity: 1, leaves: 1, supernodes: [sn(1)] })
    const entry = legal.subarray(legal.indexOf(0x3a)) // field 7 (supernodes) tag 0x3a .. end
    const parts = [legal.subarray(0, legal.indexOf(0x3a))]
    for (let i = 0; i <= LIMITS.maxSupernodes; i++) parts.push(entry)
    const big = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
    let o = 0; for (const p of parts) { big.set(p, o); o += p.byteLength }
    assert.throws(() => decodeFrame(big), DecodeError)
    // a query with a 3-byte id
    const q = encodeFrame({ type: 'query', qid, ttl: 1, hops: 0, text: 'a' })
    const shortId = Uint8Array.from(q); const at = shortId.indexOf(0x5a); shortId[at + 1] = 3
    assert.throws(() => decodeFrame(shortId.subarray(0, at + 5)), DecodeError)
    // ttl 200: field 12 varint
    const abusive = Uint8Array.from([...encodeFrame({ type: 'query', qid, ttl: 0, hops: 0, text: 'a' }), 0x60, 200, 1])
    assert.throws(() => decodeFrame(abusive), (e: Error) => e instanceof DecodeError && /ttl/.test(e.message))
    assert.throws(() => decodeFrame(Uint8Array.from([0x08, 99])), (e: Error) => e instanceof DecodeError && /unknown message type/.test(e.message))
    assert.throws(() => fasttrackCodec.decode(new Uint8Array(LIMITS.maxFrameBytes + 600_000)), DecodeError)
    assert.throws(() => fasttrackCodec.decode(Uint8Array.from([0x07, 1, 2])), (e: Error) => e instanceof DecodeError && /channel/.test(e.message))
  })

  it('fuzz: 10^5 random and mutated frames only ever throw DecodeError', function () {
    this.timeout(60_000)
    // stack traces dominate the cost of 10^5 thrown errors and are not what we test
    const stackLimit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    const rng = new Rng('fasttrack-fuzz')
    const valid = samples.map(m => fasttrackCodec.encode(m))
    let decoded = 0; let refused = 0
    const check = (bytes: Uint8Array): void => {
      try {
          const m = fasttrackCodec.decode(bytes)
          decoded++
          // anything accepted re-encodes (the limits hold both ways)
          fasttrackCodec.encode(m)
        } catch (err) {
          if (!(err instanceof DecodeError)) throw new Error(`non-DecodeError ${(err as Error).name}: ${(err as Error).message} on ${Buffer.from(bytes).toString('hex').slice(0, 200)}`)
          refused++
        }
      }
    try {
      for (let i = 0; i < 50_000; i++) {
        const len = rng.int(10) === 0 ? rng.int(2000) : rng.int(64)
        const b = rng.bytes(len)
        if (len > 0 && rng.bool(0.7)) b[0] = rng.bool(0.8) ? 0x00 : 0x58 // mostly valid channel tags
        check(b)
      }
      for (let i = 0; i < 50_000; i++) {
        const b = Uint8Array.from(rng.pick(valid))
        const kind = rng.int(4)
        if (kind === 0) { for (let k = 1 + rng.int(4); k > 0; k--) b[rng.int(b.length)] = rng.int(256) } // flip bytes
        if (kind === 1) { check(b.subarray(0, rng.int(b.length))); continue } // truncate
        if (kind === 2) { const extra = rng.bytes(1 + rng.int(32)); const c = new Uint8Array(b.length + extra.length); c.set(b); c.set(extra, b.length); check(c); continue } // append
        if (kind === 3) { const at = 1 + rng.int(Math.max(1, b.length - 1)); b[at] = 0xff } // break a varint or length
        check(b)
      }
    } finally { Error.stackTraceLimit = stackLimit }
    assert.equal(decoded + refused, 100_000)
    assert.ok(refused > 10_000, `refused ${refused}`)
    assert.ok(decoded > 1000, `decoded ${decoded}`)
  })
})
