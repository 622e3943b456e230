/**
 * Gnutella on the shared search workload in the simulator: N servents join through a few random
 * earlier servents (building the random graph 0.4 networks were), share the workload's files, warm up
 * (handshakes, pings, pong caches), then answer the workload's queries by flooding.
 */
import { Simulator, type LatencyModel } from '../sim/index.js'
import { runQueryPhase, summarize } from '../search/sim-run.js'
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
}

export function simulateSearch (workload: SearchWorkload, options: GnutellaSimOptions = {}): GnutellaRunResult {
  const ttl = options.ttl ?? 7
  const sim = new Simulator({ seed: options.seed ?? 1, latency: options.latency ?? { kind: 'coordinates', msPerUnit: 100, baseMs: 10 } })
  const coordsRng = sim.rng.fork('coords')
  const place = (): { coords: [number, number] } => ({ coords: [coordsRng.next(), coordsRng.next()] })
  const n = workload.shares.length
  const k = options.bootstrapPeers ?? 3
  const rng = sim.rng.fork('gnutella-bootstrap')
  const nodes = []
  for (let i = 0; i < n; i++) {
    // ids are known before spawning, so bootstrap refs can name earlier servents
    const bootstrap = i === 0 ? [] : rng.sample(Array.from({ length: Math.min(i, 64) }, (_, j) => i - 1 - rng.int(i)), k)
      .filter((v, j, a) => a.indexOf(v) === j).map(j => ({ id: `n${String(j).padStart(6, '0')}` }))
    const node = sim.spawn(gnutellaSpec, { ...options.servent, queryTtl: ttl, bootstrap }, place())
    for (const f of workload.shares[i]) node.machine.share(workload.catalog[f], `w/${f}`)
    nodes.push(node)
  }
  const warmup = options.warmupMs ?? 60_000
  let queriesSeen = 0
  const r = runQueryPhase(sim, nodes, workload, {
    startAt: warmup,
    queryTimeoutMs: options.queryTimeoutMs ?? 10_000,
    onStart: () => { queriesSeen = sim.stats.get('gnutella:queries-seen') }
  })
  const base = summarize('gnutella', workload, r)
  const pp = (r.sentByType.get('ping') ?? 0) + (r.sentByType.get('pong') ?? 0)
  let deg = 0
  for (const x of nodes) deg += x.machine.degree
  return {
    ...base,
    ttl,
    pingPongShare: r.messages === 0 ? 0 : pp / r.messages,
    meanDegree: deg / n,
    reachPerQuery: (sim.stats.get('gnutella:queries-seen') - queriesSeen) / Math.max(1, workload.queries.length)
  }
}
