/**
 * `overlaykit sim napster --nodes N --queries Q --seed S [--crash-at F --restart-after MS] [--json]`:
 * a central index server and N clients on the shared search workload; optionally the server crashes
 * part-way through the queries (and restarts), showing the single point of failure and the recovery.
 */
import type { Command } from 'commander'
import type { SimCommand } from '../plugin.js'
import { makeSearchWorkload } from '../../search/workload.js'
import { simulateSearch } from '../../napster/sim-search.js'
import { parseLatency, parseNonNegative, parsePositiveInt } from '../options.js'

const command: SimCommand = {
  name: 'napster',
  description: 'Napster central index on the Zipf/free-rider workload: success, messages per query, server load, crash',
  configure (cmd: Command): void {
    cmd
      .option('--nodes <n>', 'clients', parsePositiveInt, 1000)
      .option('--queries <q>', 'queries', parsePositiveInt, 200)
      .option('--files <n>', 'distinct files in the catalog (default max(100, nodes))', parsePositiveInt)
      .option('--zipf <s>', 'Zipf exponent of popularity', parseNonNegative, 1)
      .option('--free-riders <f>', 'share of peers sharing nothing', parseNonNegative, 0.7)
      .option('--crash-at <fraction>', 'crash the server at this fraction of the query phase (0..1)', parseNonNegative)
      .option('--restart-after <ms>', 'restart the crashed server after this many virtual ms', parseNonNegative)
      .option('--latency <model>', 'latency model (default: coordinates, 10–151 ms, FIFO links)', parseLatency)
  },
  async run (o, io) {
    if (o.freeRiders > 1) throw new Error('--free-riders must be in [0, 1]')
    if (o.crashAt !== undefined && o.crashAt > 1) throw new Error('--crash-at must be in [0, 1]')
    io.info(`simulating a napster server and ${o.nodes} clients, ${o.queries} queries, seed ${String(o.seed)}`)
    const t0 = performance.now()
    const workload = makeSearchWorkload({ nodes: o.nodes, queries: o.queries, seed: o.seed, zipf: o.zipf, freeRiderShare: o.freeRiders, ...(o.files !== undefined ? { files: o.files } : {}) })
    const r = simulateSearch(workload, {
      seed: o.seed,
      ...(o.latency !== undefined ? { latency: o.latency } : {}),
      ...(o.crashAt !== undefined ? { crashAt: o.crashAt } : {}),
      ...(o.restartAfter !== undefined ? { restartAfterMs: o.restartAfter } : {})
    })
    const { overlay: _o, messagesByType, ...rest } = r
    return { ...rest, messagesByType, wallMs: Math.round(performance.now() - t0) }
  }
}

export default command
