/**
 * BEP 10 extension handshake and BEP 9 `ut_metadata` messages, so a peer that only knows a magnet
 * link can fetch the info dict from peers (ours or stock clients) and check it against the info hash.
 * Messages ride in wire `extended` frames: ext 0 is the handshake; ext <their ut_metadata id> carries
 * a bencoded { msg_type, piece[, total_size] } followed, for data, by up to 16 KiB of the info dict.
 */
import { DecodeError } from '../overlay/errors.js'
import { asDict, asInt, bdecode, bdecodePrefix, bencode, isDict } from './bencode.js'

/** The id we ask peers to use when they send us ut_metadata messages. */
export const UT_METADATA_ID = 1
export const METADATA_PIECE = 16384
/** Largest info dict we fetch (a torrent of ~400k pieces). @default 8 MiB */
export const MAX_METADATA = 8 * 1024 * 1024
/** reserved[5] & 0x10: the peer speaks BEP 10. */
export const EXTENSION_BIT = 0x10

export interface ExtHandshake { utMetadata: number | undefined, metadataSize: number | undefined }

export function encodeExtHandshake (metadataSize: number | undefined): Uint8Array {
  return bencode({ m: { ut_metadata: UT_METADATA_ID }, ...(metadataSize !== undefined ? { metadata_size: metadataSize } : {}), v: 'overlaykit 0.1' })
}

export function decodeExtHandshake (payload: Uint8Array): ExtHandshake {
  const d = asDict(bdecode(payload, { maxBytes: 64 * 1024, maxDepth: 8 }), 'extended handshake')
  const m = d.entries.get('m')
  const ut = isDict(m) ? m.entries.get('ut_metadata') : undefined
  const size = d.entries.get('metadata_size')
  return {
    utMetadata: typeof ut === 'number' && ut > 0 && ut < 256 ? ut : undefined,
    metadataSize: typeof size === 'number' && size > 0 && size <= MAX_METADATA ? size : undefined
  }
}

export type UtMetadataMsg =
  | { kind: 'request', piece: number }
  | { kind: 'data', piece: number, totalSize: number, data: Uint8Array }
  | { kind: 'reject', piece: number }

export function encodeUtMetadata (m: UtMetadataMsg): Uint8Array {
  if (m.kind === 'request') return bencode({ msg_type: 0, piece: m.piece })
  if (m.kind === 'reject') return bencode({ msg_type: 2, piece: m.piece })
  const head = bencode({ msg_type: 1, piece: m.piece, total_size: m.totalSize })
  const out = new Uint8Array(head.length + m.data.length)
  out.set(head); out.set(m.data, head.length)
  return out
}

export function decodeUtMetadata (payload: Uint8Array): UtMetadataMsg {
  const { value, end } = bdecodePrefix(payload, { maxBytes: METADATA_PIECE + 1024, maxDepth: 4 })
  const d = asDict(value, 'ut_metadata')
  const type = asInt(d.entries.get('msg_type'), 'msg_type', 0, 2)
  const piece = asInt(d.entries.get('piece'), 'piece', 0, Math.ceil(MAX_METADATA / METADATA_PIECE))
  if (type === 0) return { kind: 'request', piece }
  if (type === 2) return { kind: 'reject', piece }
  const totalSize = asInt(d.entries.get('total_size'), 'total_size', 1, MAX_METADATA)
  const data = payload.subarray(end)
  if (data.length > METADATA_PIECE) throw new DecodeError('ut_metadata: piece over 16 KiB')
  return { kind: 'data', piece, totalSize, data }
}
