/**
 * The Chord codec: protobuf frames (protons, generated into pb.ts from chord.proto) with hard limits
 * on frame size, list lengths, string and key lengths. decode() throws only DecodeError: a well-formed
 * frame whose `type` this version does not know (a newer peer's message) throws its subclass
 * UnknownTypeError carrying the enum value, garbage a plain DecodeError. Ring ids are carried as
 * fixed-length big-endian bytes; whether an id is really derived from its peer id is checked by the
 * machine, not here.
 */
import { decodeGuard } from '../overlay/codec.js'
import { UnknownTypeError } from '../overlay/errors.js'
import { unknownEnum } from '../overlay/pb-enum.js'
import { protobufCheck } from '../overlay/pb-check.js'
import { bigIntToBytes, bytesToBigInt } from '../overlay/ids.js'
import type { Codec } from '../overlay/types.js'
import type { ChordMessage, WireItem } from './messages.js'
import { makeNode, type NodeInfo } from './node.js'
import { ChordFrame, type ChordItem, type ChordNode } from './pb.js'

export const LIMITS = {
  frameBytes: 2 * 1024 * 1024,
  nodes: 64,
  path: 64,
  items: 256,
  keys: 512,
  addrs: 16,
  providers: 256,
  peerChars: 128,
  addrChars: 256,
  keyBytes: 1024,
  exclude: 32,
  valueBytes: 1024 * 1024
}

const T = ChordFrame.Type
const toType: Record<ChordMessage['t'], ChordFrame.Type> = {
  find: T.FIND, next: T.NEXT, rfind: T.RFIND, rdone: T.RDONE, get_pred: T.GET_PRED, pred: T.PRED,
  notify: T.NOTIFY, ping: T.PING, pong: T.PONG, leave: T.LEAVE, store: T.STORE, stored: T.STORED,
  fetch: T.FETCH, fetched: T.FETCHED, digest: T.DIGEST, want: T.WANT, items: T.ITEMS
}

const DECODE_LIMITS = {
  limits: {
    nodes: LIMITS.nodes,
    nodes$: { addrs: LIMITS.addrs },
    path: LIMITS.path,
    path$: { addrs: LIMITS.addrs },
    node: { addrs: LIMITS.addrs },
    pred: { addrs: LIMITS.addrs },
    items: LIMITS.items,
    items$: { providers: LIMITS.providers, providers$: { addrs: LIMITS.addrs } },
    originAddrs: LIMITS.addrs,
    exclude: LIMITS.exclude,
    keys: LIMITS.keys,
    kinds: LIMITS.keys,
    versions: LIMITS.keys
  }
}

function fail (what: string): never { throw new Error(what) }

/** The protobuf frame; a well-formed frame whose `type` this version does not know throws UnknownTypeError. */
function decodeFrame (b: Uint8Array): ChordFrame {
  try {
    return ChordFrame.decode(b, DECODE_LIMITS as any)
  } catch (err) {
    // protons throws a plain Error for an enum value it does not know: a newer peer's type, not garbage
    const type = unknownEnum(b, 1, ChordFrame.Type.codec())
    if (type !== undefined) throw new UnknownTypeError(type, `unknown chord message type ${type}`)
    throw err
  }
}

export function chordCodec (bits = 160): Codec<ChordMessage> {
  const idBytes = Math.ceil(bits / 8)
  const top = 1n << BigInt(bits)

  const encNode = (n: NodeInfo): ChordNode => ({ peer: n.peer, vnode: n.vnode, id: bigIntToBytes(n.id, idBytes) as Uint8Array<ArrayBuffer>, addrs: [...(n.ref.addrs ?? [])] })
  const encItem = (w: WireItem): ChordItem => ({
    key: w.key as Uint8Array<ArrayBuffer>, kind: w.kind, version: w.version, value: w.value as Uint8Array<ArrayBuffer> | undefined, deleted: w.deleted,
    providers: w.providers.map(p => ({ peer: p.peer, addrs: p.addrs, expires: p.expires }))
  })
  const ringId = (b: Uint8Array): bigint => {
    if (b.byteLength !== idBytes) fail(`ring id of ${b.byteLength} bytes, expected ${idBytes}`)
    const v = bytesToBigInt(b)
    if (v >= top) fail('ring id out of range')
    return v
  }
  const str = (s: string, max: number, what: string): string => { if (s.length > max) fail(`${what} too long`); return s }
  const decNode = (n: ChordNode | undefined): NodeInfo => {
    if (n === undefined) fail('missing node')
    if (n.peer.length === 0) fail('empty peer id')
    if (n.vnode > 0xffff) fail('vnode index out of range')
    const addrs = n.addrs.map(a => str(a, LIMITS.addrChars, 'address'))
    return makeNode(str(n.peer, LIMITS.peerChars, 'peer id'), n.vnode, bits, addrs, ringId(n.id))
  }
  const key = (b: Uint8Array): Uint8Array => { if (b.byteLength > LIMITS.keyBytes) fail('key too long'); return b }
  const decItem = (i: ChordItem): WireItem => {
    if (i.value !== undefined && i.value.byteLength > LIMITS.valueBytes) fail('value too large')
    if (i.kind > 1) fail('unknown item kind')
    if (!Number.isSafeInteger(i.version)) fail('bad version')
    return {
      key: key(i.key), kind: i.kind, version: i.version, value: i.value, deleted: i.deleted,
      providers: i.providers.map(p => ({ peer: str(p.peer, LIMITS.peerChars, 'peer id'), addrs: p.addrs.map(a => str(a, LIMITS.addrChars, 'address')), expires: p.expires }))
    }
  }

  return {
    maxFrameBytes: LIMITS.frameBytes,
    // garbage and unknown types are dropped by the driver without an exception (decode would throw)
    check: protobufCheck(ChordFrame.Type.codec(), LIMITS.frameBytes),
    encode (msg: ChordMessage): Uint8Array {
      const f: Partial<ChordFrame> & { type: ChordFrame.Type } = { type: toType[msg.t] }
      switch (msg.t) {
        case 'find': f.req = msg.req; f.key = bigIntToBytes(msg.key, idBytes) as Uint8Array<ArrayBuffer>; f.exclude = msg.exclude ?? []; f.flag = msg.confirm === true; f.kind = msg.succ === true ? 1 : 0; break
        case 'next': f.req = msg.req; f.flag = msg.done; f.nodes = msg.nodes.map(encNode); break
        case 'rfind': f.req = msg.req; f.key = bigIntToBytes(msg.key, idBytes) as Uint8Array<ArrayBuffer>; f.origin = msg.origin; f.originAddrs = msg.originAddrs; f.hops = msg.hops; f.path = msg.path.map(encNode); break
        case 'rdone': f.req = msg.req; f.nodes = msg.nodes.map(encNode); f.hops = msg.hops; f.path = msg.path.map(encNode); break
        case 'get_pred': f.req = msg.req; f.vnode = msg.vnode; break
        case 'pred': f.req = msg.req; f.flag = msg.ok; f.node = msg.pred === undefined ? undefined : encNode(msg.pred); f.nodes = msg.nodes.map(encNode); break
        case 'notify': f.vnode = msg.vnode; f.node = encNode(msg.node); break
        case 'ping': case 'pong': f.req = msg.req; break
        case 'leave': f.node = encNode(msg.node); f.pred = msg.pred === undefined ? undefined : encNode(msg.pred); f.nodes = msg.nodes.map(encNode); f.items = msg.items.map(encItem); break
        case 'store': f.req = msg.req; f.items = [encItem(msg.item)]; f.op = msg.op; break
        case 'stored': f.req = msg.req; f.flag = msg.ok; f.error = msg.error ?? ''; break
        case 'fetch': f.req = msg.req; f.key = msg.key as Uint8Array<ArrayBuffer>; f.kind = msg.kind; break
        case 'fetched': f.req = msg.req; f.key = msg.key as Uint8Array<ArrayBuffer>; f.kind = msg.kind; f.flag = msg.found; f.items = msg.item === undefined ? [] : [encItem(msg.item)]; break
        case 'digest': f.req = msg.req; f.keys = msg.keys as Array<Uint8Array<ArrayBuffer>>; f.kinds = msg.kinds; f.versions = msg.versions; f.lo = bigIntToBytes(msg.lo, idBytes) as Uint8Array<ArrayBuffer>; f.hi = bigIntToBytes(msg.hi, idBytes) as Uint8Array<ArrayBuffer>; f.flag = msg.last; break
        case 'want': f.req = msg.req; f.keys = msg.keys as Array<Uint8Array<ArrayBuffer>>; f.kinds = msg.kinds; break
        case 'items': f.items = msg.items.map(encItem); f.flag = msg.handoff; break
      }
      return ChordFrame.encode(f as ChordFrame)
    },
    decode (bytes: Uint8Array): ChordMessage {
      return decodeGuard('chord', bytes, LIMITS.frameBytes, b => {
        const f = decodeFrame(b)
        if (f.nodes.length > LIMITS.nodes || f.path.length > LIMITS.path || f.items.length > LIMITS.items || f.keys.length > LIMITS.keys) fail('list too long')
        switch (f.type) {
          case T.FIND: {
            if (f.exclude.length > LIMITS.exclude) fail('exclude list too long')
            const exclude = f.exclude.map(x => str(x, LIMITS.peerChars, 'peer id'))
            const m: ChordMessage = { t: 'find', req: f.req, key: ringId(f.key) }
            if (exclude.length > 0) m.exclude = exclude
            if (f.flag) m.confirm = true
            if (f.kind === 1) m.succ = true
            return m
          }
          case T.NEXT: return { t: 'next', req: f.req, done: f.flag, nodes: f.nodes.map(decNode) }
          case T.RFIND: return { t: 'rfind', req: f.req, key: ringId(f.key), origin: str(f.origin, LIMITS.peerChars, 'origin'), originAddrs: f.originAddrs.map(a => str(a, LIMITS.addrChars, 'address')), hops: f.hops, path: f.path.map(decNode) }
          case T.RDONE: return { t: 'rdone', req: f.req, nodes: f.nodes.map(decNode), hops: f.hops, path: f.path.map(decNode) }
          case T.GET_PRED: return { t: 'get_pred', req: f.req, vnode: f.vnode }
          case T.PRED: return { t: 'pred', req: f.req, ok: f.flag, pred: f.node === undefined ? undefined : decNode(f.node), nodes: f.nodes.map(decNode) }
          case T.NOTIFY: return { t: 'notify', vnode: f.vnode, node: decNode(f.node) }
          case T.PING: return { t: 'ping', req: f.req }
          case T.PONG: return { t: 'pong', req: f.req }
          case T.LEAVE: return { t: 'leave', node: decNode(f.node), pred: f.pred === undefined ? undefined : decNode(f.pred), nodes: f.nodes.map(decNode), items: f.items.map(decItem) }
          case T.STORE: {
            if (f.items.length !== 1) fail('store carries exactly one item')
            if (f.op !== 'put' && f.op !== 'delete' && f.op !== 'provide') fail('unknown store op')
            return { t: 'store', req: f.req, item: decItem(f.items[0]), op: f.op }
          }
          case T.STORED: return { t: 'stored', req: f.req, ok: f.flag, error: f.error === '' ? undefined : str(f.error, 1024, 'error') }
          case T.FETCH: if (f.kind > 1) fail('unknown kind'); return { t: 'fetch', req: f.req, key: key(f.key), kind: f.kind }
          case T.FETCHED: return { t: 'fetched', req: f.req, key: key(f.key), kind: f.kind, found: f.flag, item: f.items[0] === undefined ? undefined : decItem(f.items[0]) }
          case T.DIGEST: {
            if (f.kinds.length !== f.keys.length || f.versions.length !== f.keys.length) fail('digest lists differ in length')
            return { t: 'digest', req: f.req, keys: f.keys.map(key), kinds: f.kinds, versions: f.versions, lo: ringId(f.lo), hi: ringId(f.hi), last: f.flag }
          }
          case T.WANT: if (f.kinds.length !== f.keys.length) fail('want lists differ in length'); return { t: 'want', req: f.req, keys: f.keys.map(key), kinds: f.kinds }
          case T.ITEMS: return { t: 'items', items: f.items.map(decItem), handoff: f.flag }
          // unreachable while protons refuses unknown enum values itself (see decodeFrame)
          default: throw new UnknownTypeError(String(f.type), `unknown chord message type ${String(f.type)}`)
        }
      })
    },
    typeOf (msg: ChordMessage): string { return msg.t },
    sizeOf (msg: ChordMessage): number { return this.encode(msg).byteLength }
  }
}

export const chordCodec160 = chordCodec(160)
