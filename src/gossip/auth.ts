/**
 * Signed updates. An update is signed by its origin with the origin's identity key; the origin name is
 * `<peer id>/<incarnation>` and the peer id part is the key that must have signed it, so a relay can
 * neither forge another node's update nor claim its next sequence number. The signature covers every
 * field a receiver acts on (origin, seq, time, kind, topic, key, Lamport clock, size, deps) and the
 * SHA-256 of the payload, so an announcement without its body verifies too and the body is checked
 * against the hash when it arrives. Map entries handed on by anti-entropy carry the write they came
 * from and verify the same way.
 *
 * Cost (this machine, Node 24, Ed25519 through node:crypto): see the `signed` option in options.ts.
 */
import { sha256 } from '../overlay/hash.js'
import { type Signer, verifySignature } from '../overlay/identity.js'
import { type MapEntryWire, type Update, UpdateKind } from './types.js'

const DOMAIN = 'overlaykit/gossip/update/1'
const enc = new TextEncoder()

/** The peer id part of an origin name (`<peer id>/<incarnation>`). */
export function originPeer (origin: string): string {
  const i = origin.lastIndexOf('/')
  return i < 0 ? origin : origin.slice(0, i)
}

/** Payloads at least this large keep their hash (verifying and storing an update both need it). */
const MEMO_FROM = 4096
const hashes = new WeakMap<Uint8Array, Uint8Array>()

/** The SHA-256 of the update's payload (an announcement carries it); computed once per payload. */
export function payloadHash (u: Update): Uint8Array {
  if (u.hash !== undefined) return u.hash
  const data = u.data ?? new Uint8Array(0)
  if (data.byteLength < MEMO_FROM) return sha256(data)
  let h = hashes.get(data)
  if (h === undefined) { h = sha256(data); hashes.set(data, h) }
  return h
}

/** The bytes an origin signs: a domain tag, every field in a fixed order, and the payload's hash. */
export function signedBytes (u: Update): Uint8Array {
  const fields = JSON.stringify([DOMAIN, u.origin, u.seq, u.time, u.kind, u.topic, u.key ?? null, u.lamport ?? null, u.size,
    (u.deps ?? []).map(d => [d.origin, d.seq])])
  const head = enc.encode(fields)
  const out = new Uint8Array(head.byteLength + 32)
  out.set(head, 0)
  out.set(payloadHash(u), head.byteLength)
  return out
}

export function signUpdate (signer: Signer, u: Update): Update {
  return { ...u, sig: signer.sign(signedBytes(u)) }
}

/** Did the peer named in the origin sign this update? False for a missing or bad signature. */
export function verifyUpdate (u: Update): boolean {
  return u.sig !== undefined && verifySignature(originPeer(u.origin), signedBytes(u), u.sig)
}

/** The update a map entry came from (what its writer signed). */
export function entryUpdate (w: MapEntryWire): Update {
  const data = w.deleted ? new Uint8Array(0) : (w.value ?? new Uint8Array(0))
  return {
    origin: w.origin,
    seq: w.seq,
    time: w.time,
    kind: w.deleted ? UpdateKind.Delete : UpdateKind.Put,
    topic: '',
    key: w.key,
    lamport: w.lamport,
    size: data.byteLength,
    data,
    ...(w.deps !== undefined ? { deps: w.deps } : {}),
    ...(w.sig !== undefined ? { sig: w.sig } : {})
  }
}
