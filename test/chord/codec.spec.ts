import assert from 'node:assert/strict'
import { chordCodec, LIMITS } from '../../src/chord/codec.js'
import type { ChordMessage, WireItem } from '../../src/chord/messages.js'
import { makeNode, type NodeInfo } from '../../src/chord/node.js'
import { DecodeError } from '../../src/overlay/errors.js'
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
    let decoded = 0; let rejected = 0
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
        rejected++
      }
    }
    assert.ok(rejected > 10_000 && decoded > 1000, `decoded ${decoded}, rejected ${rejected}`)
  })

  it('rejects oversized frames, long lists and wrong-length ids', () => {
    assert.throws(() => codec.decode(new Uint8Array(LIMITS.frameBytes + 1)), DecodeError)
    const many = codec.encode({ t: 'next', req: 1, done: false, nodes: Array.from({ length: LIMITS.nodes + 1 }, (_, i) => makeNode(`p${i}`, 0, 160)) })
    assert.throws(() => codec.decode(many), DecodeError)
    const short = chordCodec(64).encode({ t: 'find', req: 1, key: 5n })
    assert.throws(() => codec.decode(short), DecodeError)
  })
})
