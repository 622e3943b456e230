/**
 * `overlaykit sim gnutella --nodes N --queries Q [--ttl T] --seed S [--json]`: Gnutella 0.4 servents
 * on the shared search workload (Zipf popularity, ~70 % free riders); prints success rate, messages
 * per query, mean hops of the first hit, and the ping/pong share of all messages.
 */
import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import type { SimCommand } from '../plugin.js'
import { makeSearchWorkload } from '../../search/workload.js'
import { simulateSearch } from '../../gnutella/sim-search.js'
import { parseLatency, parseNonNegative, parsePositiveInt } from '../options.js'

const parseTtl = (v: string): number => {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1 || n > 7) throw new InvalidArgumentError('--ttl must be an integer in 1..7')
  return n
}

const command: SimCommand = {
  name: 'gnutella',
  description: 'Gnutella 0.4 flooding search on the Zipf/free-rider workload: success, messages per query, hops',
  configure (cmd: Command): void {
    cmd
      .option('--nodes <n>', 'servents', parsePositiveInt, 1000)
      .option('--queries <q>', 'queries', parsePositiveInt, 200)
      .option('--ttl <t>', 'query TTL (1..7)', parseTtl, 7)
      .option('--files <n>', 'distinct files in the catalog (default max(100, nodes))', parsePositiveInt)
      .option('--zipf <s>', 'Zipf exponent of popularity', parseNonNegative, 1)
      .option('--free-riders <f>', 'share of peers sharing nothing', parseNonNegative, 0.7)
      .option('--degree <d>', 'target neighbours per servent', parsePositiveInt, 4)
      .option('--no-pong-caching', 'flood pings instead of answering from the pong cache')
      .option('--latency <model>', 'latency model (default: coordinates, 10–151 ms, FIFO links)', parseLatency)
      .option('--warmup <ms>', 'virtual ms before the first query', parseNonNegative, 60_000)
  },
  async run (o, io) {
    if (o.freeRiders > 1) throw new Error('--free-riders must be in [0, 1]')
    io.info(`simulating ${o.nodes} gnutella servents, ${o.queries} queries, TTL ${o.ttl}, seed ${String(o.seed)}`)
    const t0 = performance.now()
    const workload = makeSearchWorkload({ nodes: o.nodes, queries: o.queries, seed: o.seed, zipf: o.zipf, freeRiderShare: o.freeRiders, ...(o.files !== undefined ? { files: o.files } : {}) })
    const r = simulateSearch(workload, {
      ttl: o.ttl,
      seed: o.seed,
      warmupMs: o.warmup,
      ...(o.latency !== undefined ? { latency: o.latency } : {}),
      servent: { targetDegree: o.degree, maxDegree: Math.max(2 * o.degree, 8), pongCaching: o.pongCaching !== false }
    })
    return {
      nodes: r.nodes,
      queries: r.queries,
      successRate: r.successRate,
      messagesPerQuery: r.messagesPerQuery,
      meanHops: r.meanHops,
      ttl: r.ttl,
      pingPongShare: r.pingPongShare,
      p50LatencyMs: r.p50LatencyMs,
      maxNodeLoad: r.maxNodeLoad,
      meanDegree: r.meanDegree,
      reachPerQuery: r.reachPerQuery,
      messagesByType: r.messagesByType,
      wallMs: Math.round(performance.now() - t0)
    }
  }
}

export default command
