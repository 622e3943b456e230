/**
 * Chord on the shared search workload (src/search/workload.ts), for the comparison lab. A DHT finds
 * content by exact key, not by keywords: every sharer `provide`s each file under its exact name (the
 * ring position is hash(name)); a query looks up the wanted file's exact name with `findProviders`.
 * So this measures "a user who knows the exact file name", which is the question a DHT answers.
 * Latency defaults to the same coordinates model as napster's simulation.
 */
import { utf8 } from '../overlay/ids.js'
import { Histogram } from '../overlay/stats.js'
import type { LatencyModel } from '../sim/index.js'
import type { SearchRunResult, SearchWorkload } from '../search/workload.js'
import * as kv from './kv.js'
import type { ChordOptions } from './options.js'
import { buildRing } from './sim-run.js'

export interface ChordSearchOptions {
  /** @default 1 */
  seed?: number | string
  /** @default coordinates: uniform in a unit square, 10 ms + 100 ms per unit */
  latency?: LatencyModel
  /** Virtual time for the provide phase before the first query. @default 60000 */
  warmupMs?: number
  /** Chord options (maintenance runs during the query phase and its messages count). @default periods of 30 s, as in the paper's churn runs */
  chord?: ChordOptions
}

export interface ChordSearchResult extends SearchRunResult {
  /** Provider records stored (one per file copy). */
  provided: number
  /** Mean Chord lookup path length (hops counts it plus the contact with the record's owner). */
  meanLookupHops: number
  exactNameOnly: true
}

export function simulateSearch (workload: SearchWorkload, options: ChordSearchOptions = {}): ChordSearchResult {
  const n = workload.shares.length
  const latency = options.latency ?? { kind: 'coordinates', msPerUnit: 100, baseMs: 10 }
  const chordOpts: ChordOptions = { expectedNodes: n, stabilizeMs: 30_000, fixFingersMs: 30_000, checkPredecessorMs: 30_000, replicateMs: 30_000, rpcTimeoutMs: 2000, maintenance: true, ...options.chord }
  // coordinates are drawn per host inside buildRing's simulator via spawn options: place hosts here
  const { sim, nodes } = buildRing({ hosts: n, options: chordOpts, sim: { seed: options.seed ?? 1, latency } , spawn: i => ({ coords: coordsFor(options.seed ?? 1, i) }) })
  let provided = 0
  workload.shares.forEach((files, i) => {
    for (const f of files) kv.provide(nodes[i].machine, utf8(workload.catalog[f].name), (err) => { if (err == null) provided++ })
  })
  const warmup = options.warmupMs ?? 60_000
  sim.run({ until: warmup })
  const sentBefore = sim.stats.totals().sent
  const loadBefore = nodes.map(x => x.received)
  const hops = new Histogram(); const lookupHops = new Histogram(); const latencyH = new Histogram()
  let success = 0; let errors = 0
  const holders = new Map<number, Set<string>>()
  workload.shares.forEach((files, i) => { for (const f of files) { let s = holders.get(f); if (s === undefined) { s = new Set(); holders.set(f, s) } s.add(nodes[i].id) } })
  for (const q of workload.queries) {
    sim.at(warmup + q.at, () => {
      const t0 = sim.now
      kv.findProviders(nodes[q.from].machine, utf8(workload.catalog[q.file].name), (err, list, cost) => {
        if (err != null) { errors++; return }
        const ok = (list ?? []).some(p => holders.get(q.file)?.has(p.peer) === true)
        if (!ok) return
        success++
        const lh = cost?.lookup?.hops ?? 0
        lookupHops.add(lh); hops.add(lh + 1); latencyH.add(sim.now - t0)
      })
    })
  }
  const last = workload.queries.at(-1)?.at ?? 0
  sim.run({ until: warmup + last + 30_000 })
  const q = Math.max(1, workload.queries.length)
  let maxLoad = 0
  nodes.forEach((x, i) => { maxLoad = Math.max(maxLoad, x.received - loadBefore[i]) })
  return {
    overlay: 'chord',
    nodes: n,
    queries: workload.queries.length,
    successRate: success / q,
    messagesPerQuery: (sim.stats.totals().sent - sentBefore) / q,
    meanHops: hops.mean,
    p50LatencyMs: latencyH.percentile(50),
    maxNodeLoad: maxLoad,
    queryErrors: errors,
    provided,
    meanLookupHops: lookupHops.mean,
    exactNameOnly: true
  }
}

/** Host i's position in the unit square for the coordinates latency model (seeded, independent of the ring). */
function coordsFor (seed: number | string, i: number): [number, number] {
  let h = 2166136261 ^ i
  const s = String(seed)
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 16777619)
  const a = (Math.imul(h ^ (h >>> 15), 2246822507) >>> 0) / 4294967296
  const b = (Math.imul(h ^ (h >>> 13), 3266489909) >>> 0) / 4294967296
  return [a, b]
}
