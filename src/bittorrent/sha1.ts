/** SHA-1 (BEP 3 piece and info hashes) and hex helpers. Pure JS, so machines may use it. */
import { sha1 as nobleSha1 } from '@noble/hashes/legacy.js'

/** SHA-1 of one buffer, or of the concatenation of several (a piece kept as its blocks). */
export type Sha1 = (data: Uint8Array | readonly Uint8Array[]) => Uint8Array

export const sha1: Sha1 = (data) => {
  if (data instanceof Uint8Array) return nobleSha1(data)
  const h = nobleSha1.create()
  for (const part of data) h.update(part)
  return h.digest()
}

export function toHex (b: Uint8Array): string {
  let s = ''
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16)
  return s
}

export function fromHex (s: string): Uint8Array {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new Error('not hex')
  const out = new Uint8Array(s.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16)
  return out
}

export function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
