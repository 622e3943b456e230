import assert from 'node:assert/strict'
import { runSwarm } from '../../src/bittorrent/sim-swarm.js'
import { MemoryStore } from '../../src/bittorrent/memory-store.js'

describe('bittorrent swarm (simulator)', function () {
  this.timeout(60_000)

  it('1 seed + 12 leechers with real bytes: every leecher ends byte-identical, near the bound', () => {
    const r = runSwarm({ leechers: 12, fileBytes: 2 * 1024 * 1024, pieceLength: 65536, seedUp: 1_000_000, peerUp: 100_000, storage: 'memory', seed: 7 })
    assert.equal(r.finished, 12)
    for (const n of r.leecherNodes) {
      const bytes = (n.machine.store as MemoryStore).bytes
      assert.ok(Buffer.from(bytes).equals(Buffer.from(r.content!)), `${n.id} content differs`)
    }
    assert.ok(r.ratio < 2, `ratio ${r.ratio}`)
    console.log(`      completion ${r.completion.toFixed(1)} s, bound ${r.bound.toFixed(1)} s, ratio ${r.ratio.toFixed(3)}`)
  })

  it('is deterministic for a seed', () => {
    const a = runSwarm({ leechers: 6, fileBytes: 512 * 1024, pieceLength: 32768, seedUp: 500_000, peerUp: 50_000, seed: 3 })
    const b = runSwarm({ leechers: 6, fileBytes: 512 * 1024, pieceLength: 32768, seedUp: 500_000, peerUp: 50_000, seed: 3 })
    assert.equal(a.sim.traceHash(), b.sim.traceHash())
    assert.deepEqual(a.times, b.times)
  })
})
