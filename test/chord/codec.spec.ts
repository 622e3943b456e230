import assert from 'node:assert/strict'
import { chordCodec, LIMITS } from '../../src/chord/codec.js'
import type { ChordMessage, WireItem } from '../../src/chord/messages.js'
import { makeNode, type NodeInfo } from '../../src/chord/node.js'
import { DecodeError, UnknownTypeError } from '../../src/overlay/errors.js'
import { Rng } from '../../src/overlay/rng.js'

const codec = chordCodec(160)

function randomMessage (rng: Rng): ChordMessage {
  const node = (): NodeInfo => makeNode(`peer${rng.int(1000)}`, rng.int(4), 160, rng.bool() ? ['/memory/x'] : undefined)
  const nodes = (): NodeInfo[] => Array.from({ length: rng.int(6) }, node)
  const item = (): WireItem => ({ key: rng.bytes(1 + rng.int(40)), kind: rng.int(2), version: rng.int(1000), value: rng.bool() ? rng.bytes(rng.int(100)) : undefined, deleted: rng.bool(0.1), providers: rng.bool() ? [{ peer: 'p', addrs: [], expires: rng.int(1e9) }] : [] })
  const key = BigInt('0x' + Array.from(rng.bytes(20), b => b.toString(16).padStart(2, '0')).join(''))
  const req = rng.int(1e6)
  switch (rng.int(17)) {
    case 0: return { t: 'find', req, key }
    case 1: return { t: 'next', req, done: rng.bool(), nodes: nodes() }
    case 2: return { t: 'rfind', req, key, origin: 'o', originAddrs: [], hops: rng.int(9), path: nodes() }
    case 3: return { t: 'rdone', req, nodes: nodes(), hops: rng.int(9), path: nodes() }
    case 4: return { t: 'get_pred', req, vnode: rng.int(4) }
    case 5: return { t: 'pred', req, ok: true, pred: rng.bool() ? node() : undefined, nodes: nodes() }
    case 6: return { t: 'notify', vnode: rng.int(4), node: node() }
    case 7: return { t: 'ping', req }
    case 8: return { t: 'pong', req }
    case 9: return { t: 'leave', node: node(), pred: node(), nodes: nodes(), items: [item()] }
    case 10: return { t: 'store', req, item: item(), op: rng.pick(['put', 'delete', 'provide'] as const) }
    case 11: return { t: 'stored', req, ok: rng.bool(), error: rng.bool() ? 'x' : undefined }
    case 12: return { t: 'fetch', req, key: rng.bytes(8), kind: rng.int(2) }
    case 13: return { t: 'fetched', req, key: rng.bytes(8), kind: 0, found: true, item: item() }
    case 14: return { t: 'digest', req, keys: [rng.bytes(4)], kinds: [0], versions: [3], lo: key, hi: key ^ 1n, last: rng.bool() }
    case 15: return { t: 'want', req, keys: [rng.bytes(4)], kinds: [1] }
    default: return { t: 'items', items: [item(), item()], handoff: rng.bool() }
  }
}

/** Compare with bigints and NodeInfo reduced to their wire fields. */
function plain (m: unknown): unknown {
  return JSON.parse(JSON.stringify(m, (_k, v) => {
    if (typeof v === 'bigint') return v.toString(16)
    if (v instanceof Uint8Array) return Array.from(v)
    if (v !== null && typeof v === 'object' && 'tag' in v && 'peer' in v) return { peer: v.peer, vnode: v.vnode, id: v.id.toString(16), addrs: v.ref.addrs ?? [] }
    return v
  }))
}

describe('chord codec', () => {
  it('round-trips every message type', () => {
    const rng = new Rng('roundtrip')
    for (let i = 0; i < 3000; i++) {
      const m = randomMessage(rng)
      assert.deepEqual(plain(codec.decode(codec.encode(m))), plain(m), m.t)
    }
  })

  it('fuzz: 10^5 random and mutated frames throw only DecodeError', function () {
    this.timeout(60_000)
    const rng = new Rng('fuzz')
    const valid = Array.from({ length: 500 }, () => codec.encode(randomMessage(rng)))
    let decoded = 0; let rejected = 0; let unknown = 0
    for (let i = 0; i < 100_000; i++) {
      let b: Uint8Array
      const mode = i % 4
      if (mode === 0) b = rng.bytes(rng.int(200))
      else {
        b = valid[rng.int(valid.length)].slice()
        if (mode === 1) { for (let k = 0; k < 1 + rng.int(4); k++) if (b.length > 0) b[rng.int(b.length)] ^= 1 << rng.int(8) }
        else if (mode === 2) b = b.subarray(0, rng.int(b.length + 1))
        else { const extra = rng.bytes(rng.int(20)); const c = new Uint8Array(b.length + extra.length); c.set(b); c.set(extra, rng.int(b.length + 1)); b = c }
      }
      try { codec.decode(b); decoded++ } catch (err) {
        if (!(err instanceof DecodeError)) throw new Error(`non-DecodeError on input ${Buffer.from(b).toString('hex')}: ${String(err)}`)
        if (err instanceof UnknownTypeError) {
          // only a value outside the Type enum, read from field 1, is an unknown type
          assert.ok(typeof err.messageType === 'number' && (err.messageType < 0 || err.messageType > 16), `unknown type ${String(err.messageType)} on ${Buffer.from(b).toString('hex')}`)
          unknown++
        }
        rejected++
      }
    }
    assert.ok(rejected > 10_000 && decoded > 1000, `decoded ${decoded}, rejected ${rejected}`)
    // bit flips in the type byte of a valid frame make well-formed frames of unknown types; most garbage is not
    assert.ok(unknown > 0 && unknown < rejected / 4, `unknown types ${unknown} of ${rejected} rejected`)
  })

  it('rejects oversized frames, long lists and wrong-length ids', () => {
    assert.throws(() => codec.decode(new Uint8Array(LIMITS.frameBytes + 1)), DecodeError)
    const many = codec.encode({ t: 'next', req: 1, done: false, nodes: Array.from({ length: LIMITS.nodes + 1 }, (_, i) => makeNode(`p${i}`, 0, 160)) })
    assert.throws(() => codec.decode(many), DecodeError)
    const short = chordCodec(64).encode({ t: 'find', req: 1, key: 5n })
    assert.throws(() => codec.decode(short), DecodeError)
  })

  describe('unknown message types', () => {
    const unknownType = (b: Uint8Array, type: number): void => {
      assert.throws(() => codec.decode(b), (e: unknown) => {
        assert.ok(e instanceof UnknownTypeError, `expected UnknownTypeError, got ${String(e)}`)
        assert.ok(e instanceof DecodeError)
        assert.equal(e.code, 'ERR_UNKNOWN_TYPE')
        assert.equal(e.messageType, type)
        assert.match(e.message, new RegExp(`unknown chord message type ${type}`))
        return true
      })
    }
    const plainDecodeError = (b: Uint8Array): void => {
      assert.throws(() => codec.decode(b), (e: unknown) => {
        assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`)
        assert.ok(!(e instanceof UnknownTypeError), `expected a plain DecodeError, got ${(e as Error).message}`)
        assert.equal((e as DecodeError).code, 'ERR_DECODE')
        return true
      })
    }
    const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs)

    it('a well-formed frame whose type this version does not know throws UnknownTypeError with the type', () => {
      unknownType(bytes(0x08, 42, 0x10, 0x05), 42) // type 42, req 5
      unknownType(bytes(0x08, 17), 17) // the first value past ITEMS
      // a real frame (next, with nodes) whose type byte a newer peer set to 99
      const next = codec.encode({ t: 'next', req: 9, done: false, nodes: [makeNode('peerA', 0, 160, ['/memory/a'])] })
      assert.deepEqual(Array.from(next.subarray(0, 2)), [0x08, 0x01])
      const newer = next.slice(); newer[1] = 99
      unknownType(newer, 99)
      // ...and with a field this version does not know appended: still well-formed
      const extra = new Uint8Array(newer.length + 3); extra.set(newer); extra.set([0xf8, 0x01, 0x07], newer.length)
      unknownType(extra, 99)
      // a multi-byte varint type
      unknownType(bytes(0x08, 0xac, 0x02), 300)
    })

    it('damaged frames stay plain DecodeErrors, even with an unknown type in them', () => {
      plainDecodeError(bytes(0x08, 42, 0x4a, 0x09, 0x0a)) // unknown type, nodes (field 9) cut short
      plainDecodeError(bytes(0x08, 42, 0x10)) // unknown type, req varint missing
      plainDecodeError(bytes(0x08)) // type tag without a value
      plainDecodeError(bytes(0x0f, 0xff, 0x01)) // field 1 with an invalid wire type
      const next = codec.encode({ t: 'next', req: 9, done: false, nodes: [makeNode('peerA', 0, 160)] })
      const cut = next.slice(0, next.length - 3); cut[1] = 99
      plainDecodeError(cut)
      // a known type that fails validation is not an unknown type
      plainDecodeError(bytes(0x08, 0x00, 0x1a, 0x01, 0x05)) // find with a 1-byte ring id
    })
  })
})
