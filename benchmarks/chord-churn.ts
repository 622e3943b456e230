/**
 * chord-churn — ToN 2003 Table III: ≈1000 hosts, successor list r = 20, lookups Poisson 1/s, hosts
 * join and fail (crash) at rate R each, stabilize / fix_fingers / check_predecessor every uniform
 * [15, 45] s, exponential message delay mean 50 ms, request timeout 500 ms. Plus: keys stored with
 * replication 3 before churn, counted at the end (lost = no live copy).
 *
 * One hour of virtual time gives ≈3600 lookups per run, a resolution of ~3 failed per 10^4; so each
 * rate runs several seeds (independent rings and churn) and the row pools them. Runs go to worker
 * threads (lib/chord-churn-worker.ts), OVERLAYKIT_BENCH_WORKERS at a time (default: the core count).
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { Benchmark } from './lib/types.js'
import { lineChart } from './lib/charts.js'
import type { ChurnJob } from './lib/chord-churn-worker.js'

const PAPER: Record<string, { path: number, to: number, failed: number }> = {
  0.05: { path: 3.90, to: 0.05, failed: 0 }, 0.1: { path: 3.83, to: 0.11, failed: 0 }, 0.15: { path: 3.84, to: 0.16, failed: 2 },
  0.2: { path: 3.81, to: 0.23, failed: 5 }, 0.25: { path: 3.83, to: 0.30, failed: 6 }, 0.3: { path: 3.91, to: 0.34, failed: 8 },
  0.35: { path: 3.94, to: 0.42, failed: 16 }, 0.4: { path: 4.06, to: 0.46, failed: 15 }
}

interface RunOut { lookups: number, failed: number, joins: number, failures: number, finalHosts: number, keys: number, keysLost: number, pathSum: number, timeoutSum: number, answered: number }

function runJob (job: ChurnJob, onProgress: (ms: number) => void): Promise<RunOut> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./lib/chord-churn-worker.js', import.meta.url), { workerData: job })
    w.on('message', (m: { progress?: number, result?: RunOut }) => {
      if (m.progress !== undefined) onProgress(m.progress)
      if (m.result !== undefined) resolve(m.result)
    })
    w.on('error', reject)
    w.on('exit', code => { if (code !== 0) reject(new Error(`chord-churn worker exited with ${code}`)) })
  })
}

async function pool<T, R> (items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i]) }
  }))
  return out
}

const bench: Benchmark = {
  name: 'chord-churn',
  description: 'Chord lookups under continuous joins and failures (ToN Table III), plus keys lost with replication 3',
  async run (ctx) {
    const hosts = ctx.quick ? 300 : 1000
    const durationMs = ctx.quick ? 600_000 : 3_600_000
    const keys = ctx.quick ? 200 : 1000
    const rates = ctx.quick ? [0.05, 0.2, 0.4] : [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]
    const seeds = ctx.quick ? 1 : Number(process.env.OVERLAYKIT_CHURN_SEEDS ?? 3)
    const workers = Number(process.env.OVERLAYKIT_BENCH_WORKERS ?? availableParallelism())
    // seed k = 0 is the single run of earlier versions of this benchmark (same ring, same churn)
    const jobs = rates.flatMap(rate => Array.from({ length: seeds }, (_, k): ChurnJob => ({ hosts, rate, durationMs, keys, seed: k === 0 ? `${ctx.seed}/churn/${rate}` : `${ctx.seed}/churn/${rate}/${k}` })))
    const bar = ctx.progress('runs', jobs.length)
    const outs = await pool(jobs, workers, async job => {
      const r = await runJob(job, () => {})
      bar.tick(1)
      ctx.log(`R=${job.rate} seed ${job.seed}: ${r.lookups} lookups, ${r.failed} failed, keys lost ${r.keysLost}/${r.keys}`)
      return r
    })
    bar.stop()
    const perSeed = jobs.map((j, i) => ({ rate: j.rate, seed: j.seed, lookups: outs[i].lookups, failed: outs[i].failed, failedPer10k: +(outs[i].failed * 10_000 / Math.max(1, outs[i].lookups)).toFixed(1), keysLost: outs[i].keysLost, joins: outs[i].joins, failures: outs[i].failures, finalHosts: outs[i].finalHosts }))
    const rows: Array<Record<string, unknown>> = []
    for (const rate of rates) {
      const rs = outs.filter((_, i) => jobs[i].rate === rate)
      const sum = (f: (r: RunOut) => number): number => rs.reduce((a, r) => a + f(r), 0)
      const lookups = sum(r => r.lookups); const failed = sum(r => r.failed); const answered = sum(r => r.answered)
      const ref = PAPER[String(rate)]
      const failedPer10k = +(failed * 10_000 / Math.max(1, lookups)).toFixed(1)
      const keysLost = sum(r => r.keysLost)
      rows.push({
        rate, seeds: rs.length, lookups,
        meanPath: +(sum(r => r.pathSum) / answered).toFixed(3), meanTimeouts: +(sum(r => r.timeoutSum) / answered).toFixed(3),
        failed, failedPer10k, joins: sum(r => r.joins), failures: sum(r => r.failures), keys: sum(r => r.keys), keysLost,
        paperMeanPath: ref.path, paperMeanTimeouts: ref.to, paperFailedPer10k: ref.failed,
        goal: `keysLost 0, failedPer10k ≤ ${ref.failed}`, met: keysLost === 0 && failedPer10k <= ref.failed
      })
      ctx.log(`R=${rate}: failed/10k ${failedPer10k} (paper ${ref.failed}), keys lost ${keysLost}`)
    }
    const missed = rows.filter(r => r.met !== true)
    const worse = rows.filter(r => (r.meanPath as number) > (r.paperMeanPath as number) || (r.meanTimeouts as number) > (r.paperMeanTimeouts as number))
    const lost = rows.reduce((a, r) => a + (r.keysLost as number), 0)
    return {
      params: { hosts, durationMs, lookupRate: 1, keys, replicas: 3, successors: 20, maintenancePeriod: 'uniform [15, 45] s', replicateMs: 'uniform [15, 45] s', latency: 'exponential mean 50 ms', rpcTimeoutMs: 500, failure: 'crash', rates, seedsPerRate: seeds, workers, seed: ctx.seed },
      rows,
      tables: { perSeed },
      notes: [
        `Goal per row: 0 keys lost and failed lookups per 10^4 ≤ the paper's: ${missed.length === 0 ? 'met at every R' : 'missed at R = ' + missed.map(r => String(r.rate)).join(', ')}.`,
        `Keys lost with replication 3, all seeds: ${lost}.`,
        `Mean path and mean timeouts ≤ paper: ${worse.length === 0 ? 'met at every R' : 'above at R = ' + worse.map(r => String(r.rate)).join(', ')}.`,
        'Failed = an error, or an owner other than the successor of the key among the joined live vnodes at the moment the lookup completed (brute force). Lookups do not confirm the owner (verifyOwner off, as in the paper protocol).',
        `Each run is ${durationMs / 1000} s of virtual time (≈${durationMs / 1000} lookups); ${seeds} seed(s) per rate pooled, so failed/10^4 has a resolution of ≈${(10_000_000 / durationMs / seeds).toFixed(1)} per 10^4. Seed k = 0 of each rate is the single run of earlier versions (table perSeed).`
      ],
      charts: {
        timeouts: lineChart({ title: 'Timeouts per lookup vs churn rate', rows, x: 'rate', series: ['meanTimeouts', { field: 'paperMeanTimeouts', label: 'paper', dashed: true }] })
      }
    }
  }
}

export default bench
