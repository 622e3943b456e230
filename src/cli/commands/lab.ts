/**
 * `overlaykit lab search --nodes N --overlays napster,gnutella,fasttrack,chord --queries Q [--churn R]
 *  --seed S [--out DIR] [--json]`: the comparison lab (see ../lab/search.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Command } from 'commander'
import type { CliIo } from '../plugin.js'
import { parseList, parseNonNegative, parsePositiveInt } from '../options.js'
import { renderSvg } from '../../report/charts.js'

export const DEFAULT_SEARCH_OVERLAYS = ['napster', 'gnutella', 'fasttrack', 'chord']

export default function register (program: Command, io: CliIo): void {
  const lab = program.command('lab').description('comparison labs: the same workload on several overlays')
  lab.command('search')
    .description('one search workload (catalog, Zipf queries, free riders, optional churn) on every chosen overlay, in the simulator')
    .option('--nodes <n>', 'peers', parsePositiveInt, 1000)
    .option('--queries <q>', 'queries', parsePositiveInt, 1000)
    .option('--overlays <list>', 'comma-separated overlays', parseList, DEFAULT_SEARCH_OVERLAYS)
    .option('--churn <rate>', 'churn rate handed to each overlay (joins and leaves per node per second)', parseNonNegative, 0)
    .option('--files <n>', 'distinct files in the catalog (default max(100, nodes))', parsePositiveInt)
    .option('--zipf <s>', 'Zipf exponent of popularity', parseNonNegative, 1)
    .option('--free-riders <share>', 'share of peers that share nothing', parseNonNegative, 0.7)
    .option('--out <dir>', 'write lab-search.{json,md} and one SVG chart per metric here')
    .action(async (_opts: unknown, self: Command) => {
      const o = self.optsWithGlobals<{ nodes: number, queries: number, overlays: string[], churn: number, files?: number, zipf: number, freeRiders: number, out?: string, seed: number | string, json: boolean }>()
      if (o.freeRiders > 1) throw new Error('--free-riders is a share in [0, 1]')
      // loaded on use: the lab takes the overlays from the registry, which imports every overlay
      const { labCharts, labMarkdown, labTableRows, runSearchLab } = await import('../lab/search.js')
      // a name no overlay has is a typo: refuse it (an overlay without a lab entry is skipped, with why)
      const { OVERLAY_NAMES } = await import('../../overlays.js')
      const unknown = o.overlays.filter(n => !(OVERLAY_NAMES as readonly string[]).includes(n))
      if (unknown.length > 0) throw new Error(`unknown overlay${unknown.length > 1 ? 's' : ''} ${unknown.map(n => `"${n}"`).join(', ')} in --overlays (known: ${OVERLAY_NAMES.join(', ')})`)
      const bar = io.progress('overlays', o.overlays.length)
      io.info(`lab search: ${o.nodes} nodes, ${o.queries} queries, overlays ${o.overlays.join(', ')}, churn ${o.churn}, seed ${String(o.seed)}`)
      const result = await runSearchLab({
        nodes: o.nodes, queries: o.queries, overlays: o.overlays, seed: o.seed, churn: o.churn,
        zipf: o.zipf, freeRiders: o.freeRiders, ...(o.files !== undefined ? { files: o.files } : {})
      }, (overlay, _n, ran) => { bar.tick(); if (ran) io.info(`  ${overlay} done`) })
      bar.stop()
      for (const s of result.skipped) io.info(`  skipped ${s.overlay}: ${s.reason}`)
      if (result.rows.length === 0) throw new Error(`no overlay could run: ${result.skipped.map(s => s.reason).join('; ')}`)
      const files: string[] = []
      if (o.out !== undefined) {
        await mkdir(o.out, { recursive: true })
        const charts = labCharts(result.rows, result.params)
        for (const [key, spec] of Object.entries(charts)) {
          const f = join(o.out, `lab-search-${key}.svg`)
          await writeFile(f, await renderSvg(spec))
          files.push(f)
        }
        const md = labMarkdown(result, Object.keys(charts))
        await writeFile(join(o.out, 'lab-search.md'), md)
        await writeFile(join(o.out, 'lab-search.json'), JSON.stringify(result, null, 2) + '\n')
        files.push(join(o.out, 'lab-search.md'), join(o.out, 'lab-search.json'))
        io.info(`wrote ${files.join(', ')}`)
      }
      if (o.json) io.result({ ...result, files }, true)
      else io.result({ rows: labTableRows(result.rows), ...(result.skipped.length > 0 ? { skipped: result.skipped } : {}) }, false)
    })
}
