/**
 * BEP 3 peer wire messages, byte for byte: the 68-byte handshake, then frames of
 * <4-byte big-endian length><1-byte id><payload> (length 0 = keep-alive). The same bytes go over a
 * libp2p stream and over a plain TCP socket. `WireParser` cuts a byte stream into frames.
 */
import { ByteReader, ByteWriter } from '../overlay/codec.js'
import { DecodeError } from '../overlay/errors.js'
import { allocUnsafe } from 'uint8arrays/alloc'
import type { Codec } from '../overlay/types.js'

export const PROTOCOL_NAME = 'BitTorrent protocol'
export const BLOCK_SIZE = 16384
/** Largest frame we accept: a 16 KiB piece message, or a bitfield for up to 8 Mi pieces. */
export const MAX_FRAME = 4 + 1 + (1 << 20)
/** Largest request we serve (BEP 3 clients close on more; we refuse). */
export const MAX_REQUEST = BLOCK_SIZE

export type WireMsg =
  | { type: 'handshake', infoHash: Uint8Array, peerId: Uint8Array, reserved: Uint8Array }
  | { type: 'keepalive' }
  | { type: 'choke' }
  | { type: 'unchoke' }
  | { type: 'interested' }
  | { type: 'not_interested' }
  | { type: 'have', index: number }
  | { type: 'bitfield', bits: Uint8Array }
  | { type: 'request', index: number, begin: number, length: number }
  | { type: 'piece', index: number, begin: number, block: Uint8Array }
  | { type: 'cancel', index: number, begin: number, length: number }
  /** BEP 10 extension message (id 20): ext 0 is the extended handshake. */
  | { type: 'extended', ext: number, payload: Uint8Array }
  /** Any other id (BEP 3: ignore what you do not understand). */
  | { type: 'unknown', id: number, payload: Uint8Array }

const ID: Record<string, number> = { choke: 0, unchoke: 1, interested: 2, not_interested: 3, have: 4, bitfield: 5, request: 6, piece: 7, cancel: 8, extended: 20 }
const NAME = ['choke', 'unchoke', 'interested', 'not_interested', 'have', 'bitfield', 'request', 'piece', 'cancel'] as const
const PSTR = new TextEncoder().encode(PROTOCOL_NAME)

export function encodeWire (msg: WireMsg): Uint8Array {
  if (msg.type === 'handshake') {
    const out = new Uint8Array(68)
    out[0] = 19
    out.set(PSTR, 1)
    out.set(msg.reserved.subarray(0, 8), 20)
    out.set(msg.infoHash.subarray(0, 20), 28)
    out.set(msg.peerId.subarray(0, 20), 48)
    return out
  }
  if (msg.type === 'keepalive') return new Uint8Array(4)
  if (msg.type === 'piece') {
    const out = new Uint8Array(13 + msg.block.length)
    out.set(pieceHeader(msg.index, msg.begin, msg.block.length))
    out.set(msg.block, 13)
    return out
  }
  if (msg.type === 'request' || msg.type === 'cancel' || msg.type === 'have') {
    // hot path too: fixed-size frames written straight into their buffer
    if (msg.type === 'have') { const out = new Uint8Array(9); u32(out, 0, 5); out[4] = 4; u32(out, 5, msg.index); return out }
    const out = new Uint8Array(17)
    u32(out, 0, 13); out[4] = ID[msg.type]
    u32(out, 5, msg.index); u32(out, 9, msg.begin); u32(out, 13, msg.length)
    return out
  }
  const w = new ByteWriter(MAX_FRAME + 64)
  switch (msg.type) {
    case 'choke': case 'unchoke': case 'interested': case 'not_interested':
      return w.u32be(1).u8(ID[msg.type]).finish()
    case 'bitfield':
      return w.u32be(1 + msg.bits.length).u8(5).bytes(msg.bits).finish()
    case 'extended':
      return w.u32be(2 + msg.payload.length).u8(20).u8(msg.ext).bytes(msg.payload).finish()
    case 'unknown':
      return w.u32be(1 + msg.payload.length).u8(msg.id).bytes(msg.payload).finish()
  }
}

/** The 13 bytes before a piece message's block: drivers send them and the block without joining them first. */
export function pieceHeader (index: number, begin: number, blockLength: number): Uint8Array {
  const out = new Uint8Array(13)
  u32(out, 0, 9 + blockLength); out[4] = 7
  u32(out, 5, index); u32(out, 9, begin)
  return out
}

/** Big-endian u32 without a DataView (one per message was measurable at 4000 messages per 64 MiB). */
function u32 (out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24; out[at + 1] = (v >>> 16) & 255; out[at + 2] = (v >>> 8) & 255; out[at + 3] = v & 255
}

/** Bytes on the wire, without encoding (the simulator's bandwidth model calls this per message). */
export function wireSize (msg: WireMsg): number {
  switch (msg.type) {
    case 'handshake': return 68
    case 'keepalive': return 4
    case 'have': return 9
    case 'request': case 'cancel': return 17
    case 'piece': return 13 + msg.block.length
    case 'bitfield': return 5 + msg.bits.length
    case 'extended': return 6 + msg.payload.length
    case 'unknown': return 5 + msg.payload.length
    default: return 5
  }
}

/** Decode exactly one handshake or one length-prefixed frame. Throws only DecodeError. */
export function decodeWire (bytes: Uint8Array): WireMsg {
  if (bytes.length > MAX_FRAME) throw new DecodeError(`wire: frame of ${bytes.length} bytes exceeds ${MAX_FRAME}`)
  if (bytes.length === 68 && bytes[0] === 19) return decodeHandshake(bytes)
  const r = new ByteReader(bytes)
  const len = r.u32be()
  if (len !== r.remaining) throw new DecodeError(`wire: length field ${len} but ${r.remaining} bytes follow`)
  if (len === 0) return { type: 'keepalive' }
  const id = r.u8()
  const fixed = (n: number): void => { if (len !== n) throw new DecodeError(`wire: ${id} with length ${len}, expected ${n}`) }
  switch (id) {
    case 0: case 1: case 2: case 3:
      fixed(1)
      return { type: NAME[id] } as WireMsg
    case 4: fixed(5); return { type: 'have', index: r.u32be() }
    case 5: return { type: 'bitfield', bits: r.rest() }
    case 6: case 8: {
      fixed(13)
      return { type: id === 6 ? 'request' : 'cancel', index: r.u32be(), begin: r.u32be(), length: r.u32be() }
    }
    case 7: {
      if (len < 9) throw new DecodeError('wire: piece message too short')
      if (len - 9 > MAX_REQUEST) throw new DecodeError(`wire: piece block of ${len - 9} bytes exceeds ${MAX_REQUEST}`)
      return { type: 'piece', index: r.u32be(), begin: r.u32be(), block: r.rest() }
    }
    case 20: {
      if (len < 2) throw new DecodeError('wire: extended message too short')
      return { type: 'extended', ext: r.u8(), payload: r.rest() }
    }
    default: return { type: 'unknown', id, payload: r.rest() }
  }
}

function decodeHandshake (bytes: Uint8Array): WireMsg {
  for (let i = 0; i < 19; i++) if (bytes[1 + i] !== PSTR[i]) throw new DecodeError('wire: not a BitTorrent handshake')
  return { type: 'handshake', reserved: bytes.slice(20, 28), infoHash: bytes.slice(28, 48), peerId: bytes.slice(48, 68) }
}

export const wireCodec: Codec<WireMsg> = {
  maxFrameBytes: MAX_FRAME,
  encode: encodeWire,
  decode: decodeWire,
  typeOf: (m) => m.type,
  sizeOf: wireSize
}

/**
 * Cuts a byte stream into wire frames: first the handshake (68 bytes), then length-prefixed frames.
 * Rejects (DecodeError) a stream that does not start with the handshake or announces a frame over
 * `maxFrame`, so a stranger cannot make us buffer without bound.
 */
export class WireParser {
  private chunks: Uint8Array[] = []
  private buffered = 0
  private handshaken: boolean

  constructor (private readonly maxFrame = MAX_FRAME, expectHandshake = true) {
    this.handshaken = !expectHandshake
  }

  /** Feed bytes; returns the complete frames now available (each one decodable with decodeWire). */
  push (data: Uint8Array): Uint8Array[] {
    if (data.length > 0) { this.chunks.push(data); this.buffered += data.length }
    const out: Uint8Array[] = []
    while (true) {
      if (!this.handshaken) {
        if (this.buffered < 1) break
        const first = this.peek(1)[0]
        if (first !== 19) throw new DecodeError('wire: stream does not start with a BitTorrent handshake')
        if (this.buffered < 68) break
        out.push(this.take(68))
        this.handshaken = true
        continue
      }
      if (this.buffered < 4) break
      const h = this.peek(4)
      const len = ((h[0] << 24) >>> 0) + (h[1] << 16) + (h[2] << 8) + h[3]
      if (len + 4 > this.maxFrame) throw new DecodeError(`wire: frame of ${len + 4} bytes exceeds ${this.maxFrame}`)
      if (this.buffered < 4 + len) break
      out.push(this.take(4 + len))
    }
    return out
  }

  private peek (n: number): Uint8Array {
    if (this.chunks[0].length >= n) return this.chunks[0].subarray(0, n)
    const out = new Uint8Array(n)
    let off = 0
    for (const c of this.chunks) {
      const k = Math.min(n - off, c.length)
      out.set(c.subarray(0, k), off); off += k
      if (off === n) break
    }
    return out
  }

  private take (n: number): Uint8Array {
    const first = this.chunks[0]
    if (first.length >= n) {
      const out = first.subarray(0, n)
      if (first.length === n) this.chunks.shift(); else this.chunks[0] = first.subarray(n)
      this.buffered -= n
      return out
    }
    // a frame across receive buffers (about one piece message in four): joined into a buffer that
    // is not zeroed first, since every byte is written
    const raw = allocUnsafe(n)
    // a plain Uint8Array over it (Node's allocUnsafe gives a Buffer, whose slice() is a view)
    const out = new Uint8Array(raw.buffer, raw.byteOffset, n)
    let off = 0
    while (off < n) {
      const c = this.chunks[0]
      const k = Math.min(n - off, c.length)
      out.set(c.subarray(0, k), off); off += k
      if (k === c.length) this.chunks.shift(); else this.chunks[0] = c.subarray(k)
    }
    this.buffered -= n
    return out
  }
}
