/**
 * Bencode (BEP 3). Encoding uses the `bencode` npm package, so what we write is exactly what stock
 * tools write (sorted dictionary keys, byte strings). Decoding is our own strict parser with hard
 * limits, because torrents and tracker replies come from strangers: it rejects leading zeros, "-0",
 * unsorted or duplicate keys, trailing bytes, excessive depth and oversized strings, throws only
 * DecodeError, and remembers where each dictionary value sits in the input so the info hash can be
 * computed over the exact `info` bytes (never a re-encoding).
 */
import bencodeLib from 'bencode'
import { DecodeError } from '../overlay/errors.js'

export type BValue = number | Uint8Array | BValue[] | BDict
/** A decoded dictionary: keys as latin1 strings (lossless for any byte), plus raw value spans. */
export interface BDict {
  readonly kind: 'dict'
  readonly entries: Map<string, BValue>
  /** [start, end) of each value in the input, for hashing `info` as sent. */
  readonly spans: Map<string, [number, number]>
}

export interface BDecodeLimits {
  /** @default 8 MiB */
  maxBytes?: number
  /** Nesting depth of lists and dicts. @default 32 */
  maxDepth?: number
  /** Total number of values (stops "l l l l ..." bombs). @default 1_000_000 */
  maxItems?: number
}

/** Encode with the stock library. Strings are UTF-8; Uint8Arrays are raw byte strings. */
export function bencode (value: unknown): Uint8Array {
  return bencodeLib.encode(value)
}

const latin1 = new TextDecoder('latin1')

export function bdecode (bytes: Uint8Array, limits: BDecodeLimits = {}): BValue {
  const { value, end } = bdecodePrefix(bytes, limits)
  if (end !== bytes.length) throw new DecodeError(`bencode: ${bytes.length - end} trailing bytes at offset ${end}`)
  return value
}

/** Decode one value at the start of `bytes`; `end` is where it stops (BEP 9 data messages carry raw bytes after the dict). */
export function bdecodePrefix (bytes: Uint8Array, limits: BDecodeLimits = {}): { value: BValue, end: number } {
  const maxBytes = limits.maxBytes ?? 8 * 1024 * 1024
  const maxDepth = limits.maxDepth ?? 32
  const maxItems = limits.maxItems ?? 1_000_000
  if (bytes.byteLength > maxBytes) throw new DecodeError(`bencode: ${bytes.byteLength} bytes exceeds ${maxBytes}`)
  let pos = 0
  let items = 0

  const fail = (why: string): never => { throw new DecodeError(`bencode: ${why} at offset ${pos}`) }

  const readInt = (terminator: number): number => {
    const start = pos
    let neg = false
    if (bytes[pos] === 0x2d) { neg = true; pos++ }
    const digitsStart = pos
    let v = 0
    while (pos < bytes.length && bytes[pos] >= 0x30 && bytes[pos] <= 0x39) {
      v = v * 10 + (bytes[pos] - 0x30)
      pos++
    }
    const digits = pos - digitsStart
    if (digits === 0) fail('expected digits')
    if (digits > 1 && bytes[digitsStart] === 0x30) fail('leading zero')
    if (neg && v === 0) fail('negative zero')
    if (!Number.isSafeInteger(v)) fail('integer out of range')
    if (bytes[pos] !== terminator) fail('bad integer terminator')
    pos++
    if (pos - start > 20) fail('integer too long')
    return neg ? -v : v
  }

  const readString = (): Uint8Array => {
    const n = readInt(0x3a)
    if (n < 0) fail('negative length')
    if (pos + n > bytes.length) fail('string runs past the end')
    const out = bytes.subarray(pos, pos + n)
    pos += n
    return out
  }

  const next = (depth: number): BValue => {
    if (++items > maxItems) fail('too many values')
    if (pos >= bytes.length) fail('unexpected end')
    const c = bytes[pos]
    if (c === 0x69) { pos++; return readInt(0x65) }
    if (c >= 0x30 && c <= 0x39) return readString()
    if (depth >= maxDepth) fail('nested too deep')
    if (c === 0x6c) {
      pos++
      const list: BValue[] = []
      while (true) {
        if (pos >= bytes.length) fail('unterminated list')
        if (bytes[pos] === 0x65) { pos++; return list }
        list.push(next(depth + 1))
      }
    }
    if (c === 0x64) {
      pos++
      const entries = new Map<string, BValue>()
      const spans = new Map<string, [number, number]>()
      let prev: Uint8Array | undefined
      while (true) {
        if (pos >= bytes.length) fail('unterminated dict')
        if (bytes[pos] === 0x65) { pos++; return { kind: 'dict', entries, spans } }
        if (bytes[pos] < 0x30 || bytes[pos] > 0x39) fail('dict key is not a string')
        const keyBytes = readString()
        if (prev !== undefined && compareBytes(prev, keyBytes) >= 0) fail('dict keys unsorted or duplicated')
        prev = keyBytes
        const start = pos
        const value = next(depth + 1)
        const key = latin1.decode(keyBytes)
        entries.set(key, value)
        spans.set(key, [start, pos])
      }
    }
    return fail(`unexpected byte 0x${c.toString(16)}`)
  }

  const value = next(0)
  return { value, end: pos }
}

function compareBytes (a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return a.length - b.length
}

// --- typed accessors for decoded values; each throws DecodeError naming the field ---

export function isDict (v: BValue | undefined): v is BDict {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v)
}

export function asDict (v: BValue | undefined, what: string): BDict {
  if (!isDict(v)) throw new DecodeError(`${what}: expected a dictionary`)
  return v
}

export function asInt (v: BValue | undefined, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number') throw new DecodeError(`${what}: expected an integer`)
  if (v < min || v > max) throw new DecodeError(`${what}: ${v} out of range [${min}, ${max}]`)
  return v
}

export function asBytes (v: BValue | undefined, what: string, maxLen = Number.MAX_SAFE_INTEGER): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new DecodeError(`${what}: expected a byte string`)
  if (v.length > maxLen) throw new DecodeError(`${what}: ${v.length} bytes exceeds ${maxLen}`)
  return v
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
export function asText (v: BValue | undefined, what: string, maxLen = 4096): string {
  const b = asBytes(v, what, maxLen)
  try { return utf8.decode(b) } catch { throw new DecodeError(`${what}: not UTF-8`) }
}

export function asList (v: BValue | undefined, what: string, maxLen = 100_000): BValue[] {
  if (!Array.isArray(v)) throw new DecodeError(`${what}: expected a list`)
  if (v.length > maxLen) throw new DecodeError(`${what}: ${v.length} items exceeds ${maxLen}`)
  return v
}
