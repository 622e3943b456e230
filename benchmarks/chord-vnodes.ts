/**
 * chord-vnodes — Chord SIGCOMM 2001 Fig. 9: load balance with virtual nodes. 10^4 hosts, 10^6 keys,
 * v ∈ {1, 2, 5, 10, 20} vnodes per host. Keys are placed at their owners by brute force (the load a
 * converged ring gives); hops come from real iterative lookups in the simulator. Routing is
 * host-level: a host routes with the union of all its vnodes' fingers and successor lists, so more
 * vnodes do not lengthen paths (the paper's scheme adds ≈ ½·log2 v hops).
 */
import type { Benchmark } from './lib/types.js'
import { lineChart } from './lib/charts.js'
import { buildRing, hashedKeys, keyLoad, routingEntriesPerHost, runLookups } from '../src/chord/sim-run.js'
import { Rng } from '../src/overlay/rng.js'

/**
 * What random placement gives: a host's share of the ring is a sum of v spacings of uniform points,
 * ≈ Gamma(v) with mean 1, whose 1st / 99th percentiles (chi-square with 2v degrees of freedom / 2v).
 */
const THEORY: Record<number, { p99: number, p1: number }> = { 1: { p99: 4.61, p1: 0.01 }, 2: { p99: 3.32, p1: 0.074 }, 5: { p99: 2.32, p1: 0.256 }, 10: { p99: 1.88, p1: 0.413 }, 20: { p99: 1.59, p1: 0.554 } }

const PAPER: Record<number, { p99: number, p1: number }> = { 1: { p99: 4.77, p1: 0 }, 2: { p99: 3.47, p1: 0.07 }, 5: { p99: 2.20, p1: 0.24 }, 10: { p99: 1.86, p1: 0.38 }, 20: { p99: 1.61, p1: 0.50 } }

const bench: Benchmark = {
  name: 'chord-vnodes',
  description: 'Chord load balance with virtual nodes (paper Fig. 9): keys per host p1/p99 over mean, hops, routing state',
  async run (ctx) {
    const hosts = ctx.quick ? 1000 : 10_000
    const nkeys = ctx.quick ? 100_000 : 1_000_000
    const lookups = ctx.quick ? 1000 : 10_000
    const vs = [1, 2, 5, 10, 20]
    const keys = hashedKeys(nkeys, new Rng(`${ctx.seed}/vnodes/keys`), 160)
    const rows: Array<Record<string, unknown>> = []
    for (const v of vs) {
      const { sim, nodes } = buildRing({ hosts, options: { vnodes: v, expectedNodes: hosts * v }, sim: { seed: `${ctx.seed}/vnodes/${v}` } })
      const load = keyLoad(nodes, keys, sim.rng)
      const st = runLookups(sim, nodes, { count: lookups })
      const h = st.hops.summary()
      rows.push({
        vnodes: v,
        hosts,
        keys: nkeys,
        meanKeys: load.mean,
        p1PerMean: +(load.p1 / load.mean).toFixed(3),
        p99PerMean: +(load.p99 / load.mean).toFixed(3),
        maxPerMean: +(load.max / load.mean).toFixed(2),
        hostsWithNoKeys: load.zero,
        meanHops: +h.mean.toFixed(3),
        p99Hops: h.p99,
        failedLookups: st.failed,
        routingEntriesPerHost: Math.round(routingEntriesPerHost(nodes)),
        paperP1PerMean: PAPER[v].p1,
        paperP99PerMean: PAPER[v].p99,
        gammaP1PerMean: THEORY[v].p1,
        gammaP99PerMean: THEORY[v].p99
      })
      ctx.log(`v=${v}: p99/mean ${(load.p99 / load.mean).toFixed(3)} (paper ${PAPER[v].p99}), hops ${h.mean.toFixed(3)}`)
    }
    const goalHops = 0.5 * Math.log2(hosts) + 0.3
    const v20 = rows[rows.length - 1]
    const worse = rows.filter(r => (r.p99PerMean as number) > (r.paperP99PerMean as number))
    return {
      params: { hosts, keys: nkeys, lookupsPerV: lookups, vs, bits: 160, successors: 'max(8, 2·log2(hosts·v)) per vnode', bootstrap: 'oracle (converged ring)', seed: ctx.seed },
      rows,
      notes: [
        `Goal p99/mean ≤ paper: ${worse.length === 0 ? 'met at every v' : 'missed at v = ' + worse.map(r => String(r.vnodes)).join(', ')}.`,
        `Goal mean hops at v = 20 ≤ ½·log2(hosts) + 0.3 = ${goalHops.toFixed(2)}: ${(v20.meanHops as number) <= goalHops ? 'met' : 'missed'} (${String(v20.meanHops)}).`,
        'gamma columns: the percentiles random placement gives in the limit (a host\'s share ≈ Gamma(v), mean 1); the paper\'s plotted values scatter around them the same way ours do.',
        'Load = keys whose successor is one of the host\'s vnodes (brute force over the sorted ring; the same key set for every v). Percentiles are nearest-rank over hosts.',
        'routingEntriesPerHost = distinct finger entries + successor-list entries + predecessors, summed over the host\'s vnodes: the cost of v vnodes is v× the routing state, as the paper states.'
      ],
      charts: {
        load: lineChart({ title: 'Keys per host / mean vs vnodes', rows, x: 'vnodes', series: ['p99PerMean', 'p1PerMean', { field: 'paperP99PerMean', label: 'paper p99', dashed: true }, { field: 'paperP1PerMean', label: 'paper p1', dashed: true }] })
      }
    }
  }
}

export default bench
