/**
 * Napster on the shared search workload in the simulator: one index server, N clients that log in and
 * share the workload's files, then the workload's queries through the server. Optionally the server
 * crashes part-way through the query phase (and restarts later), to show the single point of failure:
 * searches fail while it is down, and clients log in and re-share by themselves when it is back.
 */
import { Simulator, type LatencyModel, type SimNode } from '../sim/index.js'
import { runQueryPhase, scheduleChurn, summarize } from '../search/sim/run.js'
import type { SearchRunResult, SearchWorkload } from '../search/workload.js'
import type { NapsterClient, NapsterClientOptions } from './client.js'
import type { NapsterServer, NapsterServerOptions } from './server.js'
import { napsterClientSpec, napsterServerSpec } from './spec.js'

export interface NapsterSimOptions {
  /** @default 1 */
  seed?: number | string
  /**
   * @default coordinates: nodes uniform in a unit square, 10 ms + 100 ms per unit (10–151 ms). Per-pair
   * latency is fixed, so each link delivers in order like the streams it stands for; with a jittered
   * model messages can overtake each other (OpenNap results arriving after their 202 are then lost).
   */
  latency?: LatencyModel
  /** Virtual time before the first query (logins and shares). @default 30000 */
  warmupMs?: number
  /** @default 10000 */
  queryTimeoutMs?: number
  /** Crash the server at this fraction of the query phase (0..1); none when undefined. */
  crashAt?: number
  /** Restart it after this long (ms); stays down when undefined. */
  restartAfterMs?: number
  /** Churn of clients during the query phase: crashes per client per second, and as many rejoins. @default 0 */
  churn?: number
  server?: NapsterServerOptions
  client?: Partial<NapsterClientOptions>
}

export interface NapsterRunResult extends SearchRunResult {
  /** Files in the server's index when the query phase started. */
  indexSize: number
  users: number
  /** Messages the server received during the query phase (across a restart). */
  serverMessages: number
  /** Messages the server received per virtual second of the query phase. */
  serverMsgsPerSec: number
  /** Searches that failed at once because the server was down. */
  failedWhileDown: number
  /** Success rate of queries issued before the crash / while down / after the restart. */
  successBeforeCrash?: number
  successWhileDown?: number
  successAfterRestart?: number
  /** Index size at the end (after restart and re-shares). */
  indexSizeAtEnd: number
  /** Clients logged in at the end (server's view) / all clients. */
  clientsBackOnline?: number
  churnLeaves: number
  churnJoins: number
  /** ms from the restart until the server had 99 % of the clients logged in again. */
  recoveryMs?: number
}

export function simulateSearch (workload: SearchWorkload, options: NapsterSimOptions = {}): NapsterRunResult {
  const sim = new Simulator({ seed: options.seed ?? 1, latency: options.latency ?? { kind: 'coordinates', msPerUnit: 100, baseMs: 10 } })
  const coordsRng = sim.rng.fork('coords')
  const place = (): { coords: [number, number] } => ({ coords: [coordsRng.next(), coordsRng.next()] })
  let server: SimNode<any, NapsterServer> = sim.spawn(napsterServerSpec, options.server ?? {}, { id: 'server', coords: [0.5, 0.5] })
  const nodes: Array<SimNode<any, NapsterClient>> = []
  const serverNodes = [server]
  for (let i = 0; i < workload.shares.length; i++) {
    const node = sim.spawn(napsterClientSpec, { keepaliveMs: 30_000, ...options.client, server: server.ref }, place())
    for (const f of workload.shares[i]) node.machine.share(workload.catalog[f], `w/${f}`)
    nodes.push(node)
  }
  const warmup = options.warmupMs ?? 30_000
  const last = workload.queries.at(-1)?.at ?? 0
  let indexSize = 0
  let users = 0
  let crashTime = Infinity
  let restartTime = Infinity
  let recoveredAt: number | undefined
  let serverReceivedBefore = 0
  const ids = nodes.map(x => x.id)
  const peerIndex = new Map(ids.map((id, i) => [id, i]))
  const churn = scheduleChurn(sim, ids, {
    ratePerNodePerS: options.churn ?? 0,
    from: warmup,
    until: warmup + last,
    rejoin: dead => {
      const node = sim.rejoin(dead as SimNode<any, NapsterClient>)
      for (const f of workload.shares[peerIndex.get(dead.id) ?? 0]) node.machine.share(workload.catalog[f], `w/${f}`)
    }
  })
  const r = runQueryPhase(sim, nodes, workload, {
    startAt: warmup,
    queryTimeoutMs: options.queryTimeoutMs ?? 10_000,
    onStart: () => {
      indexSize = server.machine.indexSize
      users = server.machine.users.size
      serverReceivedBefore = server.received
      if (options.crashAt !== undefined) {
        crashTime = warmup + last * options.crashAt
        sim.at(crashTime, () => { sim.crash(server) })
        if (options.restartAfterMs !== undefined) {
          restartTime = crashTime + options.restartAfterMs
          sim.at(restartTime, () => {
            server = sim.rejoin(server)
            serverNodes.push(server)
            const check = (): void => {
              // logged in again as the server sees it (clients that never noticed the crash still think they are online)
              if (server.alive && server.machine.users.size >= 0.99 * nodes.length) { recoveredAt = sim.now; return }
              sim.after(100, check)
            }
            sim.after(100, check)
          })
        }
      }
    }
  })
  const base = summarize('napster', workload, r)
  const phaseMs = Math.max(1, r.endedAt - warmup)
  const bucket = (from: number, to: number): number | undefined => {
    let n = 0; let ok = 0
    workload.queries.forEach((q, i) => { const t = warmup + q.at; if (t >= from && t < to) { n++; if (r.perQuery[i] >= 0) ok++ } })
    return n === 0 ? undefined : ok / n
  }
  const result: NapsterRunResult = {
    ...base,
    indexSize,
    users,
    serverMessages: serverNodes.reduce((a, n) => a + n.received, 0) - serverReceivedBefore,
    serverMsgsPerSec: (serverNodes.reduce((a, n) => a + n.received, 0) - serverReceivedBefore) / (phaseMs / 1000),
    failedWhileDown: sim.stats.get('napster:search-offline'),
    indexSizeAtEnd: server.alive ? server.machine.indexSize : 0,
    churnLeaves: churn.leaves,
    churnJoins: churn.joins
  }
  if (options.crashAt !== undefined) {
    result.successBeforeCrash = bucket(warmup, crashTime)
    result.successWhileDown = bucket(crashTime, restartTime)
    result.successAfterRestart = restartTime < Infinity ? bucket(restartTime, Infinity) : undefined
    result.clientsBackOnline = server.alive ? server.machine.users.size / nodes.length : 0
    if (recoveredAt !== undefined) result.recoveryMs = recoveredAt - restartTime
  }
  return result
}
