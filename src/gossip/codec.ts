/**
 * The gossip codec: protobuf (protons; pb.ts is generated from gossip.proto with
 * `protons src/gossip/gossip.proto` and renamed) with hard limits on every list and string.
 */
import { decodeGuard } from '../overlay/codec.js'
import { LimitError, UnknownTypeError } from '../overlay/errors.js'
import type { Codec } from '../overlay/types.js'
import { GossipFrame } from './pb.js'
import type { AeMode, Dep, Descriptor, DigestEntry, GossipMessage, MapEntryWire, Update, UpdateId, UpdateKind } from './types.js'
import { unknownEnum } from '../overlay/pb-enum.js'
import { SIGNATURE_BYTES } from '../overlay/identity.js'

/** Hard limits of the wire format. */
export const LIMITS = {
  frameBytes: 2 * 1024 * 1024 + 64 * 1024,
  updates: 256,
  known: 1024,
  digest: 4096,
  extra: 4096,
  entries: 1024,
  peers: 64,
  addrs: 16,
  deps: 64,
  string: 1024
} as const

const T = GossipFrame.Type
const AE_MODES: AeMode[] = ['push', 'pull', 'push-pull']

function str (s: string, what: string): string {
  if (s.length > LIMITS.string) throw new Error(`${what} of ${s.length} chars exceeds ${LIMITS.string}`)
  return s
}

function num (n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${what} is not a safe non-negative integer`)
  return n
}

function encUpdate (u: Update): GossipFrame.Update {
  return {
    origin: u.origin,
    seq: u.seq,
    time: u.time,
    kind: u.kind,
    topic: u.topic,
    key: u.key,
    lamport: u.lamport,
    data: u.data as Uint8Array<ArrayBuffer> | undefined,
    hash: u.hash as Uint8Array<ArrayBuffer> | undefined,
    size: u.size,
    deps: (u.deps ?? []).map(d => ({ origin: d.origin, seq: d.seq })),
    sig: u.sig as Uint8Array<ArrayBuffer> | undefined
  }
}

function decUpdate (f: GossipFrame.Update): Update {
  if (!Number.isFinite(f.time)) throw new Error('update time is not finite')
  if (f.kind > 2) throw new Error(`unknown update kind ${f.kind}`)
  if (f.hash !== undefined && f.hash.byteLength !== 32) throw new Error('hash is not 32 bytes')
  if (f.sig !== undefined && f.sig.byteLength !== SIGNATURE_BYTES) throw new Error(`signature is not ${SIGNATURE_BYTES} bytes`)
  const deps = decDeps(f.deps)
  const u: Update = {
    origin: str(f.origin, 'origin'),
    seq: num(f.seq, 'seq'),
    time: f.time,
    kind: f.kind as UpdateKind,
    topic: str(f.topic, 'topic'),
    size: f.size,
    ...(f.key !== undefined ? { key: str(f.key, 'key') } : {}),
    ...(f.lamport !== undefined ? { lamport: num(f.lamport, 'lamport') } : {}),
    ...(f.data !== undefined ? { data: f.data } : {}),
    ...(f.hash !== undefined ? { hash: f.hash } : {}),
    ...(deps.length > 0 ? { deps } : {}),
    ...(f.sig !== undefined ? { sig: f.sig } : {})
  }
  return u
}

function decDeps (deps: GossipFrame.Dep[]): Dep[] {
  return deps.map(d => ({ origin: str(d.origin, 'dep origin'), seq: num(d.seq, 'dep seq') }))
}

const encIds = (ids: readonly UpdateId[]): GossipFrame.Dep[] => ids.map(i => ({ origin: i.origin, seq: i.seq }))
const decIds = (ids: GossipFrame.Dep[]): UpdateId[] => ids.map(i => ({ origin: str(i.origin, 'origin'), seq: num(i.seq, 'seq') }))

const encDigest = (d: readonly DigestEntry[]): GossipFrame.DigestEntry[] => d.map(e => ({ origin: e.origin, watermark: e.watermark, extra: [...e.extra] }))
const decDigest = (d: GossipFrame.DigestEntry[]): DigestEntry[] => d.map(e => ({
  origin: str(e.origin, 'origin'), watermark: num(e.watermark, 'watermark'), extra: e.extra.map(x => num(x, 'extra'))
}))

const encEntries = (es: readonly MapEntryWire[]): GossipFrame.MapEntry[] => es.map(e => ({
  key: e.key,
  lamport: e.lamport,
  node: e.node,
  value: e.value as Uint8Array<ArrayBuffer> | undefined,
  deleted: e.deleted,
  origin: e.origin,
  seq: e.seq,
  time: e.time,
  deps: (e.deps ?? []).map(d => ({ origin: d.origin, seq: d.seq })),
  sig: e.sig as Uint8Array<ArrayBuffer> | undefined
}))
const decEntries = (es: GossipFrame.MapEntry[]): MapEntryWire[] => es.map(e => {
  if (!Number.isFinite(e.time)) throw new Error('entry time is not finite')
  if (e.sig !== undefined && e.sig.byteLength !== SIGNATURE_BYTES) throw new Error(`signature is not ${SIGNATURE_BYTES} bytes`)
  const deps = decDeps(e.deps)
  return {
    key: str(e.key, 'key'),
    lamport: num(e.lamport, 'lamport'),
    node: str(e.node, 'node'),
    deleted: e.deleted,
    origin: str(e.origin, 'origin'),
    seq: num(e.seq, 'seq'),
    time: e.time,
    ...(e.value !== undefined && !e.deleted ? { value: e.value } : {}),
    ...(deps.length > 0 ? { deps } : {}),
    ...(e.sig !== undefined ? { sig: e.sig } : {})
  }
})

const encPeers = (ps: readonly Descriptor[]): GossipFrame.Descriptor[] => ps.map(p => ({ id: p.id, addrs: [...(p.addrs ?? [])], age: p.age }))
const decPeers = (ps: GossipFrame.Descriptor[]): Descriptor[] => ps.map(p => ({
  id: str(p.id, 'peer id'), age: p.age, ...(p.addrs.length > 0 ? { addrs: p.addrs.map(a => str(a, 'addr')) } : {})
}))

function toFrame (m: GossipMessage): Partial<GossipFrame> & { type: GossipFrame.Type } {
  switch (m.type) {
    case 'rumor': return { type: T.RUMOR, updates: m.updates.map(encUpdate), pull: m.pull }
    case 'reply': return { type: T.REPLY, updates: m.updates.map(encUpdate), known: encIds(m.known), fresh: encIds(m.fresh) }
    case 'feedback': return { type: T.FEEDBACK, known: encIds(m.known), fresh: encIds(m.fresh) }
    case 'busy': return { type: T.BUSY }
    case 'ae': return { type: T.AE, aeMode: AE_MODES.indexOf(m.mode), sum: m.sum, mapSum: m.mapSum }
    case 'ae-reply': return {
      type: T.AE_REPLY,
      digest: encDigest(m.digest),
      hasDigest: true,
      mapSum: m.mapSum,
      entries: encEntries(m.entries ?? []),
      hasEntries: m.entries !== undefined
    }
    case 'ae-push': return {
      type: T.AE_PUSH,
      updates: m.updates.map(encUpdate),
      entries: encEntries(m.entries ?? []),
      hasEntries: m.entries !== undefined,
      digest: encDigest(m.digest ?? []),
      hasDigest: m.digest !== undefined
    }
    case 'fetch': return { type: T.FETCH, origin: m.origin, seq: m.seq }
    case 'body': return { type: T.BODY, origin: m.origin, seq: m.seq, data: m.data as Uint8Array<ArrayBuffer> | undefined }
    case 'shuffle': return { type: T.SHUFFLE, peers: encPeers(m.entries) }
    case 'shuffle-reply': return { type: T.SHUFFLE_REPLY, peers: encPeers(m.entries) }
  }
}

function fromFrame (f: GossipFrame): GossipMessage {
  switch (f.type) {
    case T.RUMOR: return { type: 'rumor', updates: f.updates.map(decUpdate), pull: f.pull }
    case T.REPLY: return { type: 'reply', updates: f.updates.map(decUpdate), known: decIds(f.known), fresh: decIds(f.fresh) }
    case T.FEEDBACK: return { type: 'feedback', known: decIds(f.known), fresh: decIds(f.fresh) }
    case T.BUSY: return { type: 'busy' }
    case T.AE: {
      const mode = AE_MODES[f.aeMode]
      if (mode === undefined) throw new Error(`unknown anti-entropy mode ${f.aeMode}`)
      return { type: 'ae', mode, sum: num(f.sum, 'sum'), mapSum: f.mapSum }
    }
    case T.AE_REPLY: return {
      type: 'ae-reply',
      digest: decDigest(f.digest),
      mapSum: f.mapSum,
      ...(f.hasEntries ? { entries: decEntries(f.entries) } : {})
    }
    case T.AE_PUSH: return {
      type: 'ae-push',
      updates: f.updates.map(decUpdate),
      ...(f.hasEntries ? { entries: decEntries(f.entries) } : {}),
      ...(f.hasDigest ? { digest: decDigest(f.digest) } : {})
    }
    case T.FETCH: return { type: 'fetch', origin: str(f.origin, 'origin'), seq: num(f.seq, 'seq') }
    case T.BODY: return { type: 'body', origin: str(f.origin, 'origin'), seq: num(f.seq, 'seq'), ...(f.data !== undefined ? { data: f.data } : {}) }
    case T.SHUFFLE: return { type: 'shuffle', entries: decPeers(f.peers) }
    case T.SHUFFLE_REPLY: return { type: 'shuffle-reply', entries: decPeers(f.peers) }
    // unreachable while protons refuses unknown enum values itself (see decodeFrame)
    default: throw new UnknownTypeError(String(f.type))
  }
}

/** The protobuf frame; a well-formed frame whose `type` this version does not know throws UnknownTypeError. */
function decodeFrame (b: Uint8Array): GossipFrame {
  try {
    return GossipFrame.decode(b, { limits: decodeLimits } as any)
  } catch (err) {
    // protons throws a plain Error for an enum value it does not know: a newer peer's type, not garbage
    const type = unknownEnum(b, 1, GossipFrame.Type.codec())
    if (type !== undefined) throw new UnknownTypeError(type, `unknown gossip message type ${type}`)
    throw err
  }
}

const decodeLimits = {
  updates: LIMITS.updates,
  updates$: { deps: LIMITS.deps },
  entries$: { deps: LIMITS.deps },
  known: LIMITS.known,
  fresh: LIMITS.known,
  digest: LIMITS.digest,
  digest$: { extra: LIMITS.extra },
  entries: LIMITS.entries,
  peers: LIMITS.peers,
  peers$: { addrs: LIMITS.addrs }
}

export const gossipCodec: Codec<GossipMessage> = {
  maxFrameBytes: LIMITS.frameBytes,
  encode (msg) {
    const bytes = GossipFrame.encode(toFrame(msg) as GossipFrame)
    if (bytes.byteLength > LIMITS.frameBytes) throw new LimitError(`gossip frame of ${bytes.byteLength} bytes exceeds ${LIMITS.frameBytes}`)
    return bytes
  },
  decode (bytes) {
    return decodeGuard('gossip', bytes, LIMITS.frameBytes, b => fromFrame(decodeFrame(b)))
  },
  typeOf (msg) { return msg.type },
  sizeOf (msg) { return GossipFrame.encode(toFrame(msg) as GossipFrame).byteLength }
}
