/**
 * Identifier helpers for ring overlays: hash to an m-bit bigint, modular interval tests, hex.
 */
import { sha1 } from '@noble/hashes/legacy.js'
import { sha256 } from '@noble/hashes/sha2.js'

const enc = new TextEncoder()

export function utf8 (s: string): Uint8Array { return enc.encode(s) }

export function bytesToBigInt (bytes: Uint8Array): bigint {
  let v = 0n
  for (const b of bytes) v = (v << 8n) | BigInt(b)
  return v
}

export function bigIntToBytes (v: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = length - 1; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n }
  return out
}

export function sha1Bytes (data: Uint8Array | string): Uint8Array {
  return sha1(typeof data === 'string' ? utf8(data) : data)
}

export function sha256Bytes (data: Uint8Array | string): Uint8Array {
  return sha256(typeof data === 'string' ? utf8(data) : data)
}

/**
 * An m-bit identifier from arbitrary data: SHA-1 (m ≤ 160) or SHA-256 (m ≤ 256), top m bits.
 */
export function hashToId (data: Uint8Array | string, bits = 160): bigint {
  if (bits < 1 || bits > 256) throw new RangeError('id bits must be in [1, 256]')
  const digest = bits <= 160 ? sha1Bytes(data) : sha256Bytes(data)
  const v = bytesToBigInt(digest)
  return v >> BigInt(digest.length * 8 - bits)
}

export function ringSize (bits: number): bigint { return 1n << BigInt(bits) }

/** (a + b) mod 2^bits. */
export function addMod (a: bigint, b: bigint, bits: number): bigint {
  return (a + b) & (ringSize(bits) - 1n)
}

/** Clockwise distance from a to b on a 2^bits ring. */
export function distance (a: bigint, b: bigint, bits: number): bigint {
  return (b - a) & (ringSize(bits) - 1n)
}

/** x ∈ (a, b] on the ring. When a == b the interval is the whole ring. */
export function inHalfOpen (x: bigint, a: bigint, b: bigint): boolean {
  if (a < b) return x > a && x <= b
  if (a > b) return x > a || x <= b
  return true
}

/** x ∈ (a, b) on the ring. When a == b it is the whole ring except a. */
export function inOpen (x: bigint, a: bigint, b: bigint): boolean {
  if (a < b) return x > a && x < b
  if (a > b) return x > a || x < b
  return x !== a
}

/** Lowercase hex padded to bits/4 digits. */
export function idToHex (id: bigint, bits = 160): string {
  return id.toString(16).padStart(Math.ceil(bits / 4), '0')
}

export function hexToId (hex: string): bigint {
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw new RangeError(`not a hex id: ${hex}`)
  return BigInt('0x' + hex)
}

export function toHex (bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

export function fromHex (hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError('invalid hex string')
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}
