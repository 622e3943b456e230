import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { signerFromPrivateKey, signerFromSeed, verifySignature, publicKeyOf } from '../../src/overlay/identity.js'
import { refuse, PENALTY } from '../../src/overlay/penalty.js'
import { Stats } from '../../src/overlay/stats.js'

describe('overlay identity', () => {
  it('a libp2p Ed25519 key signs; anyone verifies with nothing but the peer id', async () => {
    const key = await generateKeyPair('Ed25519')
    const signer = signerFromPrivateKey(key)
    assert.equal(signer.id, peerIdFromPrivateKey(key).toString())
    const data = new TextEncoder().encode('hello')
    const sig = signer.sign(data)
    assert.equal(verifySignature(signer.id, data, sig), true)
    assert.equal(verifySignature(signer.id, new TextEncoder().encode('hellO'), sig), false)
    const other = signerFromSeed(new Uint8Array(32).fill(7))
    assert.equal(verifySignature(other.id, data, sig), false)
  })

  it('seeded identities are deterministic', () => {
    const a = signerFromSeed(new Uint8Array(32).fill(1))
    const b = signerFromSeed(new Uint8Array(32).fill(1))
    assert.equal(a.id, b.id)
    const data = new Uint8Array([1, 2, 3])
    assert.equal(verifySignature(b.id, data, a.sign(data)), true)
  })

  it('malformed ids, wrong-length and garbage signatures are false, never a throw', () => {
    const a = signerFromSeed(new Uint8Array(32).fill(2))
    const data = new Uint8Array([9])
    assert.equal(verifySignature('not-a-peer-id', data, a.sign(data)), false)
    assert.equal(verifySignature(a.id, data, new Uint8Array(10)), false)
    assert.equal(verifySignature(a.id, data, new Uint8Array(64)), false)
    assert.equal(publicKeyOf('n17'), undefined)
  })

  it('refuse counts under the stable name and reports the penalty', () => {
    const stats = new Stats()
    const seen: Array<[string, string, number]> = []
    refuse({ stats, penalize: (p, r, w) => seen.push([p.id, r, w]) }, { id: 'x' }, 'gossip:bad-signature', PENALTY.invalid)
    refuse({ stats }, { id: 'y' }, 'gossip:bad-signature')
    assert.equal(stats.get('gossip:bad-signature'), 2)
    assert.deepEqual(seen, [['x', 'gossip:bad-signature', 10]])
  })
})

describe('simulated identities', () => {
  it('a signed sim node is named by its peer id and signs through env.signer', async () => {
    const { Simulator, simIdentity } = await import('../../src/sim/index.js')
    const { pingSpec } = await import('../../src/ping/index.js')
    const sim = new Simulator({ seed: 1 })
    const signer = simIdentity(1, 0)
    assert.equal(signer.id, simIdentity(1, 0).id)
    assert.notEqual(signer.id, simIdentity(2, 0).id)
    const node = sim.spawn(pingSpec, {}, { signer })
    assert.equal(node.id, signer.id)
    const data = new Uint8Array([4, 2])
    assert.equal(verifySignature(node.id, data, node.env.signer!.sign(data)), true)
  })
})
