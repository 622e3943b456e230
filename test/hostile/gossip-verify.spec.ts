/**
 * Signatures checked off the event loop (src/gossip/verifying.ts). The driver's thread pool is stood
 * in for by a queue the test answers, with real Ed25519 checks, in the order it chooses: nothing is
 * stored, delivered or forwarded before its check, and forged copies that arrive first — a wrong
 * signature, the real signature on other bytes, other bytes signed by someone else — neither get in
 * nor make the real update look like a duplicate.
 */
import assert from 'node:assert/strict'
import { verifySignature } from '../../src/overlay/identity.js'
import { fakeNode, type FakeNode } from '../gossip/helpers.js'
import { attackerKeys, craft } from './gossip-helpers.js'

interface Check { peerId: string, data: Uint8Array, sig: Uint8Array, token: string }

const OPTS = { mode: 'none' as const, antiEntropy: { periodMs: 0 }, signed: true }

function victim (maxPendingChecks?: number): { v: FakeNode, checks: Check[], answer: (c: Check) => void } {
  const checks: Check[] = []
  const [key] = attackerKeys(1, 'victim')
  const v = fakeNode('victim', { ...OPTS, maxPendingChecks: maxPendingChecks ?? 1024 }, 1, key, {
    verify: (peerId, data, sig, token) => { checks.push({ peerId, data, sig, token }) }
  })
  return { v, checks, answer: c => { v.machine.onVerified(c.token, verifySignature(c.peerId, c.data, c.sig)) } }
}

const delivered = (v: FakeNode): string[] => v.events.filter(e => e.type === 'gossip:deliver').map(e => new TextDecoder().decode(e.data as Uint8Array))

describe('gossip: signatures checked off the event loop, under attack', () => {
  const [honest, evilKey] = attackerKeys(2, 'verify-off-loop')
  const origin = `${honest.id}/1`
  const real = craft({ origin, seq: 1, time: 0, text: 'real', by: honest })
  const otherBytes = craft({ origin, seq: 1, time: 0, text: 'fake', by: evilKey })
  const wrongSig = { ...real, sig: otherBytes.sig }
  const realSigOtherBytes = { ...otherBytes, sig: real.sig }

  for (const order of ['forgeries answered first', 'real copy answered first'] as const) {
    it(`forged copies that arrive first neither get in nor silence the real update (${order})`, () => {
      const { v, checks, answer } = victim()
      const evil = { id: 'evil' }
      for (const f of [otherBytes, wrongSig, realSigOtherBytes]) v.machine.onMessage(evil, { type: 'rumor', updates: [f], pull: false })
      v.machine.onMessage({ id: 'relay' }, { type: 'rumor', updates: [real], pull: false })
      // a byte-identical copy of one waiting is not checked twice
      v.machine.onMessage({ id: 'relay2' }, { type: 'rumor', updates: [real], pull: false })
      assert.equal(checks.length, 4, 'one check per differing copy')
      assert.equal(v.stats.get('gossip:duplicate'), 1)
      assert.deepEqual(delivered(v), [], 'nothing delivered before its check')
      assert.equal(v.machine.storedCount, 0, 'nothing stored before its check')
      const realCheck = checks[3]
      const forged = checks.slice(0, 3)
      for (const c of order === 'forgeries answered first' ? [...forged, realCheck] : [realCheck, ...forged]) answer(c)
      assert.deepEqual(delivered(v), ['real'])
      assert.equal(v.stats.get('gossip:bad-signature'), 3)
      assert.equal(v.machine.storedCount, 1)
      assert.equal(v.machine.has({ origin, seq: 1 }), true)
      // a replay after it got in is a plain duplicate, not checked again
      v.machine.onMessage(evil, { type: 'rumor', updates: [real], pull: false })
      assert.equal(checks.length, 4)
    })
  }

  it('past maxPendingChecks an update is verified on the loop at once (nothing lost); answers after a stop are ignored', () => {
    const { v, checks, answer } = victim(2)
    const ups = [1, 2, 3].map(seq => craft({ origin, seq, time: 0, text: `m${seq}`, by: honest }))
    v.machine.onMessage({ id: 'relay' }, { type: 'rumor', updates: ups, pull: false })
    assert.equal(checks.length, 2)
    assert.deepEqual(delivered(v), ['m3'], 'the third was verified synchronously')
    answer(checks[0])
    assert.deepEqual(delivered(v), ['m3', 'm1'])
    v.machine.stop()
    answer(checks[1])
    assert.deepEqual(delivered(v), ['m3', 'm1'], 'an answer after stop changes nothing')
  })
})
