/**
 * Who signed this? Overlay data that travels beyond its sender (gossip updates, signed Chord records)
 * is signed by its author's libp2p key, and the author *is* its peer id: a verifier needs nothing but
 * the peer id string, because Ed25519 peer ids embed their public key. Synchronous, so machines can
 * sign and verify inside a message handler; the live runtime hands a machine its node's key as a
 * Signer, the simulator a deterministic key from the seed.
 */
import { privateKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { ed25519 } from '@noble/curves/ed25519.js'
import type { PrivateKey, PublicKey } from '@libp2p/interface'
import { nodeCrypto, type NodeCrypto } from './native-crypto.js'

// libp2p's Ed25519 builds a KeyObject from a JWK on every call (about a quarter of a verification):
// where Node's crypto is at hand (native-crypto.ts) we keep one KeyObject per key instead
// DER prefixes of an Ed25519 SubjectPublicKeyInfo and PKCS#8 private key (RFC 8410): prefix + 32 raw bytes
const SPKI_ED25519 = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00])
const PKCS8_ED25519 = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20])

function der (prefix: Uint8Array, raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.byteLength + 32)
  out.set(prefix, 0)
  out.set(raw.subarray(0, 32), prefix.byteLength)
  return out
}

/** Signs with one node's identity key. `id` is that key's peer id string. */
export interface Signer {
  readonly id: string
  sign (data: Uint8Array): Uint8Array
}

/** Ed25519 signatures are 64 bytes. */
export const SIGNATURE_BYTES = 64

/** A Signer over a libp2p private key. Only keys that sign synchronously (Ed25519, the libp2p default) qualify. */
export function signerFromPrivateKey (key: PrivateKey): Signer {
  if (key.type !== 'Ed25519') throw new TypeError(`overlay data is signed with Ed25519 keys; this node's key is ${key.type}`)
  const id = peerIdFromPrivateKey(key).toString()
  // Node's crypto signs Ed25519 synchronously; where an implementation returns a promise, use noble.
  const seed = key.raw.subarray(0, 32)
  if (nodeCrypto !== undefined) {
    const native = nodeCrypto
    const ko = native.createPrivateKey({ key: der(PKCS8_ED25519, seed), format: 'der', type: 'pkcs8' })
    return { id, sign: (data) => new Uint8Array(native.sign(null, data, ko)) }
  }
  return {
    id,
    sign (data) {
      const sig = key.sign(data)
      return sig instanceof Uint8Array ? sig : ed25519.sign(data, seed)
    }
  }
}

/** A deterministic Ed25519 identity from a 32-byte seed (simulator nodes, tests). */
export function signerFromSeed (seed: Uint8Array): Signer & { readonly privateKey: PrivateKey } {
  if (seed.byteLength !== 32) throw new TypeError('an Ed25519 seed is 32 bytes')
  const pub = ed25519.getPublicKey(seed)
  const raw = new Uint8Array(64)
  raw.set(seed, 0)
  raw.set(pub, 32)
  const privateKey = privateKeyFromRaw(raw)
  return { ...signerFromPrivateKey(privateKey), privateKey }
}

// Parsing a peer id and building its key costs more than a verification; peers repeat, so cache a few.
const KEY_CACHE_MAX = 4096
interface CachedKey { key: PublicKey, native?: unknown }
const keyCache = new Map<string, CachedKey | null>()

function cachedKey (peerId: string): CachedKey | undefined {
  let entry = keyCache.get(peerId)
  if (entry === undefined) {
    entry = null
    try {
      const key = peerIdFromString(peerId).publicKey
      if (key !== undefined) {
        entry = { key }
        if (nodeCrypto !== undefined && key.type === 'Ed25519') entry.native = nodeCrypto.createPublicKey({ key: der(SPKI_ED25519, key.raw), format: 'der', type: 'spki' })
      }
    } catch {
      entry = null
    }
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value as string)
    keyCache.set(peerId, entry)
  }
  return entry ?? undefined
}

/** The public key embedded in a peer id (Ed25519 and secp256k1 ids), or undefined for anything else. */
export function publicKeyOf (peerId: string): PublicKey | undefined {
  return cachedKey(peerId)?.key
}

/**
 * Did `peerId`'s key sign `data`? False (never a throw) for a malformed id, an id without an embedded
 * key, a wrong-length signature or a bad signature.
 */
export function verifySignature (peerId: string, data: Uint8Array, sig: Uint8Array): boolean {
  const entry = cachedKey(peerId)
  if (entry === undefined || sig.byteLength !== SIGNATURE_BYTES) return false
  const key = entry.key
  try {
    if (entry.native !== undefined) return (nodeCrypto as NodeCrypto).verify(null, data, entry.native, sig)
    const ok = key.verify(data, sig)
    if (typeof ok === 'boolean') return ok
    // An asynchronous implementation (not Ed25519 in Node or browsers): verify with noble instead.
    return key.type === 'Ed25519' && ed25519.verify(sig, data, key.raw)
  } catch {
    return false
  }
}

/** Can signatures be verified off the event loop here (Node's crypto on libuv's thread pool)? */
export const canVerifyOffLoop = nodeCrypto !== undefined

/**
 * `verifySignature` off the event loop: Ed25519 keys are checked on libuv's thread pool and `done`
 * is called later with the answer; anything else (a malformed id, another key type, a wrong-length
 * signature, no Node crypto) is answered synchronously first and `done` called in a microtask. `done`
 * is always called exactly once, never synchronously.
 */
export function verifySignatureOffLoop (peerId: string, data: Uint8Array, sig: Uint8Array, done: (ok: boolean) => void): void {
  const entry = cachedKey(peerId)
  if (entry?.native === undefined || nodeCrypto === undefined || sig.byteLength !== SIGNATURE_BYTES) {
    const ok = verifySignature(peerId, data, sig)
    queueMicrotask(() => { done(ok) })
    return
  }
  try {
    nodeCrypto.verify(null, data, entry.native, sig, (err, ok) => { done(err === null && ok) })
  } catch {
    queueMicrotask(() => { done(false) })
  }
}
