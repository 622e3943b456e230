/**
 * One chord-churn run (one rate, one seed) in a worker thread, so the rates and seeds of the
 * benchmark run side by side; each run is deterministic by itself, so the pool changes no figure.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { runChurn } from '../../src/chord/sim-churn.js'

export interface ChurnJob { hosts: number, rate: number, durationMs: number, keys: number, seed: string }

const job = workerData as ChurnJob
const r = runChurn({
  hosts: job.hosts, rate: job.rate, durationMs: job.durationMs, keys: job.keys, lookupRate: 1,
  options: { successors: 20, replicas: 3, stabilizeMs: 30_000, fixFingersMs: 30_000, checkPredecessorMs: 30_000, replicateMs: 30_000, rpcTimeoutMs: 500, lookupTimeoutMs: 120_000 },
  sim: { seed: job.seed, latency: { kind: 'exponential', mean: 50 } },
  onProgress: ms => parentPort?.postMessage({ progress: ms })
})
parentPort?.postMessage({ result: { ...r, hops: undefined, timeouts: undefined, pathSum: r.meanPath * r.hops.count, timeoutSum: r.meanTimeouts * r.timeouts.count, answered: r.hops.count } })
