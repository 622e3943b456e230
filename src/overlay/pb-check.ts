/**
 * A cheap, non-throwing check of protobuf frames for `Codec.check`: the bytes are well-formed at the
 * top level (every field has a valid tag — field number ≥ 1, an existing wire type — and its value
 * fits in the bytes; groups are balanced), and the message-type enum field holds
 * a value this version knows. The driver then drops garbage and unknown types without an exception
 * (throwing and catching, even without a stack trace, was most of a rejected frame's cost: 3.5–4.5× a
 * valid ping's whole read path). 'ok' does not promise that decode succeeds (limits, nested messages
 * are decode's to check). The check is a little stricter than protons' decode, which reads a field it
 * knows by its declared type whatever the wire type says: a frame whose wire types do not fit its
 * bytes is refused here even when protons would have read something from it (no encoder produces
 * one; test/runtime/codec-check.spec.ts bounds how often a fuzzed frame falls in that gap).
 */
import { reader, type Codec as PbCodec } from 'protons-runtime'
import type { CheckResult } from './types.js'

/**
 * -1 when `bytes` is not well-formed protobuf at the top level; otherwise the last value of the
 * top-level varint field `field` (0 when absent, the protobuf default; -2 when over 2^31).
 */
export function pbScan (bytes: Uint8Array, field: number): number {
  const len = bytes.byteLength
  let pos = 0
  let found = 0
  // groups (wire types 3/4, which protons skips like protobufjs does): nesting depth
  let depth = 0
  while (pos < len) {
    // tag: a varint of at most 5 bytes
    let tag = 0
    let shift = 0
    let b: number
    do {
      if (pos >= len || shift > 28) return -1
      b = bytes[pos++]
      tag += (b & 0x7f) * 2 ** shift
      shift += 7
    } while (b >= 0x80)
    switch (tag & 7) {
      case 0: {
        // a varint of at most 10 bytes
        let v = 0
        shift = 0
        do {
          if (pos >= len || shift > 63) return -1
          b = bytes[pos++]
          if (shift < 35) v += (b & 0x7f) * 2 ** shift
          shift += 7
        } while (b >= 0x80)
        if (depth === 0 && tag >>> 3 === field) found = v < 2 ** 31 ? v : -2
        break
      }
      case 1: pos += 8; break
      case 5: pos += 4; break
      case 2: {
        let l = 0
        shift = 0
        do {
          if (pos >= len || shift > 28) return -1
          b = bytes[pos++]
          l += (b & 0x7f) * 2 ** shift
          shift += 7
        } while (b >= 0x80)
        pos += l
        break
      }
      case 3: depth++; break
      case 4: if (depth === 0) return -1; depth--; break
      default: return -1 // wire types 6, 7 do not exist
    }
    if (pos > len) return -1
  }
  return depth === 0 ? found : -1
}

/**
 * A `Codec.check` for a protons codec whose message type is the enum `typeField` (top level): the
 * values the enum codec accepts are probed once (0–255), then each check is one scan of the bytes.
 */
export function protobufCheck (typeEnum: PbCodec<any>, maxFrameBytes: number, typeField = 1): (bytes: Uint8Array) => CheckResult {
  const known = new Set<number>()
  for (let v = 0; v < 256; v++) {
    try { typeEnum.decode(reader(Uint8Array.of(v & 0x7f))); if (v < 128) known.add(v) } catch { /* not a value */ }
  }
  return bytes => {
    if (bytes.byteLength > maxFrameBytes) return 'undecodable'
    const t = pbScan(bytes, typeField)
    if (t === -1) return 'undecodable'
    return known.has(t) ? 'ok' : 'unknown-type'
  }
}
