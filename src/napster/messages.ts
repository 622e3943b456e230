/**
 * OpenNap ("napster messages", 2000) frames: <length:2 LE><type:2 LE><data>, data ASCII (UTF-8 for
 * names), fields separated by spaces, file names in double quotes.
 *
 *   2   login              <nick> <password> <port> "<client-info>" <link-type> ["<addrs>"]
 *   3   login ack          <email>
 *   100 share file         "<filename>" <md5> <size> <bitrate> <freq> <time>
 *   102 remove file        "<filename>"
 *   200 search             FILENAME CONTAINS "<keywords>" MAX_RESULTS <n>
 *   201 search result      "<filename>" <md5> <size> <bitrate> <freq> <time> <nick> <ip> <link-type> ["<addrs>"]
 *   202 end of results     (empty)
 *   203 download request   <nick> "<filename>"
 *   204 download ack       <nick> <ip> <port> "<filename>" <md5> <linespeed> ["<addrs>"]
 *   206 download error     <nick> "<filename>"
 *   211 browse             <nick>
 *   212 browse result      <nick> "<filename>" <md5> <size> <bitrate> <freq> <time>
 *   213 end of browse      <nick>
 *   404 error message      <text>
 *   500 alternate (push) download request   <nick> "<filename>"
 *   501 alternate download ack (to holder)  <nick> <ip> <port> "<filename>" <md5> <speed> ["<addrs>"]
 *   751 ping / 752 pong    <nick>
 *
 * libp2p adaptations: the nick is the libp2p peer id; the "md5" field carries the SHA-256 hex of the
 * content (the hash downloads are verified against); <ip> is the IPv4 as an unsigned decimal (0 when
 * unknown); an optional trailing quoted field lists the peer's multiaddrs (comma-separated), because an
 * IPv4 and a port cannot name a libp2p peer. Port 0 means firewalled, as in OpenNap.
 */
import { ByteReader, ByteWriter } from '../overlay/codec.js'
import { DecodeError, LimitError, UnknownTypeError } from '../overlay/errors.js'

export const NAP_HEADER_BYTES = 4
/** Largest data part accepted or produced (lines are short; the 2-byte length allows 65535). */
export const NAP_MAX_DATA = 4096
export const NAP_MAX_NAME = 255
export const NAP_MAX_ADDRS = 4

export interface NapFileInfo {
  readonly name: string
  readonly hash: string
  readonly size: number
  readonly bitrate: number
  readonly freq: number
  readonly time: number
}

export type NapMsg =
  | { readonly type: 'login', readonly nick: string, readonly password: string, readonly port: number, readonly client: string, readonly link: number, readonly addrs: readonly string[] }
  | { readonly type: 'login-ack', readonly email: string }
  | { readonly type: 'share', readonly file: NapFileInfo }
  | { readonly type: 'unshare', readonly name: string }
  | { readonly type: 'search', readonly query: string, readonly max: number }
  | { readonly type: 'result', readonly file: NapFileInfo, readonly nick: string, readonly ip: number, readonly link: number, readonly addrs: readonly string[] }
  | { readonly type: 'end-results' }
  | { readonly type: 'download-req', readonly nick: string, readonly name: string }
  | { readonly type: 'download-ack', readonly nick: string, readonly ip: number, readonly port: number, readonly name: string, readonly hash: string, readonly speed: number, readonly addrs: readonly string[] }
  | { readonly type: 'download-err', readonly nick: string, readonly name: string }
  | { readonly type: 'browse', readonly nick: string }
  | { readonly type: 'browse-result', readonly nick: string, readonly file: NapFileInfo }
  | { readonly type: 'browse-end', readonly nick: string }
  | { readonly type: 'error', readonly text: string }
  | { readonly type: 'alt-download-req', readonly nick: string, readonly name: string }
  | { readonly type: 'alt-download-ack', readonly nick: string, readonly ip: number, readonly port: number, readonly name: string, readonly hash: string, readonly speed: number, readonly addrs: readonly string[] }
  | { readonly type: 'ping', readonly nick: string }
  | { readonly type: 'pong', readonly nick: string }

export const NAP_TYPES: Record<NapMsg['type'], number> = {
  login: 2,
  'login-ack': 3,
  share: 100,
  unshare: 102,
  search: 200,
  result: 201,
  'end-results': 202,
  'download-req': 203,
  'download-ack': 204,
  'download-err': 206,
  browse: 211,
  'browse-result': 212,
  'browse-end': 213,
  error: 404,
  'alt-download-req': 500,
  'alt-download-ack': 501,
  ping: 751,
  pong: 752
}
const BY_NUMBER = new Map<number, NapMsg['type']>(Object.entries(NAP_TYPES).map(([k, v]) => [v, k as NapMsg['type']]))

const enc = new TextEncoder()
const dec = new TextDecoder('utf-8', { fatal: false })

// ---- encoding helpers

function quote (s: string, max = NAP_MAX_NAME): string {
  if (s.includes('"') || /[\r\n\0]/.test(s)) throw new LimitError('quoted field may not contain quotes, NUL or line breaks')
  if (enc.encode(s).byteLength > max) throw new LimitError(`quoted field longer than ${max} bytes`)
  return `"${s}"`
}

function word (s: string): string {
  if (s.length === 0 || /[\s"]/.test(s)) throw new LimitError(`not a single word: ${JSON.stringify(s)}`)
  return s
}

function int (n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new LimitError(`not a non-negative integer: ${n}`)
  return String(n)
}

function addrsField (addrs: readonly string[]): string[] {
  const a = addrs.slice(0, NAP_MAX_ADDRS)
  return a.length === 0 ? [] : [quote(a.join(','), 1024)]
}

function fileFields (f: NapFileInfo): string[] {
  return [quote(f.name), word(f.hash), int(f.size), int(f.bitrate), int(f.freq), int(f.time)]
}

function dataOf (m: NapMsg): string {
  switch (m.type) {
    case 'login': return [word(m.nick), word(m.password), int(m.port), quote(m.client), int(m.link), ...addrsField(m.addrs)].join(' ')
    case 'login-ack': return word(m.email)
    case 'share': return fileFields(m.file).join(' ')
    case 'unshare': return quote(m.name)
    case 'search': return `FILENAME CONTAINS ${quote(m.query)} MAX_RESULTS ${int(m.max)}`
    case 'result': return [...fileFields(m.file), word(m.nick), int(m.ip), int(m.link), ...addrsField(m.addrs)].join(' ')
    case 'end-results': return ''
    case 'download-req': case 'download-err': case 'alt-download-req': return `${word(m.nick)} ${quote(m.name)}`
    case 'download-ack': case 'alt-download-ack':
      return [word(m.nick), int(m.ip), int(m.port), quote(m.name), word(m.hash), int(m.speed), ...addrsField(m.addrs)].join(' ')
    case 'browse': case 'browse-end': case 'ping': case 'pong': return word(m.nick)
    case 'browse-result': return [word(m.nick), ...fileFields(m.file)].join(' ')
    case 'error': return m.text.replace(/[\r\n\0]/g, ' ').slice(0, 512)
  }
}

export function encodeNap (m: NapMsg): Uint8Array {
  const data = enc.encode(dataOf(m))
  if (data.byteLength > NAP_MAX_DATA) throw new LimitError(`napster message of ${data.byteLength} bytes exceeds ${NAP_MAX_DATA}`)
  return new ByteWriter(NAP_HEADER_BYTES + NAP_MAX_DATA, NAP_HEADER_BYTES + data.byteLength).u16le(data.byteLength).u16le(NAP_TYPES[m.type]).bytes(data).finish()
}

// ---- decoding helpers

/** Split data into words and "quoted strings" (quotes removed). */
export function tokenize (s: string): Array<{ text: string, quoted: boolean }> {
  const out: Array<{ text: string, quoted: boolean }> = []
  let i = 0
  while (i < s.length) {
    if (s[i] === ' ') { i++; continue }
    if (s[i] === '"') {
      const end = s.indexOf('"', i + 1)
      if (end < 0) throw new DecodeError('unterminated quoted field')
      out.push({ text: s.slice(i + 1, end), quoted: true })
      i = end + 1
      if (i < s.length && s[i] !== ' ') throw new DecodeError('quoted field not followed by a space')
    } else {
      let end = s.indexOf(' ', i)
      if (end < 0) end = s.length
      const w = s.slice(i, end)
      if (w.includes('"')) throw new DecodeError('stray quote')
      out.push({ text: w, quoted: false })
      i = end
    }
    if (out.length > 64) throw new DecodeError('too many fields')
  }
  return out
}

class Fields {
  private i = 0
  constructor (private readonly t: Array<{ text: string, quoted: boolean }>) {}
  private next (what: string) {
    const f = this.t[this.i++]
    if (f === undefined) throw new DecodeError(`missing field: ${what}`)
    return f
  }

  word (what: string): string {
    const f = this.next(what)
    if (f.quoted || f.text.length === 0 || f.text.length > 128) throw new DecodeError(`bad ${what}`)
    return f.text
  }

  quoted (what: string, max = NAP_MAX_NAME): string {
    const f = this.next(what)
    if (!f.quoted || enc.encode(f.text).byteLength > max) throw new DecodeError(`bad ${what}`)
    return f.text
  }

  int (what: string, max = Number.MAX_SAFE_INTEGER): number {
    const w = this.word(what)
    if (!/^\d{1,16}$/.test(w)) throw new DecodeError(`${what} is not a number`)
    const n = Number(w)
    if (n > max) throw new DecodeError(`${what} ${n} exceeds ${max}`)
    return n
  }

  hash (): string {
    const h = this.word('hash')
    if (!/^[0-9a-f]{64}$/.test(h)) throw new DecodeError('hash is not 64 hex digits (SHA-256)')
    return h
  }

  addrs (): string[] {
    if (this.i >= this.t.length) return []
    const a = this.quoted('addrs', 1024).split(',').filter(x => x.length > 0)
    if (a.length > NAP_MAX_ADDRS) throw new DecodeError('too many addresses')
    return a
  }

  file (): NapFileInfo {
    return { name: this.quoted('filename'), hash: this.hash(), size: this.int('size'), bitrate: this.int('bitrate', 0xffff), freq: this.int('freq', 0xfffff), time: this.int('time', 0xffffff) }
  }

  end (): void { if (this.i !== this.t.length) throw new DecodeError(`${this.t.length - this.i} unexpected fields`) }
}

function parse (type: NapMsg['type'], s: string): NapMsg {
  if (type === 'error') return { type, text: s }
  const f = new Fields(tokenize(s))
  let m: NapMsg
  switch (type) {
    case 'login': m = { type, nick: f.word('nick'), password: f.word('password'), port: f.int('port', 0xffff), client: f.quoted('client'), link: f.int('link', 10), addrs: f.addrs() }; break
    case 'login-ack': m = { type, email: f.word('email') }; break
    case 'share': m = { type, file: f.file() }; break
    case 'unshare': m = { type, name: f.quoted('filename') }; break
    case 'search': {
      if (f.word('FILENAME') !== 'FILENAME' || f.word('CONTAINS') !== 'CONTAINS') throw new DecodeError('search must start FILENAME CONTAINS')
      const query = f.quoted('keywords')
      if (f.word('MAX_RESULTS') !== 'MAX_RESULTS') throw new DecodeError('expected MAX_RESULTS')
      m = { type, query, max: f.int('max', 0xffff) }
      break
    }
    case 'result': m = { type, file: f.file(), nick: f.word('nick'), ip: f.int('ip', 0xffffffff), link: f.int('link', 10), addrs: f.addrs() }; break
    case 'end-results': m = { type }; break
    case 'download-req': case 'download-err': case 'alt-download-req': m = { type, nick: f.word('nick'), name: f.quoted('filename') }; break
    case 'download-ack': case 'alt-download-ack':
      m = { type, nick: f.word('nick'), ip: f.int('ip', 0xffffffff), port: f.int('port', 0xffff), name: f.quoted('filename'), hash: f.hash(), speed: f.int('speed', 0xffff), addrs: f.addrs() }
      break
    case 'browse': case 'browse-end': case 'ping': case 'pong': m = { type, nick: f.word('nick') }; break
    case 'browse-result': m = { type, nick: f.word('nick'), file: f.file() }; break
  }
  f.end()
  return m
}

/** Decode exactly one frame; the length field must match the data that follows. */
export function decodeNap (bytes: Uint8Array): NapMsg {
  const r = new ByteReader(bytes)
  const len = r.u16le(); const num = r.u16le()
  if (len > NAP_MAX_DATA) throw new DecodeError(`data length ${len} exceeds ${NAP_MAX_DATA}`)
  if (len !== r.remaining) throw new DecodeError(`length field ${len} disagrees with the ${r.remaining} bytes that follow`)
  const type = BY_NUMBER.get(num)
  if (type === undefined) throw new UnknownTypeError(num, `unknown napster message type ${num}`)
  return parse(type, dec.decode(r.rest()))
}

/** IPv4 dotted → OpenNap's unsigned decimal (as the 4 bytes read little-endian, like the original servers). */
export function ipToNap (ip: string): number {
  const p = ip.split('.').map(Number)
  if (p.length !== 4 || p.some(x => !Number.isInteger(x) || x < 0 || x > 255)) return 0
  return ((p[3] << 24) >>> 0) + (p[2] << 16) + (p[1] << 8) + p[0]
}
