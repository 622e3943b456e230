import assert from 'node:assert/strict'
import { simulateSearch } from '../../src/chord/index.js'
import { holdersOf, makeSearchWorkload } from '../../src/search/workload.js'
import command from '../../src/cli/sim/chord.js'
import type { CliIo } from '../../src/cli/plugin.js'

const io: CliIo = { result: () => {}, info: () => {}, progress: () => ({ tick () {}, update () {}, stop () {} }) }

describe('chord simulateSearch and CLI', () => {
  it('finds every query whose file has a holder (exact-name provide / findProviders)', () => {
    const w = makeSearchWorkload({ nodes: 150, queries: 120, seed: 4 })
    const r = simulateSearch(w, { seed: 4 })
    const findable = w.queries.filter(q => holdersOf(w)[q.file].length > 0).length / w.queries.length
    assert.equal(r.overlay, 'chord')
    assert.equal(r.queries, 120)
    assert.ok(Math.abs(r.successRate - findable) < 1e-9, `success ${r.successRate} vs findable ${findable}`)
    assert.ok(r.meanHops >= 1 && r.messagesPerQuery > 0 && r.p50LatencyMs > 0)
  })

  it('overlaykit sim chord: hop summary, failures, load and the same result for the same seed', async () => {
    const run = async (extra: Record<string, unknown> = {}): Promise<any> => await command.run({ nodes: 200, lookups: 400, seed: 3, vnodes: 1, replicas: 3, keys: 0, fail: 0, churn: 0, duration: 60, bits: 160, latency: { kind: 'constant', ms: 10 }, bootstrap: 'oracle', ...extra }, io)
    const a = await run({ keys: 20_000 })
    assert.equal(a.lookups, 400)
    assert.equal(a.failed, 0)
    assert.ok(a.hops.p1 <= a.hops.p50 && a.hops.p50 <= a.hops.p99 && a.hops.p99 <= a.hops.max)
    assert.ok(a.load.meanPerHost === 100 && a.load.p99PerMean > 1)
    const b = await run({ keys: 20_000 })
    // measured, not simulated: wall time, CPU time and memory differ between runs
    assert.deepEqual({ ...a, wallMs: 0, cpuMs: 0, buildWallMs: 0, buildCpuMs: 0, peakRssMiB: 0 }, { ...b, wallMs: 0, cpuMs: 0, buildWallMs: 0, buildCpuMs: 0, peakRssMiB: 0 })
    const f = await run({ fail: 0.2 })
    assert.equal(f.crashed, 40)
    assert.ok(f.timeouts.mean > 0)
  })
})
