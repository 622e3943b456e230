/**
 * chord-churn — ToN 2003 Table III: ≈1000 hosts, successor list r = 20, lookups Poisson 1/s, hosts
 * join and fail (crash) at rate R each, stabilize / fix_fingers / check_predecessor every uniform
 * [15, 45] s, exponential message delay mean 50 ms, request timeout 500 ms. Plus: keys stored with
 * replication 3 before churn, counted at the end (lost = no live copy).
 */
import type { Benchmark } from './lib/types.js'
import { lineChart } from './lib/charts.js'
import { runChurn } from '../src/chord/sim-churn.js'

const PAPER: Record<string, { path: number, to: number, failed: number }> = {
  0.05: { path: 3.90, to: 0.05, failed: 0 }, 0.1: { path: 3.83, to: 0.11, failed: 0 }, 0.15: { path: 3.84, to: 0.16, failed: 2 },
  0.2: { path: 3.81, to: 0.23, failed: 5 }, 0.25: { path: 3.83, to: 0.30, failed: 6 }, 0.3: { path: 3.91, to: 0.34, failed: 8 },
  0.35: { path: 3.94, to: 0.42, failed: 16 }, 0.4: { path: 4.06, to: 0.46, failed: 15 }
}

const bench: Benchmark = {
  name: 'chord-churn',
  description: 'Chord lookups under continuous joins and failures (ToN Table III), plus keys lost with replication 3',
  async run (ctx) {
    const hosts = ctx.quick ? 300 : 1000
    const durationMs = ctx.quick ? 600_000 : 3_600_000
    const keys = ctx.quick ? 200 : 1000
    const rates = ctx.quick ? [0.05, 0.2, 0.4] : [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]
    const rows: Array<Record<string, unknown>> = []
    for (const rate of rates) {
      const bar = ctx.progress(`R=${rate}`, durationMs / 1000)
      let last = 0
      const r = runChurn({
        hosts, rate, durationMs, keys, lookupRate: 1,
        options: { successors: 20, replicas: 3, stabilizeMs: 30_000, fixFingersMs: 30_000, checkPredecessorMs: 30_000, replicateMs: 30_000, rpcTimeoutMs: 500, lookupTimeoutMs: 120_000 },
        sim: { seed: `${ctx.seed}/churn/${rate}`, latency: { kind: 'exponential', mean: 50 } },
        onProgress: ms => { bar.tick(ms / 1000 - last); last = ms / 1000 }
      })
      bar.stop()
      const ref = PAPER[String(rate)]
      rows.push({
        rate, lookups: r.lookups,
        meanPath: +r.meanPath.toFixed(3), meanTimeouts: +r.meanTimeouts.toFixed(3), failedPer10k: Math.round(r.failedPer10k),
        failed: r.failed, joins: r.joins, failures: r.failures, finalHosts: r.finalHosts, keys: r.keys, keysLost: r.keysLost,
        paperMeanPath: ref.path, paperMeanTimeouts: ref.to, paperFailedPer10k: ref.failed
      })
      ctx.log(`R=${rate}: path ${r.meanPath.toFixed(3)} (paper ${ref.path}), timeouts ${r.meanTimeouts.toFixed(3)} (paper ${ref.to}), failed/10k ${Math.round(r.failedPer10k)} (paper ${ref.failed}), keys lost ${r.keysLost}/${r.keys}`)
    }
    const worse = rows.filter(r => (r.meanPath as number) > (r.paperMeanPath as number) || (r.meanTimeouts as number) > (r.paperMeanTimeouts as number) || (r.failedPer10k as number) > (r.paperFailedPer10k as number))
    const lost = rows.reduce((a, r) => a + (r.keysLost as number), 0)
    return {
      params: { hosts, durationMs, lookupRate: 1, keys, replicas: 3, successors: 20, maintenancePeriod: 'uniform [15, 45] s', latency: 'exponential mean 50 ms', rpcTimeoutMs: 500, failure: 'crash', rates, seed: ctx.seed },
      rows,
      notes: [
        `Goal ≤ paper at every R (path, timeouts, failed per 10^4): ${worse.length === 0 ? 'met' : 'missed at R = ' + worse.map(r => String(r.rate)).join(', ')}.`,
        `Goal 0 keys lost with replication 3: ${lost === 0 ? 'met' : `missed (${lost} lost in total)`}.`,
        'Failed = an error, or an owner other than the successor of the key among the joined live vnodes at the moment the lookup completed (brute force). Lookups confirm the owner (verifyOwner).',
        `Each rate runs ${durationMs / 1000} s of virtual time (≈${durationMs / 1000} lookups), so failed/10^4 has a resolution of ${Math.round(10_000_000 / durationMs)} per 10^4.`
      ],
      charts: {
        timeouts: lineChart({ title: 'Timeouts per lookup vs churn rate', rows, x: 'rate', series: ['meanTimeouts', { field: 'paperMeanTimeouts', label: 'paper', dashed: true }] })
      }
    }
  }
}

export default bench
