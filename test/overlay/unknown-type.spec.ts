/**
 * UnknownTypeError across the codecs: a well-framed message of a type this version does not know
 * (a newer peer's) throws UnknownTypeError carrying the wire type; garbage, truncated and oversize
 * frames — even ones that also carry an unknown type — stay plain DecodeErrors.
 */
import assert from 'node:assert/strict'
import { DecodeError, UnknownTypeError, decodeGuard } from '../../src/overlay/index.js'
import { pingCodec } from '../../src/ping/codec.js'
import { gossipCodec } from '../../src/gossip/codec.js'
import { napsterCodec } from '../../src/napster/codec.js'
import { gnutellaCodec } from '../../src/gnutella/codec.js'
import { fasttrackCodec, decodeFrame as decodeFtFrame } from '../../src/fasttrack/codec.js'
import { decodeXfer } from '../../src/search/transfer-codec.js'
import { trackerCodec } from '../../src/bittorrent/tracker-codec.js'

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs)
const latin = (s: string): Uint8Array => Uint8Array.from(s, c => c.charCodeAt(0))
const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.byteLength }
  return out
}

function unknownType (decode: () => unknown, type: number | string): void {
  assert.throws(decode, (e: unknown) => {
    assert.ok(e instanceof UnknownTypeError, `expected UnknownTypeError, got ${String(e)}`)
    assert.ok(e instanceof DecodeError)
    assert.equal(e.code, 'ERR_UNKNOWN_TYPE')
    assert.equal(e.messageType, type)
    return true
  })
}

function plainDecodeError (decode: () => unknown): void {
  assert.throws(decode, (e: unknown) => {
    assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`)
    assert.ok(!(e instanceof UnknownTypeError), `expected a plain DecodeError, got ${(e as Error).message}`)
    assert.equal((e as DecodeError).code, 'ERR_DECODE')
    return true
  })
}

// a Gnutella 0.4 header: 16-byte id, payload type, ttl, hops, payload length (u32 LE)
const gnutellaHeader = (type: number, len: number): Uint8Array =>
  cat(new Uint8Array(16).fill(0xab), bytes(type, 7, 0, len & 0xff, (len >> 8) & 0xff, 0, 0))

describe('overlay: UnknownTypeError', () => {
  it('is a DecodeError with its own stable code and the wire type; decodeGuard passes it through', () => {
    const e = new UnknownTypeError(7)
    assert.ok(e instanceof DecodeError)
    assert.equal(e.code, 'ERR_UNKNOWN_TYPE')
    assert.equal(e.name, 'UnknownTypeError')
    assert.equal(e.messageType, 7)
    assert.match(e.message, /unknown message type 7/)
    assert.equal(new DecodeError('x').code, 'ERR_DECODE')
    unknownType(() => decodeGuard('x', new Uint8Array(1), 4, () => { throw new UnknownTypeError('q=foo') }), 'q=foo')
  })

  it('ping: an unknown kind (protobuf enum value)', () => {
    unknownType(() => pingCodec.decode(bytes(0x08, 0x05, 0x10, 0x01)), 5)
    // an unknown kind followed by a field this version does not know is still well-formed
    unknownType(() => pingCodec.decode(bytes(0x08, 0x05, 0xf8, 0x01, 0x07)), 5)
    plainDecodeError(() => pingCodec.decode(bytes(0x08, 0x05, 0x1a, 0x05, 0x01))) // unknown kind, payload cut short
    plainDecodeError(() => pingCodec.decode(bytes(0x0f, 0xff, 0x01))) // field 1 with an invalid wire type
  })

  it('gossip: an unknown frame type (protobuf enum value)', () => {
    unknownType(() => gossipCodec.decode(bytes(0x08, 42, 0x18, 0x01)), 42)
    plainDecodeError(() => gossipCodec.decode(bytes(0x08, 42, 0x12, 0x09))) // unknown type, updates cut short
    plainDecodeError(() => gossipCodec.decode(bytes(0x08)))
  })

  it('napster: an unknown OpenNap message number', () => {
    unknownType(() => napsterCodec.decode(bytes(0x00, 0x00, 0x00, 0x0f, 0x27)), 9999)
    plainDecodeError(() => napsterCodec.decode(bytes(0x00, 0x05, 0x00, 0x0f, 0x27, 0x41))) // length field disagrees
  })

  it('gnutella: an unknown payload descriptor', () => {
    unknownType(() => gnutellaCodec.decode(cat(bytes(0x00), gnutellaHeader(0x42, 2), bytes(1, 2))), 0x42)
    plainDecodeError(() => gnutellaCodec.decode(cat(bytes(0x00), gnutellaHeader(0x42, 4), bytes(1, 2))))
    plainDecodeError(() => gnutellaCodec.decode(cat(bytes(0x00), latin('GNUTELLA NOPE'))))
  })

  it('fasttrack: an unknown frame type; type 0 (absent) is garbage', () => {
    unknownType(() => decodeFtFrame(bytes(0x08, 99)), 99)
    unknownType(() => fasttrackCodec.decode(bytes(0x00, 0x08, 99)), 99)
    plainDecodeError(() => decodeFtFrame(new Uint8Array(0)))
    plainDecodeError(() => decodeFtFrame(bytes(0x08, 99, 0x72, 0x05))) // text (field 14) cut short
  })

  it('search: an unknown channel tag or transfer message is garbage (one byte, nothing behind it to check)', () => {
    plainDecodeError(() => decodeXfer(bytes(0x09, 1, 2, 3)))
    plainDecodeError(() => decodeXfer(bytes(0x01, 0x00))) // a get cut short
    // the channel tag is framing: almost every random first byte is an unknown channel, so it is garbage
    plainDecodeError(() => gnutellaCodec.decode(bytes(0x07, 1, 2)))
    plainDecodeError(() => fasttrackCodec.decode(bytes(0x07)))
    plainDecodeError(() => napsterCodec.decode(new Uint8Array(0)))
  })

  it('bittorrent tracker: an unknown query or reply name', () => {
    unknownType(() => trackerCodec.decode(latin('d1:q7:unknown1:ti1ee')), 'q=unknown')
    unknownType(() => trackerCodec.decode(latin('d1:r4:ping1:ti1ee')), 'r=ping')
    plainDecodeError(() => trackerCodec.decode(latin('d1:ti1ee'))) // neither query, reply nor failure
    plainDecodeError(() => trackerCodec.decode(latin('d1:q7:unknown1:ti1e'))) // truncated bencode
  })
})
