/**
 * chord-failures — ToN 2003 Table II: N = 1000, successor list r = 20, a fraction p of the nodes fails
 * at once after the ring converged, no repair afterwards (stabilization stopped, and a lookup's
 * timeouts do not prune the caller's tables), exponential message delay with mean 50 ms, request
 * timeout 500 ms, 10,000 iterative lookups. A lookup confirms the owner it found (owner contact, not a
 * hop); a dead hop or owner costs a timeout and the next-best candidate is tried. Failed = error or an
 * owner other than the first live successor of the key (brute force).
 */
import type { Benchmark } from './lib/types.js'
import { lineChart } from './lib/charts.js'
import { buildRing, failFraction, runLookups } from '../src/chord/sim-run.js'

const PAPER: Record<string, { path: number, pathP1: number, pathP99: number, to: number, toP1: number, toP99: number }> = {
  0: { path: 3.84, pathP1: 2, pathP99: 5, to: 0, toP1: 0, toP99: 0 },
  0.1: { path: 4.03, pathP1: 2, pathP99: 6, to: 0.60, toP1: 0, toP99: 2 },
  0.2: { path: 4.22, pathP1: 2, pathP99: 6, to: 1.17, toP1: 0, toP99: 3 },
  0.3: { path: 4.44, pathP1: 2, pathP99: 6, to: 2.02, toP1: 0, toP99: 5 },
  0.4: { path: 4.69, pathP1: 2, pathP99: 7, to: 3.23, toP1: 0, toP99: 8 },
  0.5: { path: 5.09, pathP1: 3, pathP99: 8, to: 5.10, toP1: 0, toP99: 11 }
}

const bench: Benchmark = {
  name: 'chord-failures',
  description: 'Chord lookups after simultaneous failures without repair (ToN Table II)',
  async run (ctx) {
    const n = 1000
    const lookups = ctx.quick ? 1000 : 10_000
    const ps = [0, 0.1, 0.2, 0.3, 0.4, 0.5]
    const rows: Array<Record<string, unknown>> = []
    for (const p of ps) {
      const { sim, nodes } = buildRing({
        hosts: n,
        options: { successors: 20, rpcTimeoutMs: 500, verifyOwner: true, repairOnTimeout: false, lookupTimeoutMs: 600_000 },
        sim: { seed: `${ctx.seed}/failures/${p}`, latency: { kind: 'exponential', mean: 50 } }
      })
      const failed = failFraction(sim, nodes, p)
      const st = runLookups(sim, nodes, { count: lookups, spacingMs: 10 })
      const path = st.hops.summary(); const to = st.timeouts.summary()
      const ref = PAPER[String(p)]
      rows.push({
        p, nodesFailed: failed, lookups,
        meanPath: +path.mean.toFixed(3), pathP1: path.p1, pathP99: path.p99,
        meanTimeouts: +to.mean.toFixed(3), timeoutsP1: to.p1, timeoutsP99: to.p99,
        failed: st.failed,
        paperMeanPath: ref.path, paperPath: `${ref.path} (${ref.pathP1}, ${ref.pathP99})`, paperTimeouts: `${ref.to} (${ref.toP1}, ${ref.toP99})`,
        paperMeanTimeouts: ref.to
      })
      ctx.log(`p=${p}: path ${path.mean.toFixed(3)} (paper ${ref.path}), timeouts ${to.mean.toFixed(3)} (paper ${ref.to}), failed ${st.failed}`)
    }
    const worsePath = rows.filter(r => (r.meanPath as number) > (r.paperMeanPath as number))
    const anyFailed = rows.filter(r => (r.failed as number) > 0)
    return {
      params: { nodes: n, successors: 20, lookupsPerP: lookups, latency: 'exponential mean 50 ms', rpcTimeoutMs: 500, repair: 'none', verifyOwner: true, bits: 160, seed: ctx.seed },
      rows,
      notes: [
        `Goal 0 failed lookups: ${anyFailed.length === 0 ? 'met' : 'missed at p = ' + anyFailed.map(r => String(r.p)).join(', ')}.`,
        `Goal path ≤ paper: ${worsePath.length === 0 ? 'met at every p' : 'missed at p = ' + worsePath.map(r => String(r.p)).join(', ')}.`,
        'Path = remote nodes that answered routing requests; timeouts = requests to dead nodes (routing or owner confirmation). The owner confirmation contact is not a hop.',
        'Each lookup returns the best 4 candidates per step; the caller falls back to them (and to earlier candidates) when a hop times out.'
      ],
      charts: {
        timeouts: lineChart({ title: 'Timeouts per lookup vs fraction failed', rows, x: 'p', series: ['meanTimeouts', { field: 'paperMeanTimeouts', label: 'paper', dashed: true }] }),
        path: lineChart({ title: 'Path length vs fraction failed', rows, x: 'p', series: ['meanPath', { field: 'paperMeanPath', label: 'paper', dashed: true }] })
      }
    }
  }
}

export default bench
