/**
 * Gnutella 0.4 descriptors, byte for byte (protocol spec rev 1.2):
 *
 *   header (23 bytes): descriptor id (16) | payload descriptor (1) | TTL (1) | hops (1) | payload length (4, LE)
 *   0x00 Ping     : no payload
 *   0x01 Pong     : port (2, LE) | IPv4 (4, big-endian) | files shared (4, LE) | kilobytes shared (4, LE)
 *   0x40 Push     : servent id (16) | file index (4, LE) | IPv4 (4, BE) | port (2, LE)
 *   0x80 Query    : minimum speed (2, LE) | search criteria, NUL-terminated
 *   0x81 QueryHit : number of hits (1) | port (2, LE) | IPv4 (4, BE) | speed (4, LE) | result set |
 *                   [extended QHD: vendor code (4) | open data size (1) | open data | private data] | servent id (16)
 *                   result = file index (4, LE) | file size (4, LE) | file name NUL | extension NUL
 *
 * libp2p adaptations, each in a slot later servents used for extensions, so the 0.4 fields keep their
 * layout and meaning:
 * - a result's hash goes between the two NULs as "urn:sha256:<hex>" (the HUGE convention);
 * - a servent's libp2p identity (peer id + up to 4 multiaddrs), which IPv4:port cannot express, is a
 *   "peer block" — 0xC3 (the GGEP magic byte), id length (1), id, address count (1), then per address
 *   length (2, LE) and bytes — appended after the fixed Pong and Push payloads, and in the QueryHit's
 *   QHD private data (vendor code "OVKT", open data = flags byte with bit 0 "push needed" and a mask byte
 *   saying bit 0 is valid, as in the BearShare QHD);
 * - a connection handshake as in 0.4: "GNUTELLA CONNECT/0.4\n\n" and "GNUTELLA OK\n\n"; refusing a
 *   full servent and closing are "GNUTELLA 503\n\n" and "GNUTELLA BYE\n\n" (0.4 just dropped the TCP
 *   connection, which a libp2p stream shared with other overlays cannot express). All are shorter than
 *   a 23-byte header, so they are never confused with a descriptor.
 */
import { ByteReader, ByteWriter } from '../overlay/codec.js'
import { DecodeError, LimitError, UnknownTypeError } from '../overlay/errors.js'
import { fromHex, toHex } from '../overlay/ids.js'
import type { PeerRef } from '../overlay/types.js'

export const HEADER_BYTES = 23
/** Largest payload accepted or produced (servents of the time dropped larger descriptors). */
export const MAX_PAYLOAD = 64 * 1024
/** Longest search criteria, bytes. */
export const MAX_CRITERIA = 256
export const MAX_NAME = 255
export const MAX_PEER_ID = 128
export const MAX_PEER_ADDRS = 4
export const MAX_ADDR = 255

export const PAYLOAD = { ping: 0x00, pong: 0x01, push: 0x40, query: 0x80, queryhit: 0x81 } as const

export interface Header {
  /** 16-byte descriptor id as 32 lowercase hex digits. */
  readonly id: string
  readonly ttl: number
  readonly hops: number
}

export interface HitResult {
  readonly index: number
  readonly size: number
  readonly name: string
  /** SHA-256 hex from the "urn:sha256:" extension, when present. */
  readonly hash?: string
}

export type Descriptor =
  | Header & { readonly type: 'ping' }
  | Header & { readonly type: 'pong', readonly port: number, readonly ip: string, readonly files: number, readonly kbytes: number, readonly peer?: PeerRef }
  | Header & { readonly type: 'query', readonly minSpeed: number, readonly criteria: string }
  | Header & {
    readonly type: 'queryhit', readonly port: number, readonly ip: string, readonly speed: number,
    readonly results: readonly HitResult[], readonly servent: string, readonly push: boolean, readonly vendor?: string, readonly peer?: PeerRef
  }
  | Header & { readonly type: 'push', readonly servent: string, readonly index: number, readonly ip: string, readonly port: number, readonly peer?: PeerRef }

export type Handshake = { readonly type: 'connect' } | { readonly type: 'ok' } | { readonly type: 'busy' } | { readonly type: 'bye' }

export const HANDSHAKES: Record<Handshake['type'], string> = {
  connect: 'GNUTELLA CONNECT/0.4\n\n',
  ok: 'GNUTELLA OK\n\n',
  busy: 'GNUTELLA 503\n\n',
  bye: 'GNUTELLA BYE\n\n'
}

const enc = new TextEncoder()
const dec = new TextDecoder('utf-8', { fatal: false })
const latin = new TextDecoder('latin1')

function ipToBytes (ip: string): Uint8Array {
  const parts = ip.split('.').map(Number)
  if (parts.length !== 4 || parts.some(p => !Number.isInteger(p) || p < 0 || p > 255)) throw new LimitError(`not an IPv4 address: ${ip}`)
  return Uint8Array.from(parts)
}

function writePeer (w: ByteWriter, peer: PeerRef): void {
  const id = enc.encode(peer.id)
  if (id.byteLength > MAX_PEER_ID) throw new LimitError('peer id too long')
  const addrs = (peer.addrs ?? []).slice(0, MAX_PEER_ADDRS).map(a => enc.encode(a)).filter(a => a.byteLength <= MAX_ADDR)
  w.u8(0xc3).u8(id.byteLength).bytes(id).u8(addrs.length)
  for (const a of addrs) w.u16le(a.byteLength).bytes(a)
}

function readPeer (r: ByteReader): PeerRef {
  if (r.u8() !== 0xc3) throw new DecodeError('peer block without its 0xC3 magic')
  const idLen = r.u8()
  if (idLen === 0 || idLen > MAX_PEER_ID) throw new DecodeError(`peer id of ${idLen} bytes`)
  const id = dec.decode(r.bytesN(idLen))
  const n = r.u8()
  if (n > MAX_PEER_ADDRS) throw new DecodeError(`${n} peer addresses exceed ${MAX_PEER_ADDRS}`)
  const addrs: string[] = []
  for (let i = 0; i < n; i++) {
    const len = r.u16le()
    if (len > MAX_ADDR) throw new DecodeError('peer address too long')
    addrs.push(dec.decode(r.bytesN(len)))
  }
  return addrs.length > 0 ? { id, addrs } : { id }
}

function writePayload (w: ByteWriter, d: Descriptor): void {
  switch (d.type) {
    case 'ping': break
    case 'pong':
      w.u16le(d.port).bytes(ipToBytes(d.ip)).u32le(d.files).u32le(d.kbytes)
      if (d.peer !== undefined) writePeer(w, d.peer)
      break
    case 'push':
      w.bytes(fromHex(d.servent)).u32le(d.index).bytes(ipToBytes(d.ip)).u16le(d.port)
      if (d.peer !== undefined) writePeer(w, d.peer)
      break
    case 'query': {
      const c = enc.encode(d.criteria)
      if (c.byteLength > MAX_CRITERIA || c.includes(0)) throw new LimitError('search criteria too long or containing NUL')
      w.u16le(d.minSpeed).bytes(c).u8(0)
      break
    }
    case 'queryhit': {
      if (d.results.length > 255) throw new LimitError('a QueryHit carries at most 255 results')
      w.u8(d.results.length).u16le(d.port).bytes(ipToBytes(d.ip)).u32le(d.speed)
      for (const r of d.results) {
        const name = enc.encode(r.name)
        if (name.byteLength > MAX_NAME || name.includes(0)) throw new LimitError('file name too long or containing NUL')
        w.u32le(r.index).u32le(r.size).bytes(name).u8(0)
        if (r.hash !== undefined) w.bytes(enc.encode(`urn:sha256:${r.hash}`))
        w.u8(0)
      }
      if (d.vendor !== undefined || d.peer !== undefined || d.push) {
        w.bytes(enc.encode((d.vendor ?? 'OVKT').padEnd(4, ' ').slice(0, 4))).u8(2).u8(d.push ? 1 : 0).u8(1)
        if (d.peer !== undefined) writePeer(w, d.peer)
      }
      w.bytes(fromHex(d.servent))
      break
    }
  }
}

/** Encode one descriptor: 23-byte header then payload. */
export function encodeDescriptor (d: Descriptor): Uint8Array {
  if (!/^[0-9a-f]{32}$/.test(d.id)) throw new LimitError('descriptor id must be 16 bytes (32 hex digits)')
  const payload = new ByteWriter(MAX_PAYLOAD, 64)
  writePayload(payload, d)
  const body = payload.finish()
  const w = new ByteWriter(HEADER_BYTES + MAX_PAYLOAD, HEADER_BYTES + body.byteLength)
  w.bytes(fromHex(d.id)).u8(PAYLOAD[d.type]).u8(d.ttl & 0xff).u8(d.hops & 0xff).u32le(body.byteLength).bytes(body)
  return w.finish()
}

const HUGE_SHA256 = /^urn:sha256:([0-9a-f]{64})$/

function readPayload (type: number, h: Header, p: Uint8Array): Descriptor {
  const r = new ByteReader(p)
  switch (type) {
    case PAYLOAD.ping:
      r.end()
      return { type: 'ping', ...h }
    case PAYLOAD.pong: {
      const port = r.u16le(); const ip = r.bytesN(4).join('.'); const files = r.u32le(); const kbytes = r.u32le()
      const peer = r.remaining > 0 ? readPeer(r) : undefined
      r.end()
      return peer !== undefined ? { type: 'pong', ...h, port, ip, files, kbytes, peer } : { type: 'pong', ...h, port, ip, files, kbytes }
    }
    case PAYLOAD.push: {
      const servent = toHex(r.bytesN(16)); const index = r.u32le(); const ip = r.bytesN(4).join('.'); const port = r.u16le()
      const peer = r.remaining > 0 ? readPeer(r) : undefined
      r.end()
      return peer !== undefined ? { type: 'push', ...h, servent, index, ip, port, peer } : { type: 'push', ...h, servent, index, ip, port }
    }
    case PAYLOAD.query: {
      const minSpeed = r.u16le()
      const criteria = dec.decode(r.until(0, MAX_CRITERIA))
      // bytes after the NUL were later used for extensions; 0.4 servents ignored them, so do we
      return { type: 'query', ...h, minSpeed, criteria }
    }
    case PAYLOAD.queryhit: {
      const n = r.u8(); const port = r.u16le(); const ip = r.bytesN(4).join('.'); const speed = r.u32le()
      const results: HitResult[] = []
      for (let i = 0; i < n; i++) {
        const index = r.u32le(); const size = r.u32le()
        const name = dec.decode(r.until(0, MAX_NAME))
        const ext = latin.decode(r.until(0, MAX_NAME))
        const m = HUGE_SHA256.exec(ext)
        results.push(m !== null ? { index, size, name, hash: m[1] } : { index, size, name })
      }
      const qhd = r.remaining - 16
      if (qhd < 0) throw new DecodeError('QueryHit without its servent id')
      let push = false; let vendor: string | undefined; let peer: PeerRef | undefined
      if (qhd > 0) {
        if (qhd < 5) throw new DecodeError(`QHD of ${qhd} bytes is too short`)
        const q = new ByteReader(r.bytesN(qhd))
        vendor = latin.decode(q.bytesN(4))
        const openSize = q.u8()
        const open = q.bytesN(openSize)
        if (openSize >= 2 && (open[1] & 1) === 1) push = (open[0] & 1) === 1
        if (q.remaining > 0 && vendor === 'OVKT') { peer = readPeer(q); q.end() }
      }
      const servent = toHex(r.bytesN(16))
      r.end()
      const d: Descriptor = { type: 'queryhit', ...h, port, ip, speed, results, servent, push }
      return { ...d, ...(vendor !== undefined ? { vendor } : {}), ...(peer !== undefined ? { peer } : {}) }
    }
    default:
      throw new UnknownTypeError(type, `unknown payload descriptor 0x${type.toString(16).padStart(2, '0')}`)
  }
}

/** Decode exactly one descriptor; the payload length must equal the bytes that follow the header. */
export function decodeDescriptor (bytes: Uint8Array): Descriptor {
  if (bytes.byteLength < HEADER_BYTES) throw new DecodeError(`descriptor of ${bytes.byteLength} bytes is shorter than the 23-byte header`)
  const r = new ByteReader(bytes)
  const id = toHex(r.bytesN(16))
  const type = r.u8(); const ttl = r.u8(); const hops = r.u8(); const len = r.u32le()
  if (len > MAX_PAYLOAD) throw new DecodeError(`payload length ${len} exceeds ${MAX_PAYLOAD}`)
  if (len !== r.remaining) throw new DecodeError(`payload length ${len} disagrees with the ${r.remaining} bytes that follow`)
  return readPayload(type, { id, ttl, hops }, r.rest())
}

export function encodeHandshake (h: Handshake): Uint8Array { return enc.encode(HANDSHAKES[h.type]) }

/** The handshake these bytes spell, or undefined. */
export function decodeHandshake (bytes: Uint8Array): Handshake | undefined {
  if (bytes.byteLength >= HEADER_BYTES) return undefined
  const s = latin.decode(bytes)
  for (const [type, text] of Object.entries(HANDSHAKES)) if (s === text) return { type } as Handshake
  return undefined
}
