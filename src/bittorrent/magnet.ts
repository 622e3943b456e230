/** Magnet links (BEP 9 URI form): xt=urn:btih:<40 hex | 32 base32>, dn, tr, x.pe. */
import { DecodeError } from '../overlay/errors.js'
import { fromHex, toHex } from './sha1.js'
import type { Metainfo } from './metainfo.js'

export interface Magnet {
  infoHash: string
  infoHashBytes: Uint8Array
  name?: string
  trackers: string[]
  /** x.pe peer addresses ("host:port" or multiaddrs). */
  peers: string[]
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

function base32Decode (s: string): Uint8Array {
  const out: number[] = []
  let bits = 0
  let value = 0
  for (const ch of s.toUpperCase()) {
    const v = B32.indexOf(ch)
    if (v < 0) throw new DecodeError('magnet: bad base32')
    value = (value << 5) | v
    bits += 5
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8 }
  }
  return Uint8Array.from(out)
}

export function parseMagnet (uri: string): Magnet {
  if (uri.length > 65536) throw new DecodeError('magnet: too long')
  if (!uri.startsWith('magnet:?')) throw new DecodeError('magnet: not a magnet URI')
  let params: URLSearchParams
  try { params = new URLSearchParams(uri.slice('magnet:?'.length)) } catch { throw new DecodeError('magnet: bad query') }
  let bytes: Uint8Array | undefined
  for (const xt of params.getAll('xt')) {
    const m = /^urn:btih:([0-9a-fA-F]{40}|[A-Za-z2-7]{32})$/.exec(xt)
    if (m === null) continue
    bytes = m[1].length === 40 ? fromHex(m[1]) : base32Decode(m[1])
    break
  }
  if (bytes === undefined) throw new DecodeError('magnet: no urn:btih info hash')
  const dn = params.get('dn')
  return {
    infoHash: toHex(bytes),
    infoHashBytes: bytes,
    name: dn ?? undefined,
    trackers: params.getAll('tr'),
    peers: params.getAll('x.pe')
  }
}

export function toMagnet (m: Pick<Metainfo, 'infoHash' | 'name' | 'announce'>, peers: string[] = []): string {
  const parts = [`xt=urn:btih:${m.infoHash}`]
  if (m.name !== '') parts.push(`dn=${encodeURIComponent(m.name)}`)
  for (const tr of m.announce) parts.push(`tr=${encodeURIComponent(tr)}`)
  for (const pe of peers) parts.push(`x.pe=${encodeURIComponent(pe)}`)
  return 'magnet:?' + parts.join('&')
}
