/**
 * Telling a newer peer's message from garbage in protons-generated codecs. protons throws a plain
 * Error for an enum value it does not know; when the rest of the frame is well-formed protobuf,
 * the frame is a message type this version lacks, and the codec should throw UnknownTypeError.
 */
import { reader, type Codec as PbCodec } from 'protons-runtime'

/**
 * The first value of top-level enum field `field` that `kind` refuses, provided all of `bytes` is
 * well-formed protobuf; otherwise undefined (then the frame is garbage, not an unknown type).
 */
export function unknownEnum (bytes: Uint8Array, field: number, kind: PbCodec<any>): number | undefined {
  let found: number | undefined
  try {
    const r = reader(bytes)
    while (r.pos < r.len) {
      const tag = r.uint32()
      if (tag >>> 3 === field && (tag & 7) === 0) {
        const at = r.pos
        const value = r.int32()
        const end = r.pos
        r.pos = at
        try { kind.decode(r) } catch { found ??= value }
        r.pos = end
      } else {
        r.skipType(tag & 7)
      }
    }
  } catch {
    return undefined
  }
  return found
}
