/**
 * `overlaykit sim fasttrack --nodes N --queries Q --seed S [--json]`: the two-tier FastTrack overlay on
 * the shared search workload (Zipf popularity, ~70 % free riders): nodes arrive, elect supernodes by
 * capacity, attach and upload their shares; then the queries run. Prints the fields every search
 * overlay prints (success rate, messages per query, hops, latency, busiest node) plus the tiers.
 */
import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import type { SimCommand } from '../plugin.js'
import { makeSearchWorkload } from '../../search/workload.js'
import { simulateSearch } from '../../fasttrack/sim-search.js'
import { parseLatency, parseNonNegative, parsePositiveInt } from '../options.js'

const parseTtl = (v: string): number => {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1 || n > 7) throw new InvalidArgumentError('--ttl must be an integer in 1..7')
  return n
}

const command: SimCommand = {
  name: 'fasttrack',
  description: 'FastTrack/KaZaA two-tier search (elected supernodes index leaves, flood among themselves) on the Zipf/free-rider workload',
  configure (cmd: Command): void {
    cmd
      .option('--nodes <n>', 'nodes', parsePositiveInt, 1000)
      .option('--queries <q>', 'queries', parsePositiveInt, 200)
      .option('--ttl <t>', 'query TTL among supernodes (1..7)', parseTtl, 4)
      .option('--max-leaves <n>', 'leaves per supernode at most', parsePositiveInt, 150)
      .option('--degree <d>', 'supernode links each supernode keeps', parsePositiveInt, 8)
      .option('--firewalled <f>', 'share of firewalled nodes', parseNonNegative, 0.4)
      .option('--files <n>', 'distinct files in the catalog (default max(100, nodes))', parsePositiveInt)
      .option('--zipf <s>', 'Zipf exponent of popularity', parseNonNegative, 1)
      .option('--free-riders <f>', 'share of peers sharing nothing', parseNonNegative, 0.7)
      .option('--latency <model>', 'latency model (default: coordinates, 10–151 ms, FIFO links)', parseLatency)
      .option('--settle <ms>', 'virtual ms after the last arrival before the first query', parseNonNegative, 120_000)
  },
  async run (o, io) {
    if (o.freeRiders > 1) throw new Error('--free-riders must be in [0, 1]')
    if (o.firewalled > 1) throw new Error('--firewalled must be in [0, 1]')
    io.info(`simulating ${o.nodes} fasttrack nodes, ${o.queries} queries, TTL ${o.ttl}, seed ${String(o.seed)}`)
    const t0 = performance.now()
    const workload = makeSearchWorkload({ nodes: o.nodes, queries: o.queries, seed: o.seed, zipf: o.zipf, freeRiderShare: o.freeRiders, ...(o.files !== undefined ? { files: o.files } : {}) })
    const r = simulateSearch(workload, {
      seed: o.seed,
      settleMs: o.settle,
      firewalledShare: o.firewalled,
      ...(o.latency !== undefined ? { latency: o.latency } : {}),
      overlay: { queryTtl: o.ttl, maxLeaves: o.maxLeaves, supernodeDegree: o.degree, maxSupernodeLinks: Math.max(2 * o.degree, 8) }
    })
    const { overlay: _o, messagesByType, ...rest } = r
    return { ...rest, messagesByType, wallMs: Math.round(performance.now() - t0) }
  }
}

export default command
