/** The gossip codec: every message round-trips; 10^5 random and mutated frames only ever raise DecodeError. */
import assert from 'node:assert/strict'
import { gossipCodec, LIMITS } from '../../src/gossip/codec.js'
import { DecodeError } from '../../src/overlay/errors.js'
import { Rng } from '../../src/overlay/rng.js'
import type { GossipMessage, Update } from '../../src/gossip/types.js'

const up = (seq: number, extra: Partial<Update> = {}): Update =>
  ({ origin: 'QmPeer/k3', seq, time: 12345.5, kind: 0, topic: 'news', size: 3, data: new Uint8Array([1, 2, 3]), ...extra })

export const samples: GossipMessage[] = [
  { type: 'rumor', updates: [up(1), up(2, { deps: [{ origin: 'x/1', seq: 4 }] })], pull: true },
  { type: 'rumor', updates: [], pull: false },
  { type: 'rumor', updates: [up(6, { sig: new Uint8Array(64).fill(9) })], pull: false },
  { type: 'reply', updates: [up(3, { kind: 1, key: 'k', lamport: 9, topic: '' })], known: [{ origin: 'a/1', seq: 2 }], fresh: [{ origin: 'b/1', seq: 3 }] },
  { type: 'feedback', known: [{ origin: 'a/1', seq: 2 }], fresh: [] },
  { type: 'busy' },
  { type: 'ae', mode: 'push-pull', sum: 2 ** 52 + 12345, mapSum: 0xdeadbeef },
  { type: 'ae-reply', digest: [{ origin: 'a/1', watermark: 10, extra: [12, 15] }], mapSum: 1, entries: [{ key: 'k', lamport: 3, node: 'n', value: new Uint8Array([1]), deleted: false, origin: 'n/1', seq: 2, time: 5.5, sig: new Uint8Array(64).fill(3) }, { key: 'd', lamport: 4, node: 'n', deleted: true, origin: 'n/1', seq: 3, time: 6, deps: [{ origin: 'x/1', seq: 2 }] }] },
  { type: 'ae-reply', digest: [], mapSum: 2 },
  { type: 'ae-push', updates: [up(5), up(4, { data: undefined, hash: new Uint8Array(32).fill(7), size: 100000 })], digest: [{ origin: 'b/2', watermark: 3, extra: [] }] },
  { type: 'ae-push', updates: [] },
  { type: 'fetch', origin: 'a/1', seq: 7 },
  { type: 'body', origin: 'a/1', seq: 7, data: new Uint8Array(100) },
  { type: 'body', origin: 'a/1', seq: 8 },
  { type: 'shuffle', entries: [{ id: 'p1', addrs: ['/ip4/127.0.0.1/tcp/1'], age: 0 }, { id: 'p2', age: 3 }] },
  { type: 'shuffle-reply', entries: [] }
]

describe('gossip codec', () => {
  it('round-trips every message type', () => {
    for (const m of samples) {
      const back = gossipCodec.decode(gossipCodec.encode(m))
      assert.deepEqual(normalize(back), normalize(m), m.type)
      assert.equal(gossipCodec.typeOf(back), m.type)
    }
  })

  it('enforces limits: too many updates, oversized frames', () => {
    const many: GossipMessage = { type: 'rumor', updates: Array.from({ length: LIMITS.updates + 1 }, (_, i) => up(i + 1)), pull: false }
    assert.throws(() => gossipCodec.decode(gossipCodec.encode(many)), DecodeError)
    assert.throws(() => gossipCodec.decode(new Uint8Array(LIMITS.frameBytes + 1)), DecodeError)
  })

  it('fuzz: 10^5 random and mutated frames never crash the decoder (only DecodeError)', function () {
    this.timeout(60_000)
    const rng = new Rng('gossip-fuzz')
    const seeds = samples.map(m => gossipCodec.encode(m))
    let decoded = 0; let rejected = 0
    for (let i = 0; i < 100_000; i++) {
      let bytes: Uint8Array
      if (i % 4 === 0) {
        bytes = rng.bytes(rng.int(64))
      } else {
        bytes = seeds[rng.int(seeds.length)].slice()
        const flips = 1 + rng.int(4)
        for (let f = 0; f < flips; f++) {
          const op = rng.int(3)
          if (op === 0 && bytes.length > 0) bytes[rng.int(bytes.length)] = rng.int(256)
          else if (op === 1) bytes = bytes.subarray(0, rng.int(bytes.length + 1))
          else { const extra = rng.bytes(1 + rng.int(8)); const j = rng.int(bytes.length + 1); bytes = concat(bytes.subarray(0, j), extra, bytes.subarray(j)) }
        }
      }
      try {
        const m = gossipCodec.decode(bytes)
        decoded++
        gossipCodec.encode(m) // whatever decodes must re-encode
      } catch (err) {
        if (!(err instanceof DecodeError)) throw new Error(`non-DecodeError on input ${i}: ${String(err)}`)
        rejected++
      }
    }
    assert.equal(decoded + rejected, 100_000)
    assert.ok(rejected > 1000 && decoded > 1000, `decoded ${decoded}, rejected ${rejected}`)
  })
})

function concat (...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0))
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}

/** Uint8Array subclasses and undefined-vs-absent fields aside, compare by value. */
function normalize (v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x) => x instanceof Uint8Array ? Array.from(x) : x))
}
