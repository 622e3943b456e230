/**
 * Measuring a search overlay in the simulator the same way for every overlay: run a warm-up, reset the
 * counters, issue the workload's queries at their times through the overlay's `SearchMachine.search`,
 * and record, per query, whether a hit for the wanted file (by hash) arrived, its hops and latency.
 */
import type { SearchHit } from '../../overlay/capabilities.js'
import { Histogram } from '../../overlay/stats.js'
import { poissonChurn, type SimNode, type Simulator } from '../../sim/index.js'
import type { SearchMachine } from '../api.js'
import type { SearchRunResult, SearchWorkload } from '../workload.js'

export interface QueryPhaseOptions {
  /** Start of the query phase (virtual ms). */
  startAt: number
  /** How long each query waits for hits. */
  queryTimeoutMs: number
  /** Hits per query before it stops. @default 100 */
  limit?: number
  /** Called before the counters are snapshotted (e.g. to crash a server later). */
  onStart?: () => void
}

export interface QueryPhaseResult {
  success: number
  errors: number
  hops: Histogram
  latency: Histogram
  /** Messages sent during the query phase, by type. */
  sentByType: Map<string, number>
  messages: number
  maxNodeLoad: number
  maxLoadNode: string
  endedAt: number
  /** Per query: first hop count of the wanted file, or -1. */
  perQuery: number[]
}

export function runQueryPhase (sim: Simulator, nodes: Array<SimNode<any, SearchMachine>>, workload: SearchWorkload, o: QueryPhaseOptions): QueryPhaseResult {
  sim.run({ until: o.startAt })
  o.onStart?.()
  const before = new Map<string, number>()
  for (const [t, c] of sim.stats.messages) before.set(t, c.sent)
  const loadBefore = new Map<string, number>()
  for (const n of sim.allNodes()) loadBefore.set(n.id, n.received)
  const hops = new Histogram()
  const latency = new Histogram()
  const perQuery = workload.queries.map(() => -1)
  let success = 0
  let errors = 0
  workload.queries.forEach((q, qi) => {
    sim.at(o.startAt + q.at, () => {
      const node = sim.node(nodes[q.from].id) as SimNode<any, SearchMachine> | undefined
      if (node === undefined) { errors++; return }
      const wanted = workload.catalog[q.file].hash
      const t0 = sim.now
      let found = false
      node.machine.search(q.text, { limit: o.limit ?? 100, timeoutMs: o.queryTimeoutMs }, (hit: SearchHit) => {
        if (found || hit.hash !== wanted) return
        found = true
        success++
        perQuery[qi] = hit.hops
        hops.add(hit.hops)
        latency.add(sim.now - t0)
      }, err => { if (err !== null) errors++ })
    })
  })
  const last = workload.queries.length > 0 ? workload.queries[workload.queries.length - 1].at : 0
  sim.run({ until: o.startAt + last + o.queryTimeoutMs + 1 })
  const sentByType = new Map<string, number>()
  let messages = 0
  for (const [t, c] of sim.stats.messages) {
    const d = c.sent - (before.get(t) ?? 0)
    if (d > 0) { sentByType.set(t, d); messages += d }
  }
  let maxNodeLoad = 0
  let maxLoadNode = ''
  for (const n of sim.allNodes()) {
    const d = n.received - (loadBefore.get(n.id) ?? 0)
    if (d > maxNodeLoad) { maxNodeLoad = d; maxLoadNode = n.id }
  }
  return { success, errors, hops, latency, sentByType, messages, maxNodeLoad, maxLoadNode, endedAt: sim.now, perQuery }
}

/** The common part of a SearchRunResult from a query phase. */
export function summarize (overlay: string, workload: SearchWorkload, r: QueryPhaseResult): SearchRunResult {
  const q = Math.max(1, workload.queries.length)
  return {
    overlay,
    nodes: workload.shares.length,
    queries: workload.queries.length,
    successRate: r.success / q,
    messagesPerQuery: r.messages / q,
    meanHops: r.hops.mean,
    p50LatencyMs: r.latency.percentile(50),
    maxNodeLoad: r.maxNodeLoad,
    queryErrors: r.errors,
    messagesByType: Object.fromEntries(r.sentByType)
  }
}

export interface ChurnOptions {
  /** Leaves per node per second, and as many rejoins (Poisson). */
  ratePerNodePerS: number
  /** Churn runs in [from, until) (virtual ms). */
  from: number
  until: number
  /** Bring a crashed node back: typically `sim.rejoin(node, options)` and re-share its files. */
  rejoin: (dead: SimNode) => void
}

/**
 * Poisson churn over a fixed population of ids: a random live node crashes (silently), a random dead
 * one comes back through `rejoin`. Returns live counters.
 */
export function scheduleChurn (sim: Simulator, ids: readonly string[], o: ChurnOptions): { leaves: number, joins: number } {
  const out = { leaves: 0, joins: 0 }
  if (o.ratePerNodePerS <= 0 || ids.length === 0) return out
  const rng = sim.rng.fork('search-churn')
  const rate = o.ratePerNodePerS * ids.length
  const dead: SimNode[] = []
  sim.at(o.from, () => {
    poissonChurn(sim, {
      joinRate: rate,
      leaveRate: rate,
      until: o.until,
      rng,
      onLeave: () => {
        const n = sim.node(ids[rng.int(ids.length)])
        if (n === undefined) return
        sim.crash(n)
        dead.push(n)
        out.leaves++
      },
      onJoin: () => {
        if (dead.length === 0) return
        const i = rng.int(dead.length)
        const n = dead[i]
        dead[i] = dead[dead.length - 1]; dead.pop()
        if (sim.node(n.id) !== undefined) return
        o.rejoin(n)
        out.joins++
      }
    })
  })
  return out
}
