/**
 * The search comparison lab: one workload (catalog, Zipf queries, free riders, optional churn) run on
 * every chosen overlay through its registry entry's `simulateSearch(workload, options)`, one row each.
 * An overlay the registry (src/overlays.ts) does not know, or whose entry has no `simulateSearch`, is
 * reported as skipped, never faked.
 */
import { makeSearchWorkload, type SearchRunResult, type SearchWorkload, type SimulateSearch } from '../../search/workload.js'
import { barChart, type ChartSpec } from '../../report/charts.js'
import { markdownTable } from '../../report/table.js'
import { OVERLAY_NAMES, overlayKit } from '../../overlays.js'

export interface SearchLabOptions {
  nodes: number
  queries: number
  overlays: string[]
  seed: number | string
  /** Churn rate handed to each overlay (joins and leaves per node per second). @default 0 */
  churn?: number
  /** Distinct files. @default max(100, nodes) */
  files?: number
  /** Zipf exponent. @default 1 */
  zipf?: number
  /** Share of free riders. @default 0.7 */
  freeRiders?: number
}

export interface SearchLabResult {
  params: Record<string, unknown>
  rows: SearchRunResult[]
  skipped: Array<{ overlay: string, reason: string }>
  /** Wall-clock seconds per overlay (not a protocol figure). */
  wallSec: Record<string, number>
}

/** The overlay's `simulateSearch` from the registry, or why there is none. */
export async function loadSimulateSearch (overlay: string): Promise<SimulateSearch<Record<string, unknown>> | string> {
  const kit = overlayKit(overlay)
  if (kit === undefined) return `no overlay "${overlay}" (known: ${OVERLAY_NAMES.join(', ')})`
  if (kit.simulateSearch === undefined) return `overlay "${overlay}" has no simulateSearch(workload, options) for the search lab`
  return kit.simulateSearch
}

export async function runSearchLab (
  o: SearchLabOptions,
  onOverlay?: (overlay: string, done: number, ran: boolean) => void,
  /** How to find an overlay's simulateSearch (tests inject one). @default loadSimulateSearch */
  load: (overlay: string) => Promise<SimulateSearch<Record<string, unknown>> | string> = loadSimulateSearch
): Promise<SearchLabResult> {
  const workload: SearchWorkload = makeSearchWorkload({
    nodes: o.nodes,
    queries: o.queries,
    seed: o.seed,
    ...(o.files !== undefined ? { files: o.files } : {}),
    ...(o.zipf !== undefined ? { zipf: o.zipf } : {}),
    ...(o.freeRiders !== undefined ? { freeRiderShare: o.freeRiders } : {})
  })
  const rows: SearchRunResult[] = []
  const skipped: SearchLabResult['skipped'] = []
  const wallSec: Record<string, number> = {}
  let done = 0
  for (const overlay of o.overlays) {
    const sim = await load(overlay)
    if (typeof sim === 'string') {
      skipped.push({ overlay, reason: sim })
    } else {
      const t0 = performance.now()
      // Every overlay gets the same workload object; it must treat it as read-only.
      const r = sim(workload, { seed: o.seed, churn: o.churn ?? 0 })
      wallSec[overlay] = Math.round((performance.now() - t0) / 10) / 100
      rows.push({ ...r, overlay: r.overlay ?? overlay })
    }
    onOverlay?.(overlay, ++done, typeof sim !== 'string')
  }
  return {
    params: { ...workload.params, churn: o.churn ?? 0, overlays: o.overlays },
    rows,
    skipped,
    wallSec
  }
}

/** The lab's core columns, in order, then whatever extra figures overlays report. */
export const LAB_COLUMNS = ['overlay', 'successRate', 'messagesPerQuery', 'meanHops', 'p50LatencyMs', 'maxNodeLoad'] as const

export function labTableRows (rows: readonly SearchRunResult[], extra = false): Array<Record<string, unknown>> {
  return rows.map(r => {
    const out: Record<string, unknown> = {}
    for (const c of LAB_COLUMNS) out[c] = r[c]
    if (extra) for (const [k, v] of Object.entries(r)) if (!(k in out) && (typeof v === 'number' || typeof v === 'string')) out[k] = v
    return out
  })
}

/** One bar chart per metric (messages per query on a log scale: flooding and an index differ by orders of magnitude). */
export function labCharts (rows: readonly SearchRunResult[], params: Record<string, unknown>): Record<string, ChartSpec> {
  const sub = `${String(params.nodes)} nodes, ${String(params.queries)} queries, seed ${String(params.seed)}`
  const data = rows.map(r => ({ ...r }))
  return {
    messages: barChart({ title: `Messages per query (${sub})`, rows: data, category: 'overlay', value: 'messagesPerQuery', yTitle: 'messages per query (log)', logY: true }),
    success: barChart({ title: `Success rate (${sub})`, rows: data, category: 'overlay', value: 'successRate', yTitle: 'share of queries with a hit' }),
    hops: barChart({ title: `Mean hops to the first hit (${sub})`, rows: data, category: 'overlay', value: 'meanHops', yTitle: 'hops' }),
    latency: barChart({ title: `Median latency to the first hit (${sub})`, rows: data, category: 'overlay', value: 'p50LatencyMs', yTitle: 'ms (virtual)' }),
    load: barChart({ title: `Most messages received by one node (${sub})`, rows: data, category: 'overlay', value: 'maxNodeLoad', yTitle: 'messages (log)', logY: true })
  }
}

/** Every figure the overlays report, one row per figure, one column per overlay (they differ a lot). */
export function labFiguresByMetric (rows: readonly SearchRunResult[]): Array<Record<string, unknown>> {
  const metrics: string[] = []
  for (const r of rows) for (const [k, v] of Object.entries(r)) if (k !== 'overlay' && (typeof v === 'number' || typeof v === 'string') && !metrics.includes(k)) metrics.push(k)
  return metrics.map(m => {
    const line: Record<string, unknown> = { figure: m }
    for (const r of rows) line[r.overlay] = r[m] ?? ''
    return line
  })
}

/** The lab's markdown report: workload, the core table, every figure, the charts. */
export function labMarkdown (result: SearchLabResult, chartKeys: string[]): string {
  return [
    '# Search comparison lab', '',
    `Workload: ${Object.entries(result.params).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`).join(', ')}.`, '',
    markdownTable(labTableRows(result.rows)), '',
    'successRate: share of queries with a hit for the wanted file; messagesPerQuery: overlay messages sent during the query phase per query (maintenance included); meanHops: overlay hops of the first hit; p50LatencyMs: median time to the first hit (virtual); maxNodeLoad: most messages received by one node (a server, a supernode, a hub).', '',
    ...(result.skipped.length > 0 ? ['Skipped: ' + result.skipped.map(s => `${s.overlay} (${s.reason})`).join('; '), ''] : []),
    '## Every figure the overlays report', '', markdownTable(labFiguresByMetric(result.rows)), '',
    ...chartKeys.map(k => `![${k}](lab-search-${k}.svg)`), ''
  ].join('\n')
}
