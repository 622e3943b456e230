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
const keyCache = new Map<string, PublicKey | null>()

/** The public key embedded in a peer id (Ed25519 and secp256k1 ids), or undefined for anything else. */
export function publicKeyOf (peerId: string): PublicKey | undefined {
  let key = keyCache.get(peerId)
  if (key === undefined) {
    try {
      key = peerIdFromString(peerId).publicKey ?? null
    } catch {
      key = null
    }
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value as string)
    keyCache.set(peerId, key)
  }
  return key ?? undefined
}

/**
 * Did `peerId`'s key sign `data`? False (never a throw) for a malformed id, an id without an embedded
 * key, a wrong-length signature or a bad signature.
 */
export function verifySignature (peerId: string, data: Uint8Array, sig: Uint8Array): boolean {
  const key = publicKeyOf(peerId)
  if (key == null || sig.byteLength !== SIGNATURE_BYTES) return false
  try {
    const ok = key.verify(data, sig)
    if (typeof ok === 'boolean') return ok
    // An asynchronous implementation (not Ed25519 in Node or browsers): verify with noble instead.
    return key.type === 'Ed25519' && ed25519.verify(sig, data, key.raw)
  } catch {
    return false
  }
}
