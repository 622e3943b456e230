/** Readers remember signed records they verified (by content): a second read skips the signature check, a changed byte never does. */
import assert from 'node:assert/strict'
import * as kv from '../../src/chord/kv.js'
import { chordSpecFor } from '../../src/chord/spec.js'
import { itemId, KIND_VALUE } from '../../src/chord/store.js'
import { utf8 } from '../../src/overlay/ids.js'
import { Simulator } from '../../src/sim/index.js'
import { simIdentity } from '../../src/sim/identity.js'
import { FAST, settle, wait, type ChordNode } from './helpers.js'

describe('chord signed reads: verified-record memo', () => {
  it('a repeated get of the same record is not verified twice; a tampered copy with the same signature is refused', () => {
    const sim = new Simulator({ seed: 5, perNodeStats: true })
    const spec = chordSpecFor(64)
    const nodes: ChordNode[] = []
    for (let i = 0; i < 6; i++) {
      if (i > 0) sim.run({ until: sim.now + 100 })
      nodes.push(sim.spawn(spec, { ...FAST, bits: 64, bootstrap: i === 0 ? [] : [nodes[0].ref] }, { signer: simIdentity(5, i) }))
    }
    assert.deepEqual(settle(sim, nodes), [])
    const key = wait<Uint8Array>(sim, cb => kv.putSigned(nodes[0].machine, 'profile', utf8('v1'), cb)).v as Uint8Array
    sim.run({ until: sim.now + 3000 })
    // a reader that holds no copy: every read fetches the record from another node
    const reader = nodes.find(n => n.machine.store.get(itemId(KIND_VALUE, key)) === undefined) as ChordNode
    const cached = (): number => reader.stats.get('chord:read-verify-cached')
    for (let i = 0; i < 2; i++) {
      const r = wait<Uint8Array>(sim, cb => kv.get(reader.machine, key, cb))
      assert.equal(r.err, null)
      assert.equal(new TextDecoder().decode(r.v), 'v1')
    }
    assert.equal(cached(), 1)

    // the stored bytes with one value byte changed, signature kept: not a memo hit, and invalid
    const holder = nodes.find(n => n.machine.store.get(itemId(KIND_VALUE, key)) !== undefined) as ChordNode
    const good = holder.machine.store.get(itemId(KIND_VALUE, key))?.value as Uint8Array
    const bad = good.slice()
    bad[bad.byteLength - 64 - 1] ^= 1
    assert.equal(reader.machine.kv.adm.read(holder.ref, key, bad), false)
    assert.equal(cached(), 1)
    assert.equal(reader.machine.kv.adm.read(holder.ref, key, good), true)
    assert.equal(cached(), 2)
  })
})
