/**
 * Request ids and the ring mask, shared by every Chord host. A reply is accepted only for an open
 * request id (and, except for a recursive lookup's answer, only from the peer asked), so ids must be
 * unguessable wherever a peer may lie: live hosts draw them from `env.secret` (CSPRNG, fresh at every
 * start); simulated signed hosts from a secret derived from their own signature; unsigned simulated
 * hosts use a cheap bijective hash of (id, counter) with no per-host state (predictable: labs only).
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { ringSize, utf8 } from '../overlay/ids.js'
import type { Signer } from '../overlay/identity.js'

/** One mask per m, shared by every host (a 160-bit bigint per host is ~40 bytes at 10^6 hosts). */
const masks = new Map<number, bigint>()
export function maskOf (bits: number): bigint {
  let m = masks.get(bits)
  if (m === undefined) { m = ringSize(bits) - 1n; masks.set(bits, m) }
  return m
}

/** An unsigned node's n-th request id: FNV-1a of its id plus n·φ, through murmur3's finalizer (a bijection of n). */
export function unsignedRequestId (id: string, n: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  let x = (h + Math.imul(n, 0x9e3779b9)) | 0
  x ^= x >>> 16; x = Math.imul(x, 0x85ebca6b)
  x ^= x >>> 13; x = Math.imul(x, 0xc2b2ae35)
  x ^= x >>> 16
  return x >>> 0
}

/** Request ids from SHA-256(secret ‖ counter) blocks; `secret` runs once, on the first id. */
export function keyedRequestIds (secret: () => Uint8Array): () => number {
  let block = new Uint32Array(0)
  let pos = 0
  let counter = 0
  let input: Uint8Array | undefined
  return () => {
    if (pos >= block.length) {
      if (input === undefined) {
        const k = sha256(secret())
        input = new Uint8Array(40)
        input.set(k, 0)
      }
      new DataView(input.buffer).setFloat64(32, counter++)
      const h = sha256(input)
      block = new Uint32Array(h.buffer, h.byteOffset, 8)
      pos = 0
    }
    return block[pos++]
  }
}

/**
 * A host's request-id source (see ChordMachine.newReq): the live runtime's secret; else (simulated
 * signed hosts, deterministic) a secret derived from the host's signature, unpredictable without its
 * private key; else none: the caller falls back to unsignedRequestId.
 */
export function requestIdSource (secret: Uint8Array | undefined, signer: Signer | undefined): (() => number) | undefined {
  if (secret !== undefined && secret.byteLength >= 16) return keyedRequestIds(() => secret)
  if (signer !== undefined) return keyedRequestIds(() => signer.sign(utf8('overlaykit/chord/request-ids')))
  return undefined
}
