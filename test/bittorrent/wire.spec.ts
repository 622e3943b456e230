import assert from 'node:assert/strict'
import { DecodeError } from '../../src/overlay/errors.js'
import { Rng } from '../../src/overlay/rng.js'
import { decodeWire, encodeWire, wireSize, WireParser, type WireMsg } from '../../src/bittorrent/wire.js'
import { Bitfield } from '../../src/bittorrent/bitfield.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

describe('bittorrent wire (BEP 3 bytes)', () => {
  const ih = new Uint8Array(20).fill(0xab)
  const pid = new TextEncoder().encode('-OK0100-abcdefghijkl')

  it('encodes the handshake and each message byte for byte', () => {
    const hs = encodeWire({ type: 'handshake', infoHash: ih, peerId: pid, reserved: new Uint8Array(8) })
    assert.equal(hs.length, 68)
    assert.equal(hex(hs.subarray(0, 20)), '13' + Buffer.from('BitTorrent protocol').toString('hex'))
    assert.equal(hex(encodeWire({ type: 'keepalive' })), '00000000')
    assert.equal(hex(encodeWire({ type: 'choke' })), '0000000100')
    assert.equal(hex(encodeWire({ type: 'unchoke' })), '0000000101')
    assert.equal(hex(encodeWire({ type: 'interested' })), '0000000102')
    assert.equal(hex(encodeWire({ type: 'not_interested' })), '0000000103')
    assert.equal(hex(encodeWire({ type: 'have', index: 258 })), '000000050400000102')
    assert.equal(hex(encodeWire({ type: 'bitfield', bits: Uint8Array.of(0xf0) })), '0000000205f0')
    assert.equal(hex(encodeWire({ type: 'request', index: 1, begin: 16384, length: 16384 })), '0000000d06000000010000400000004000')
    assert.equal(hex(encodeWire({ type: 'piece', index: 2, begin: 0, block: Uint8Array.of(9, 8) })), '0000000b07000000020000000009' + '08')
    assert.equal(hex(encodeWire({ type: 'cancel', index: 1, begin: 0, length: 16384 })), '0000000d08000000010000000000004000')
  })

  it('round-trips and sizeOf matches the encoding', () => {
    const msgs: WireMsg[] = [
      { type: 'handshake', infoHash: ih, peerId: pid, reserved: new Uint8Array(8) }, { type: 'keepalive' }, { type: 'choke' },
      { type: 'have', index: 7 }, { type: 'bitfield', bits: new Uint8Array(3) }, { type: 'request', index: 1, begin: 2, length: 3 },
      { type: 'piece', index: 1, begin: 0, block: new Uint8Array(16384) }, { type: 'cancel', index: 0, begin: 0, length: 1 },
      { type: 'extended', ext: 0, payload: new Uint8Array(5) }, { type: 'unknown', id: 9, payload: Uint8Array.of(1, 2) }
    ]
    for (const m of msgs) {
      const b = encodeWire(m)
      assert.equal(wireSize(m), b.length, m.type)
      assert.deepEqual(decodeWire(b), m)
    }
  })

  it('refuses blocks over 16 KiB, wrong lengths, and streams without a handshake', () => {
    assert.throws(() => decodeWire(encodeWire({ type: 'piece', index: 0, begin: 0, block: new Uint8Array(16385) })), DecodeError)
    assert.throws(() => decodeWire(Uint8Array.of(0, 0, 0, 2, 0, 0)), DecodeError)
    assert.throws(() => decodeWire(Uint8Array.of(0, 0, 0, 5, 4, 0)), DecodeError)
    assert.throws(() => new WireParser().push(Uint8Array.of(0, 0, 0, 1, 1)), DecodeError)
    const p = new WireParser(1000, false)
    assert.throws(() => p.push(Uint8Array.of(0, 0, 0x10, 0)), DecodeError)
  })

  it('the stream parser reassembles frames split at any byte', () => {
    const rng = new Rng('parser')
    const frames = [encodeWire({ type: 'handshake', infoHash: ih, peerId: pid, reserved: new Uint8Array(8) }), encodeWire({ type: 'bitfield', bits: Uint8Array.of(0xff, 0x80) }),
      encodeWire({ type: 'keepalive' }), encodeWire({ type: 'piece', index: 3, begin: 16384, block: rng.bytes(16384) }), encodeWire({ type: 'have', index: 1 })]
    const all = Buffer.concat(frames)
    for (let trial = 0; trial < 50; trial++) {
      const parser = new WireParser()
      const got: Uint8Array[] = []
      let pos = 0
      while (pos < all.length) {
        const n = 1 + rng.int(Math.min(3000, all.length - pos))
        got.push(...parser.push(all.subarray(pos, pos + n)))
        pos += n
      }
      assert.deepEqual(got.map(hex), frames.map(hex))
    }
  })

  it('bitfields check their length and spare bits', () => {
    const b = new Bitfield(10)
    b.set(0); b.set(9)
    assert.equal(hex(b.bytes), '8040')
    assert.equal(new Bitfield(10, b.bytes).count, 2)
    assert.throws(() => new Bitfield(10, Uint8Array.of(0, 0x20)), DecodeError)
    assert.throws(() => new Bitfield(10, Uint8Array.of(0)), DecodeError)
  })
})
