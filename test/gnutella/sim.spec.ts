/** Gnutella in the simulator: the search workload end to end, deterministic, TTL matters. */
import assert from 'node:assert/strict'
import { makeSearchWorkload } from '../../src/search/workload.js'
import { simulateSearch } from '../../src/gnutella/sim-search.js'
import { Simulator, type SimNode } from '../../src/sim/index.js'
import type { GnutellaMsg } from '../../src/gnutella/codec.js'
import type { GnutellaServent } from '../../src/gnutella/servent.js'
import { gnutellaSpec } from '../../src/gnutella/spec.js'
import { describeBytes } from '../../src/search/describe.js'
import { Rng } from '../../src/overlay/rng.js'

describe('gnutella (simulated)', function () {
  this.timeout(60_000)
  const w = makeSearchWorkload({ nodes: 200, queries: 30, seed: 4 })

  it('finds files by flooding; TTL 7 beats TTL 1 at a higher message cost; same seed, same result', () => {
    const r7 = simulateSearch(w, { ttl: 7, seed: 2, warmupMs: 20_000 })
    const again = simulateSearch(w, { ttl: 7, seed: 2, warmupMs: 20_000 })
    const r1 = simulateSearch(w, { ttl: 1, seed: 2, warmupMs: 20_000 })
    assert.deepEqual(r7, again)
    assert.ok(r7.successRate >= 0.85, `success ${r7.successRate}`)
    assert.ok(r1.successRate < r7.successRate)
    assert.ok(r7.messagesPerQuery > 5 * r1.messagesPerQuery)
    assert.ok(r7.meanHops > r1.meanHops)
    assert.ok(r7.meanDegree >= 3, `mean degree ${r7.meanDegree}`)
    assert.ok(r7.reachPerQuery > 180, `reach ${r7.reachPerQuery}`)
    assert.ok(r7.pingPongShare < 0.1, `ping/pong share ${r7.pingPongShare}`)
  })

  it('downloads over the simulated network, by push from a firewalled servent (wire encoding on)', () => {
    const sim = new Simulator({ seed: 3, wire: true, latency: { kind: 'uniform', min: 5, max: 30 } })
    const nodes: Array<SimNode<GnutellaMsg, GnutellaServent>> = []
    for (let i = 0; i < 30; i++) {
      const boot = i === 0 ? [] : [{ id: `n${String(Math.floor(i / 2)).padStart(6, '0')}` }]
      nodes.push(sim.spawn(gnutellaSpec, { bootstrap: boot, firewalled: i === 29, transfer: { chunkBytes: 4096 } }))
    }
    const bytes = new Rng(1).bytes(50_000)
    const file = describeBytes('night train.mp3', bytes)
    sim.blobs.put(nodes[29].id, 'f', bytes)
    nodes[29].machine.share(file, 'f')
    sim.run({ until: 20_000 })
    let got: Uint8Array | undefined
    let viaPush = false
    nodes[0].machine.search('night train', { limit: 5, timeoutMs: 3000 }, hit => {
      if (got !== undefined) return
      got = new Uint8Array(0)
      nodes[0].machine.fetch(hit, { store: 'dl', offset: 0, collect: true }, { done: (err, r) => { assert.equal(err, null); got = r?.bytes; viaPush = r?.viaPush ?? false } })
    }, () => {})
    sim.run({ until: 40_000 })
    assert.deepEqual(got, bytes)
    assert.equal(viaPush, true)
  })
})
