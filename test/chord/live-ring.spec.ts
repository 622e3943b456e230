import assert from 'node:assert/strict'
import { chord, type ChordService } from '../../src/chord/index.js'
import { checkRing, ownerOf, sortedRing } from '../../src/chord/oracle.js'
import { hashToId, utf8 } from '../../src/overlay/ids.js'
import { createSwarm, type Swarm } from '../../src/runtime/libp2p/swarm.js'

async function until (cond: () => boolean, what: string, limitMs: number): Promise<void> {
  const end = Date.now() + limitMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}

// Speed is the chord-live benchmark's business (ringFormationMs); this checks that a ring of 64 real
// libp2p nodes (identify and all) joining 8 at a time through one contact ends up exactly right.
describe('chord live ring of 64 (libp2p, memory)', function () {
  this.timeout(240_000)
  const n = 64
  let swarm: Swarm<{ chord: ChordService }> | undefined
  const svc = (i: number): ChordService => (swarm as Swarm<{ chord: ChordService }>).nodes[i].services.chord

  after(async () => { await swarm?.stop() })

  it('converges: every successor and predecessor is the right one, lookups find the true owner', async () => {
    swarm = await createSwarm(n, () => ({ chord: chord({ expectedNodes: n, rpcTimeoutMs: 2000, open: true }) }), { transport: 'memory', seed: 'chord-live-ring' })
    for (let i = 1; i < n; i += 8) await Promise.all(Array.from({ length: Math.min(8, n - i) }, async (_, j) => { await svc(i + j).join(swarm!.addr(0)) }))
    const machines = swarm.nodes.map(x => x.services.chord.machine)
    await until(() => checkRing(machines).length === 0, 'the ring invariant', 180_000)
    assert.deepEqual(checkRing(machines), [])
    assert.equal(sortedRing(machines).length, n)
    const ring = sortedRing(machines)
    for (let i = 0; i < 16; i++) {
      const r = await svc((i * 5) % n).lookup(`k${i}`)
      assert.equal(r.owner.id, ownerOf(ring, hashToId(utf8(`k${i}`), 160)).peer)
    }
  })
})
