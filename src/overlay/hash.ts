/**
 * SHA-256 for machines. Large inputs go to the runtime's native hash where it is offered synchronously
 * (native-crypto.ts), everything
 * else to noble (browsers, and short inputs, where the native call costs as much as the hash). Same
 * digest either way. Measured here: 1 MiB in 1.6 ms native against 8 ms noble — what a flood of
 * large gossip updates costs the event loop per update.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { nodeCrypto } from './native-crypto.js'

/** Inputs from this size up are hashed natively when possible. */
const NATIVE_FROM = 4096

const native = nodeCrypto?.hash

export function sha256 (data: Uint8Array): Uint8Array {
  if (native !== undefined && data.byteLength >= NATIVE_FROM) {
    const d = native('sha256', data, 'buffer')
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
  }
  return nobleSha256(data)
}
