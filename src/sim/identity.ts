/**
 * Deterministic identities for simulated nodes: the i-th identity of a seed is always the same Ed25519
 * key, so a signed simulation is reproducible and its node ids are real peer ids that anyone verifies.
 * Deriving a key costs about a signature (~50 µs): spawn signed nodes only where signing is measured.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { type Signer, signerFromSeed } from '../overlay/identity.js'

export function simIdentity (seed: number | string, index: number): Signer {
  return signerFromSeed(sha256(new TextEncoder().encode(`overlaykit/sim-identity/${String(seed)}/${index}`)))
}
