/**
 * Gnutella on the shared search workload in the simulator: N servents join through a few random
 * earlier servents (building the random graph 0.4 networks were), share the workload's files, warm up
 * (handshakes, pings, pong caches), then answer the workload's queries by flooding.
 */
import { Simulator, type LatencyModel, type SimNode } from '../sim/index.js'
import type { GnutellaMsg } from './codec.js'
import type { GnutellaServent } from './servent.js'
import { runQueryPhase, scheduleChurn, summarize } from '../search/sim/run.js'
import type { SearchRunResult, SearchWorkload } from '../search/workload.js'
import type { GnutellaOptions } from './options.js'
import { gnutellaSpec } from './spec.js'

export interface GnutellaSimOptions {
  /** Query TTL. @default 7 */
  ttl?: number
  /** @default 1 */
  seed?: number | string
  /**
   * @default coordinates: nodes uniform in a unit square, 10 ms + 100 ms per unit (10–151 ms). Per-pair
   * latency is fixed, so each link delivers in order like the streams it stands for; with a jittered
   * model messages can overtake each other (OpenNap results arriving after their 202 are then lost).
   */
  latency?: LatencyModel
  /** Servents each new servent dials at join. @default 3 */
  bootstrapPeers?: number
  /** Virtual time before the first query. @default 60000 */
  warmupMs?: number
  /** Each query waits this long for hits. @default 10000 */
  queryTimeoutMs?: number
  /** Churn during each query phase: crashes per servent per second, and as many rejoins. @default 0 */
  churn?: number
  /** Servent options (the query TTL is taken from `ttl`). */
  servent?: GnutellaOptions
}

export interface GnutellaRunResult extends SearchRunResult {
  ttl: number
  /** Ping + Pong messages / all messages in the query phase. */
  pingPongShare: number
  meanDegree: number
  /** Servents reached by a query (mean over queries), from the nodes' query counters. */
  reachPerQuery: number
  /** Share of QueryHits sent by the top 1 % of servents (Adar & Huberman: about 50 %). */
  top1PctHitShare: number
  /** Share of servents that share nothing. */
  freeRiders: number
  /** Churn during this query phase. */
  churnLeaves: number
  churnJoins: number
}

/** One network, warmed up once; every TTL in `ttls` answers the same queries in turn. */
export function simulateSearchTtls (workload: SearchWorkload, ttls: readonly number[], options: GnutellaSimOptions = {}): GnutellaRunResult[] {
  if (ttls.length === 0) return []
  const sim = new Simulator({ seed: options.seed ?? 1, latency: options.latency ?? { kind: 'coordinates', msPerUnit: 100, baseMs: 10 } })
  const coordsRng = sim.rng.fork('coords')
  const n = workload.shares.length
  const k = options.bootstrapPeers ?? 3
  const rng = sim.rng.fork('gnutella-bootstrap')
  const nodes: Array<SimNode<GnutellaMsg, GnutellaServent>> = []
  for (let i = 0; i < n; i++) {
    // ids are known before spawning, so bootstrap refs can name earlier servents
    const bootstrap = i === 0 ? [] : rng.sample(Array.from({ length: Math.min(i, 64) }, () => i - 1 - rng.int(i)), k)
      .filter((v, j, a) => a.indexOf(v) === j).map(j => ({ id: `n${String(j).padStart(6, '0')}` }))
    const node = sim.spawn(gnutellaSpec, { ...options.servent, queryTtl: ttls[0], bootstrap }, { coords: [coordsRng.next(), coordsRng.next()] })
    for (const f of workload.shares[i]) node.machine.share(workload.catalog[f], `w/${f}`)
    nodes.push(node)
  }
  const out: GnutellaRunResult[] = []
  let startAt = options.warmupMs ?? 60_000
  const ids = nodes.map(x => x.id)
  const peerIndex = new Map(ids.map((id, i) => [id, i]))
  const last = workload.queries.at(-1)?.at ?? 0
  let currentTtl = ttls[0]
  const rejoin = (dead: SimNode): void => {
    const live = sim.nodes()
    const bootstrap = rng.sample(live, Math.min(k, live.length)).map(x => x.ref)
    const node = sim.rejoin(dead as SimNode<GnutellaMsg, GnutellaServent>, { ...options.servent, queryTtl: currentTtl, bootstrap })
    for (const f of workload.shares[peerIndex.get(dead.id) ?? 0]) node.machine.share(workload.catalog[f], `w/${f}`)
  }
  const live = (): Array<SimNode<GnutellaMsg, GnutellaServent>> => ids.map(id => sim.node(id)).filter(x => x !== undefined) as Array<SimNode<GnutellaMsg, GnutellaServent>>
  for (const ttl of ttls) {
    currentTtl = ttl
    for (const x of live()) x.machine.setQueryTtl(ttl)
    let queriesSeen = 0
    const hitsBefore = new Map<SimNode, number>()
    const churn = scheduleChurn(sim, ids, { ratePerNodePerS: options.churn ?? 0, from: startAt, until: startAt + last, rejoin })
    const r = runQueryPhase(sim, nodes, workload, {
      startAt,
      queryTimeoutMs: options.queryTimeoutMs ?? 10_000,
      onStart: () => {
        queriesSeen = sim.stats.get('gnutella:queries-seen')
        for (const x of sim.allNodes()) hitsBefore.set(x, (x.machine as GnutellaServent).hitsSent)
      }
    })
    const perId = new Map<string, number>()
    for (const x of sim.allNodes()) perId.set(x.id, (perId.get(x.id) ?? 0) + (x.machine as GnutellaServent).hitsSent - (hitsBefore.get(x) ?? 0))
    const hits = [...perId.values()].sort((a, b) => b - a)
    const totalHits = hits.reduce((a, b) => a + b, 0)
    const top = hits.slice(0, Math.max(1, Math.round(n / 100))).reduce((a, b) => a + b, 0)
    const pp = (r.sentByType.get('ping') ?? 0) + (r.sentByType.get('pong') ?? 0)
    let deg = 0
    const alive = live()
    for (const x of alive) deg += x.machine.degree
    out.push({
      ...summarize('gnutella', workload, r),
      ttl,
      pingPongShare: r.messages === 0 ? 0 : pp / r.messages,
      meanDegree: deg / Math.max(1, alive.length),
      reachPerQuery: (sim.stats.get('gnutella:queries-seen') - queriesSeen) / Math.max(1, workload.queries.length),
      top1PctHitShare: totalHits === 0 ? 0 : top / totalHits,
      freeRiders: workload.shares.filter(s => s.length === 0).length / n,
      churnLeaves: churn.leaves,
      churnJoins: churn.joins
    })
    startAt = r.endedAt + 1000
  }
  return out
}

/** One TTL (the `SimulateSearch` shape the comparison lab calls). */
export function simulateSearch (workload: SearchWorkload, options: GnutellaSimOptions = {}): GnutellaRunResult {
  return simulateSearchTtls(workload, [options.ttl ?? 7], options)[0]
}
