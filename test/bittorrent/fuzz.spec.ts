/** Fuzz the decoders with random and mutated inputs: only DecodeError may escape, never a hang. */
import assert from 'node:assert/strict'
import { DecodeError } from '../../src/overlay/errors.js'
import { Rng } from '../../src/overlay/rng.js'
import { bdecode } from '../../src/bittorrent/bencode.js'
import { createTorrent, parseTorrent } from '../../src/bittorrent/metainfo.js'
import { decodeWire, encodeWire, WireParser, type WireMsg } from '../../src/bittorrent/wire.js'
import { parseMagnet } from '../../src/bittorrent/magnet.js'
import { decodeExtHandshake, decodeUtMetadata, encodeExtHandshake, encodeUtMetadata } from '../../src/bittorrent/ut-metadata.js'

function mutate (rng: Rng, base: Uint8Array): Uint8Array {
  const b = base.slice()
  const kind = rng.int(4)
  if (kind === 0) { for (let k = 0; k < 1 + rng.int(4); k++) b[rng.int(b.length)] = rng.int(256); return b }
  if (kind === 1) return b.subarray(0, rng.int(b.length + 1))
  const at = rng.int(b.length)
  if (kind === 2) {
    const ins = rng.bytes(1 + rng.int(8))
    const out = new Uint8Array(b.length + ins.length)
    out.set(b.subarray(0, at)); out.set(ins, at); out.set(b.subarray(at), at + ins.length)
    return out
  }
  const cut = Math.min(b.length, at + 1 + rng.int(4))
  const out = new Uint8Array(b.length - (cut - at))
  out.set(b.subarray(0, at)); out.set(b.subarray(cut), at)
  return out
}

function expectOnlyDecodeError (fn: () => unknown): void {
  try { fn() } catch (err) { if (!(err instanceof DecodeError)) { assert.fail(`non-DecodeError: ${String(err)}`) } }
}

describe('bittorrent fuzz (>= 10^5 inputs per decoder)', function () {
  this.timeout(60_000)
  const N = 100_000
  // most inputs fail: capturing a deep stack for each of the ~10^5 DecodeErrors is most of the cost
  let stackLimit = Error.stackTraceLimit
  before(() => { stackLimit = Error.stackTraceLimit; Error.stackTraceLimit = 1 })
  after(() => { Error.stackTraceLimit = stackLimit })

  it('wire decoder and stream parser', () => {
    const rng = new Rng('fuzz-wire')
    const seeds: WireMsg[] = [
      { type: 'handshake', infoHash: rng.bytes(20), peerId: rng.bytes(20), reserved: new Uint8Array(8) }, { type: 'have', index: 3 },
      { type: 'bitfield', bits: rng.bytes(9) }, { type: 'request', index: 1, begin: 0, length: 16384 }, { type: 'piece', index: 1, begin: 0, block: rng.bytes(64) },
      { type: 'cancel', index: 1, begin: 0, length: 1 }, { type: 'choke' }, { type: 'keepalive' }, { type: 'extended', ext: 1, payload: rng.bytes(10) }
    ].map(m => m as WireMsg)
    const enc = seeds.map(encodeWire)
    let ok = 0
    for (let i = 0; i < N; i++) {
      const input = i % 4 === 0 ? rng.bytes(rng.int(80)) : mutate(rng, rng.pick(enc))
      expectOnlyDecodeError(() => { decodeWire(input); ok++ })
      // every input also goes through the stream parser, split at a random point
      const p = new WireParser(4096, (i & 1) === 0)
      const cut = input.length === 0 ? 0 : rng.int(input.length)
      expectOnlyDecodeError(() => { for (const f of [...p.push(input.subarray(0, cut)), ...p.push(input.subarray(cut))]) expectOnlyDecodeError(() => decodeWire(f)) })
    }
    assert.ok(ok > 1000, 'some mutated inputs still decode')
  })

  it('bencode decoder and torrent parser', () => {
    const rng = new Rng('fuzz-bencode')
    const { torrent } = createTorrent([{ path: 'a/b', data: rng.bytes(5000) }, { path: 'c', data: rng.bytes(100) }], { name: 'n', pieceLength: 1024, announce: ['x'] })
    const small = new TextEncoder().encode('d3:fooli1ei-2e3:bare4:spaml1:a1:bee')
    for (let i = 0; i < N; i++) {
      const input = i % 5 === 0 ? rng.bytes(rng.int(64)) : mutate(rng, i % 2 === 0 ? torrent : small)
      expectOnlyDecodeError(() => bdecode(input, { maxDepth: 16 }))
      if (i % 4 === 0) expectOnlyDecodeError(() => parseTorrent(input))
    }
  })

  it('BEP 10/9 extension decoders', () => {
    const rng = new Rng('fuzz-ext')
    const seeds = [encodeExtHandshake(1234), encodeExtHandshake(undefined), encodeUtMetadata({ kind: 'request', piece: 3 }),
      encodeUtMetadata({ kind: 'data', piece: 0, totalSize: 100, data: rng.bytes(100) }), encodeUtMetadata({ kind: 'reject', piece: 1 })]
    for (let i = 0; i < N; i++) {
      const input = i % 5 === 0 ? rng.bytes(rng.int(40)) : mutate(rng, rng.pick(seeds))
      expectOnlyDecodeError(() => decodeExtHandshake(input))
      expectOnlyDecodeError(() => decodeUtMetadata(input))
    }
  })

  it('magnet parser', () => {
    const rng = new Rng('fuzz-magnet')
    const base = new TextEncoder().encode('magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=x&tr=udp%3A%2F%2Fa')
    const dec = new TextDecoder()
    for (let i = 0; i < N; i++) expectOnlyDecodeError(() => parseMagnet(dec.decode(i % 2 === 0 ? mutate(rng, base) : base.subarray(0, 20 + rng.int(base.length - 20)))))
  })
})
