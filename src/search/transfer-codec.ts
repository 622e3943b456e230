/**
 * Wire format of the direct-transfer protocol (binary, big-endian, hard limits):
 *
 *   get   = 0x01 req:u32 hash:32 offset:u64 length:u32         downloader → holder
 *   data  = 0x02 req:u32 offset:u64 total:u64 len:u32 bytes    holder → downloader
 *   err   = 0x03 req:u32 code:u8 total:u64                     holder → downloader
 *   offer = 0x04 hash:32                                       firewalled holder → downloader (push answered)
 *
 * Overlays carry these frames beside their own wire format (see `CHANNEL_*` in index.ts).
 */
import { ByteReader, ByteWriter, decodeGuard } from '../overlay/codec.js'
import { DecodeError } from '../overlay/errors.js'
import { fromHex, toHex } from '../overlay/ids.js'

/** Largest chunk a holder sends in one frame. */
export const MAX_CHUNK_BYTES = 256 * 1024
export const MAX_XFER_FRAME = MAX_CHUNK_BYTES + 32

export const XFER_ERRORS = ['not-found', 'busy', 'range', 'io'] as const
export type XferErrorCode = typeof XFER_ERRORS[number]

export type XferMsg =
  | { type: 'xfer-get', req: number, hash: string, offset: number, length: number }
  | { type: 'xfer-data', req: number, offset: number, total: number, data: Uint8Array }
  | { type: 'xfer-err', req: number, code: XferErrorCode, total: number }
  | { type: 'xfer-offer', hash: string }

export function isXferMsg (msg: { type: string }): msg is XferMsg {
  return msg.type.startsWith('xfer-')
}

function u64 (r: ByteReader): number {
  const v = r.u64be()
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DecodeError('64-bit value beyond 2^53')
  return Number(v)
}

export function encodeXfer (msg: XferMsg): Uint8Array {
  const w = new ByteWriter(MAX_XFER_FRAME, 48)
  switch (msg.type) {
    case 'xfer-get':
      w.u8(1).u32be(msg.req).bytes(fromHex(msg.hash)).u64be(BigInt(msg.offset)).u32be(msg.length); break
    case 'xfer-data':
      w.u8(2).u32be(msg.req).u64be(BigInt(msg.offset)).u64be(BigInt(msg.total)).u32be(msg.data.byteLength).bytes(msg.data); break
    case 'xfer-err':
      w.u8(3).u32be(msg.req).u8(XFER_ERRORS.indexOf(msg.code)).u64be(BigInt(msg.total)); break
    case 'xfer-offer':
      w.u8(4).bytes(fromHex(msg.hash)); break
  }
  return w.finish()
}

export function decodeXfer (bytes: Uint8Array): XferMsg {
  return decodeGuard('transfer', bytes, MAX_XFER_FRAME, b => {
    const r = new ByteReader(b)
    const t = r.u8()
    let msg: XferMsg
    switch (t) {
      case 1: {
        const req = r.u32be(); const hash = toHex(r.bytesN(32)); const offset = u64(r); const length = r.u32be()
        if (length > MAX_CHUNK_BYTES) throw new DecodeError(`request of ${length} bytes exceeds ${MAX_CHUNK_BYTES}`)
        msg = { type: 'xfer-get', req, hash, offset, length }
        break
      }
      case 2: {
        const req = r.u32be(); const offset = u64(r); const total = u64(r); const len = r.u32be()
        if (len > MAX_CHUNK_BYTES) throw new DecodeError(`chunk of ${len} bytes exceeds ${MAX_CHUNK_BYTES}`)
        if (offset + len > total) throw new DecodeError('chunk beyond the file size')
        msg = { type: 'xfer-data', req, offset, total, data: r.bytesN(len) }
        break
      }
      case 3: {
        const req = r.u32be(); const c = r.u8()
        if (c >= XFER_ERRORS.length) throw new DecodeError(`unknown transfer error code ${c}`)
        msg = { type: 'xfer-err', req, code: XFER_ERRORS[c], total: u64(r) }
        break
      }
      case 4:
        msg = { type: 'xfer-offer', hash: toHex(r.bytesN(32)) }
        break
      default:
        // a plain DecodeError, like the channel tag: one type byte with nothing after it we could
        // check is indistinguishable from garbage, so it is not counted as a newer peer's message
        throw new DecodeError(`unknown transfer message 0x${t.toString(16)}`)
    }
    r.end()
    return msg
  })
}

export function xferSize (msg: XferMsg): number {
  switch (msg.type) {
    case 'xfer-get': return 49
    case 'xfer-data': return 25 + msg.data.byteLength
    case 'xfer-err': return 14
    case 'xfer-offer': return 33
  }
}
