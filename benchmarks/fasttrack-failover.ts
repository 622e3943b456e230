/**
 * fasttrack-failover — kill 10 % of the supernodes at once in the middle of a query stream: time until
 * every orphaned leaf is re-attached and searchable again (ms and maintenance periods), shares lost
 * (goal 0), success rate before, during the gap and after. Liang, Kumar and Ross describe the
 * mechanism (a refresh list of up to 200 supernodes, retried when the supernode fails) but give no
 * recovery figure, so there is no reference column; the goals are the issue's.
 */
import type { Benchmark } from './lib/types.js'
import { makeSearchWorkload } from '../src/search/workload.js'
import { simulateFailover } from '../src/fasttrack/sim-failover.js'

const r3 = (x: number): number => Math.round(x * 1000) / 1000

const bench: Benchmark = {
  name: 'fasttrack-failover',
  description: 'FastTrack: kill 10 % of the supernodes mid-run; re-attachment time, shares lost, success during the gap',
  async run (ctx) {
    const nodes = ctx.quick ? 1000 : 10_000
    const queries = ctx.quick ? 300 : 1000
    const periods = ctx.quick ? [10_000] : [30_000, 10_000]
    const rows: Array<Record<string, unknown>> = []
    const workload = makeSearchWorkload({ nodes, queries, seed: ctx.seed })
    for (const maintenanceMs of periods) {
      ctx.log(`maintenance period ${maintenanceMs} ms…`)
      const t0 = performance.now()
      const r = simulateFailover(workload, { seed: ctx.seed, killFraction: 0.1, overlay: { maintenanceMs } })
      rows.push({
        maintenanceMs,
        nodes: r.nodes,
        supernodesBefore: r.supernodesBefore,
        supernodesKilled: r.supernodesKilled,
        orphanedLeaves: r.orphanedLeaves,
        reattachMs: r.reattachMs,
        searchableMs: r.searchableMs,
        searchablePeriods: r.searchableMs < 0 ? -1 : r3(r.searchableMs / maintenanceMs),
        sharesLostAtEnd: r.sharesLostAtEnd,
        maxSharesUnindexed: r.maxSharesUnindexed,
        supernodesAfter: r.supernodesAfter,
        promotionsAfterCrash: r.promotionsAfterCrash,
        successBefore: r3(r.successBefore),
        successDuringGap: r3(r.successDuringGap),
        successAfter: r3(r.successAfter),
        queries: `${r.queriesBefore} / ${r.queriesDuringGap} / ${r.queriesAfter}`,
        goalSharesLost: 0,
        wallMs: Math.round(performance.now() - t0)
      })
    }
    const lost = rows.filter(r => (r.sharesLostAtEnd as number) !== 0 || (r.searchableMs as number) < 0)
    return {
      params: {
        nodes, queries, seed: ctx.seed, killFraction: 0.1, maintenancePeriodsMs: periods,
        workload: { files: workload.params.files, zipf: workload.params.zipf, freeRiderShare: workload.params.freeRiderShare, queryIntervalMs: workload.params.queryIntervalMs },
        latency: 'coordinates: 10 ms + 100 ms per unit of a unit square',
        overlay: { maxLeaves: 150, queryTtl: 4, supernodeDegree: 8, replyTimeoutMs: 5000, attachTimeoutMs: 2000, leafTimeout: '3 periods' },
        crash: 'silent (no goodbye), half-way through the query stream', queryTimeoutMs: 10_000, sampleMs: 250
      },
      rows,
      notes: [
        `Goal 0 shares lost: ${lost.length === 0 ? 'met' : 'missed for period ' + lost.map(r => String(r.maintenanceMs)).join(', ')}.`,
        'searchableMs: from the crash until every orphaned leaf is attached to a live supernode whose index holds all of its files. A leaf notices a dead supernode at its next ping (within one period) plus the reply timeout, then re-attaches from its refresh list or elects a new supernode.',
        'successDuringGap: queries issued between the crash and full recovery; a query succeeds when a hit for the wanted file arrives within 10 s, so queries issued late in the gap may be answered after recovery.'
      ]
    }
  }
}

export default bench
