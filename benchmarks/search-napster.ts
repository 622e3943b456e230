/**
 * search-napster — the central index on the shared search workload (Zipf(1) popularity, 70 % free
 * riders) at 10^4 clients: success rate, messages per query, server load (messages/s, index size),
 * and what a server crash mid-run does (with and without a restart).
 */
import type { Benchmark } from './lib/types.js'
import { makeSearchWorkload } from '../src/search/workload.js'
import { simulateSearch, type NapsterRunResult, type NapsterSimOptions } from '../src/napster/index.js'

const r3 = (x: number | undefined): number | string => x === undefined ? '—' : Math.round(x * 1000) / 1000

const bench: Benchmark = {
  name: 'search-napster',
  description: 'Napster central index at 10^4 clients: success, messages per query, server load and index size, server crash mid-run',
  async run (ctx) {
    const nodes = ctx.quick ? 1000 : 10_000
    const queries = ctx.quick ? 300 : 2000
    const workload = makeSearchWorkload({ nodes, queries, seed: ctx.seed })
    const phaseMs = workload.queries.at(-1)?.at ?? 0
    const restartAfterMs = Math.round(phaseMs * 0.2)
    const scenarios: Array<{ scenario: string, options: NapsterSimOptions }> = [
      { scenario: 'steady', options: {} },
      { scenario: `crash at 30 %, restart after ${Math.round(restartAfterMs / 1000)} s`, options: { crashAt: 0.3, restartAfterMs } },
      { scenario: 'crash at 30 %, no restart', options: { crashAt: 0.3 } }
    ]
    ctx.log(`search-napster: ${nodes} clients, ${queries} queries over ${Math.round(phaseMs / 1000)} s, seed ${ctx.seed}`)
    const rows: Array<Record<string, unknown>> = []
    for (const s of scenarios) {
      const t0 = performance.now()
      const r: NapsterRunResult = simulateSearch(workload, { seed: ctx.seed, ...s.options })
      const byType = r.messagesByType as Record<string, number>
      const searchMsgs = (byType.search ?? 0) + (byType.result ?? 0) + (byType['end-results'] ?? 0)
      rows.push({
        scenario: s.scenario,
        successRate: r3(r.successRate),
        messagesPerQuery: r3(r.messagesPerQuery),
        searchMsgsPerQuery: r3(searchMsgs / r.queries),
        meanHops: r3(r.meanHops),
        p50LatencyMs: Math.round(r.p50LatencyMs),
        serverMsgsPerSec: Math.round(r.serverMsgsPerSec),
        serverMessages: r.serverMessages,
        indexSize: r.indexSize,
        users: r.users,
        successBeforeCrash: r3(r.successBeforeCrash),
        successWhileDown: r3(r.successWhileDown),
        successAfterRestart: r3(r.successAfterRestart),
        failedQueries: r.queryErrors as number,
        failedAtOnce: r.failedWhileDown,
        recoveryMs: r.recoveryMs ?? '—',
        indexSizeAtEnd: r.indexSizeAtEnd,
        refMaxResults: 100
      })
      ctx.log(`${s.scenario}: success ${r3(r.successRate)}, ${r3(r.messagesPerQuery)} msgs/query, server ${Math.round(r.serverMsgsPerSec)} msgs/s, index ${r.indexSize} (${Math.round((performance.now() - t0) / 1000)} s)`)
    }
    return {
      params: {
        nodes, queries, seed: ctx.seed, zipf: 1, freeRiderShare: 0.7, sharesPerSharer: '20 (Pareto 1.5)', files: workload.params.files,
        queryIntervalMs: workload.params.queryIntervalMs, queryPhaseMs: Math.round(phaseMs), warmupMs: 30_000, queryTimeoutMs: 10_000,
        client: 'keep-alive ping every 30 s, request timeout 5 s, reconnect backoff 1–30 s',
        latency: 'coordinates: unit square, 10 ms + 100 ms/unit, server at the centre'
      },
      rows,
      notes: [
        'One hop per search: the client asks the server, which answers from its inverted keyword index (≤ 100 results, OpenNap), then 202. messagesPerQuery counts every message in the query phase including the clients\' keep-alives; searchMsgsPerQuery only the search, its results and the end marker.',
        'Success = a result for the wanted file (by SHA-256); with the 100-result cap a very common keyword set can crowd out the wanted file, and files nobody shares count as failures.',
        'Crash: the server fails silently. Clients with a search in flight notice after the 5 s request timeout, idle ones at their next keep-alive; while it is down every search fails (at once with ERR_UNREACHABLE once the client knows, after the timeout otherwise). On restart the index is empty: clients log in again (backoff, or on their next request when the server says "not logged in") and re-share their whole catalog, so success climbs back as the index refills. recoveryMs = restart until the server has 99 % of the clients again.',
        'No published Napster measurement is in REFERENCE.md; the reference column is the protocol\'s own 100-result cap. Compare with search-gnutella\'s messages per query for the same workload.'
      ]
    }
  }
}

export default bench
