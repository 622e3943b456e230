/**
 * FastTrack on the shared search workload in the simulator: nodes arrive one after another with
 * heterogeneous capacities, elect supernodes, attach and upload their shares; after a warm-up the
 * workload's queries run through src/search's common query phase, so figures compare directly with
 * the other search overlays (same workload, same counting).
 */
import { Simulator, type LatencyModel } from '../sim/index.js'
import { runQueryPhase, scheduleChurn, summarize } from '../search/sim/run.js'
import type { SearchRunResult, SearchWorkload } from '../search/workload.js'
import type { FastTrackOptions } from './options.js'
import { buildNetwork, tiers, unindexedShares } from './sim-network.js'

export interface FastTrackSimOptions {
  /** @default 1 */
  seed?: number | string
  /** @default coordinates: nodes uniform in a unit square, 10 ms + 100 ms per unit (as the Gnutella run) */
  latency?: LatencyModel
  /** Gap between node arrivals, ms. @default 10 */
  arrivalGapMs?: number
  /** Random earlier nodes each arrival knows. @default 3 */
  bootstrapPeers?: number
  /** Fraction of firewalled nodes. @default 0.4 */
  firewalledShare?: number
  /** Virtual time after the last arrival before the first query. @default 120000 */
  settleMs?: number
  /** Each query waits this long for hits. @default 10000 */
  queryTimeoutMs?: number
  /** Churn during the query phase: crashes per node per second, and as many rejoins (fresh machine, same capacity and files). @default 0 */
  churn?: number
  /** Overlay options for every node (capacity, bootstrap and shares are set per node). */
  overlay?: FastTrackOptions
}

export interface FastTrackRunResult extends SearchRunResult {
  supernodes: number
  meanLeavesPerSupernode: number
  maxLeavesPerSupernode: number
  /** Live nodes attached to no supernode when the queries start. */
  orphans: number
  /** Files of live nodes not indexed at a live supernode when the queries start. */
  unindexedShares: number
  /** query + hit messages per query (the flood), without maintenance. */
  searchMessagesPerQuery: number
  /** Whether the busiest node in the query phase was a supernode. */
  maxLoadIsSupernode: boolean
  queryTtl: number
  supernodeDegree: number
  churnLeaves: number
  churnJoins: number
}

export function simulateSearch (workload: SearchWorkload, options: FastTrackSimOptions = {}): FastTrackRunResult {
  const sim = new Simulator({ seed: options.seed ?? 1, latency: options.latency ?? { kind: 'coordinates', msPerUnit: 100, baseMs: 10 } })
  const coordsRng = sim.rng.fork('coords')
  const coords: Array<[number, number]> = workload.shares.map(() => [coordsRng.next(), coordsRng.next()])
  const n = workload.shares.length
  const gap = options.arrivalGapMs ?? 10
  const overlay = options.overlay ?? {}
  const nodes = buildNetwork(sim, {
    nodes: n,
    overlay,
    arrivalGapMs: gap,
    bootstrapPeers: options.bootstrapPeers,
    firewalledShare: options.firewalledShare,
    place: i => coords[i],
    shares: i => workload.shares[i].map(f => ({ ...workload.catalog[f], store: `w/${f}` }))
  })
  const startAt = n * gap + (options.settleMs ?? 120_000)
  let before = tiers([])
  let lost = { missing: 0, total: 0, unsearchableNodes: 0 }
  const last = workload.queries.length > 0 ? workload.queries[workload.queries.length - 1].at : 0
  const bootRng = sim.rng.fork('fasttrack-rejoin')
  // the simulator names the i-th spawned node n<i>, and the network's nodes are the only ones spawned
  const churn = scheduleChurn(sim, workload.shares.map((_, i) => `n${String(i).padStart(6, '0')}`), {
    ratePerNodePerS: options.churn ?? 0,
    from: startAt,
    until: startAt + last,
    rejoin: dead => {
      // same capacity and files, a fresh machine that bootstraps from a few live nodes
      const bootstrap = bootRng.sample(sim.nodes(), 3).map(x => x.ref)
      sim.rejoin(dead, { ...(dead.options as FastTrackOptions), bootstrap })
    }
  })
  const r = runQueryPhase(sim, nodes, workload, {
    startAt,
    queryTimeoutMs: options.queryTimeoutMs ?? 10_000,
    onStart: () => { before = tiers(nodes); lost = unindexedShares(sim, nodes) }
  })
  const base = summarize('fasttrack', workload, r)
  const q = Math.max(1, workload.queries.length)
  const flood = (r.sentByType.get('query') ?? 0) + (r.sentByType.get('hit') ?? 0)
  const busiest = sim.node(r.maxLoadNode) as (typeof nodes)[number] | undefined
  return {
    ...base,
    supernodes: before.supernodes,
    meanLeavesPerSupernode: before.meanLeavesPerSupernode,
    maxLeavesPerSupernode: before.maxLeaves,
    orphans: before.orphans,
    unindexedShares: lost.missing,
    searchMessagesPerQuery: flood / q,
    maxLoadIsSupernode: busiest?.machine.isSupernode ?? false,
    queryTtl: overlay.queryTtl ?? 4,
    supernodeDegree: overlay.supernodeDegree ?? 8,
    churnLeaves: churn.leaves,
    churnJoins: churn.joins
  }
}
