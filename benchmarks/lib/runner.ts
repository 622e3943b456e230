/**
 * The benchmark runner's engine, shared by `npm run bench` (benchmarks/run.ts) and `overlaykit bench`.
 * Takes the benchmarks from the static list benchmarks/index.ts (or a caller's list), runs them, prints each table and
 * writes `benchmarks/results/<name>.json` + `<name>.md` + one SVG per chart.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Benchmark, BenchContext, BenchmarkList, BenchResult } from './types.js'
import { BENCHMARKS } from '../index.js'
import { renderSvg } from './charts.js'
import { createIo } from '../../src/report/io.js'
import { markdownTable, textTable } from '../../src/report/table.js'

const here = dirname(fileURLToPath(import.meta.url))

/** The repository root: the nearest folder up from here whose package.json is overlaykit's. */
export function repoRoot (from = here): string {
  let dir = from
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg)) {
      try { if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'overlaykit') return dir } catch {}
    }
    const up = dirname(dir)
    if (up === dir) return process.cwd()
    dir = up
  }
}

/** The benchmarks' names (sorted) and loaders. */
export async function listBenchmarks (list: BenchmarkList = BENCHMARKS): Promise<Map<string, BenchmarkList[string]>> {
  return new Map(Object.keys(list).sort().map(n => [n, list[n]]))
}

export async function loadBenchmark (name: string, load: BenchmarkList[string]): Promise<Benchmark> {
  const mod = await load()
  const b = mod.default
  if (b == null || typeof b.run !== 'function' || typeof b.name !== 'string') {
    throw new Error(`${name}: default export is not a Benchmark { name, description, run }`)
  }
  return b as Benchmark
}

export interface RunOptions {
  /** Benchmark names, or ['all']. */
  names: string[]
  /** @default false */
  quick?: boolean
  /** @default 1 */
  seed?: number
  /** One JSON object on stdout instead of tables. @default false */
  json?: boolean
  /** Output folder. @default <repo>/benchmarks/results (quick runs: <repo>/benchmarks/results/quick) */
  out?: string
  /** Which benchmarks exist. @default BENCHMARKS (benchmarks/index.ts) */
  benchmarks?: BenchmarkList
  /** No log lines on stderr (tests). @default false */
  quiet?: boolean
  /**
   * Give up on a benchmark after this many seconds and go on with the next (0 = never). A benchmark
   * that timed out may leave work running: the caller should exit the process when done. @default 0
   */
  timeoutSec?: number
}

export interface RunRecord {
  name: string
  ok: boolean
  timedOut?: boolean
  error?: string
  files?: string[]
  result?: Record<string, unknown>
}

/** The JSON written for one benchmark: { name, seed, params, rows, ...tables, notes, ... }. */
export function resultDocument (b: Benchmark, r: BenchResult, seed: number, quick: boolean, elapsedSec: number, charts: string[]): Record<string, unknown> {
  return {
    name: b.name,
    description: b.description,
    seed,
    quick,
    params: r.params,
    rows: r.rows,
    ...(r.tables ?? {}),
    notes: r.notes ?? [],
    charts,
    elapsedSec: Math.round(elapsedSec * 100) / 100,
    node: process.version,
    date: new Date().toISOString()
  }
}

export function resultMarkdown (b: Benchmark, r: BenchResult, seed: number, quick: boolean, charts: string[]): string {
  const parts = [
    `# ${b.name}`, '', b.description, '',
    `seed ${seed}${quick ? ' · quick run' : ''} · ${process.version}`, '',
    '## Parameters', '',
    ...Object.entries(r.params).map(([k, v]) => `- ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`), '',
    '## Results', '', markdownTable(r.rows), ''
  ]
  for (const [k, rows] of Object.entries(r.tables ?? {})) parts.push(`## ${k}`, '', markdownTable(rows), '')
  if ((r.notes ?? []).length > 0) parts.push('## Notes', '', ...(r.notes ?? []).map(n => `- ${n}`), '')
  for (const c of charts) parts.push(`![${c}](${c})`, '')
  return parts.join('\n')
}

export async function runBenchmarks (o: RunOptions): Promise<{ records: RunRecord[], ok: boolean }> {
  const quick = o.quick ?? false
  const seed = o.seed ?? 1
  const json = o.json ?? false
  const io = createIo({ quiet: o.quiet ?? false })
  const out = o.out ?? join(repoRoot(), 'benchmarks', 'results', ...(quick ? ['quick'] : []))
  const available = await listBenchmarks(o.benchmarks)
  if (available.size === 0) throw new Error('no benchmarks listed')
  const wanted = o.names.length === 0 || o.names.includes('all') ? [...available.keys()] : o.names
  for (const n of wanted) {
    if (!available.has(n)) throw new Error(`unknown benchmark "${n}"; available: ${[...available.keys()].join(', ')}`)
  }
  await mkdir(out, { recursive: true })
  const records: RunRecord[] = []
  for (const name of wanted) {
    io.info(`== ${name}${quick ? ' (quick)' : ''}, seed ${seed}`)
    try {
      const b = await loadBenchmark(name, available.get(name) as BenchmarkList[string])
      const ctx: BenchContext = {
        quick,
        seed,
        log: (line: string) => { io.info(line) },
        progress: (label: string, total: number) => io.progress(label, total)
      }
      const t0 = performance.now()
      const r = (o.timeoutSec ?? 0) > 0
        ? await new Promise<BenchResult>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error(`timed out after ${o.timeoutSec ?? 0} s`)), (o.timeoutSec ?? 0) * 1000)
          b.run(ctx).then(resolve, reject).finally(() => clearTimeout(t))
        })
        : await b.run(ctx)
      const elapsed = (performance.now() - t0) / 1000
      const files: string[] = []
      const chartFiles: string[] = []
      for (const [key, spec] of Object.entries(r.charts ?? {})) {
        const file = `${name}-${key}.svg`
        try {
          await writeFile(join(out, file), await renderSvg(spec as Record<string, unknown>))
          chartFiles.push(file)
        } catch (err) {
          io.info(`${name}: chart "${key}" could not be rendered: ${(err as Error).message}`)
        }
      }
      const doc = resultDocument(b, r, seed, quick, elapsed, chartFiles)
      await writeFile(join(out, `${name}.json`), JSON.stringify(doc, (_k, v: unknown) => typeof v === 'bigint' ? v.toString() : v, 2) + '\n')
      await writeFile(join(out, `${name}.md`), resultMarkdown(b, r, seed, quick, chartFiles))
      files.push(`${name}.json`, `${name}.md`, ...chartFiles)
      const rel = relative(process.cwd(), out) || '.'
      if (!json) {
        process.stdout.write(`\n${b.name}: ${b.description}\n${textTable(r.rows)}\n`)
        for (const [k, rows] of Object.entries(r.tables ?? {})) process.stdout.write(`\n${k}:\n${textTable(rows)}\n`)
        for (const n of r.notes ?? []) process.stdout.write(`  · ${n}\n`)
      }
      io.info(`${name}: ${elapsed.toFixed(1)} s; wrote ${files.map(f => join(rel, f)).join(', ')}`)
      records.push({ name, ok: true, files: files.map(f => join(out, f)), result: doc })
    } catch (err) {
      const e = err as Error
      io.info(`${name}: FAILED: ${e.message}`)
      if (process.env.OVERLAYKIT_DEBUG != null) io.info(e.stack ?? '')
      records.push({ name, ok: false, error: e.message, ...(e.message.startsWith('timed out') ? { timedOut: true } : {}) })
    }
  }
  return { records, ok: records.every(r => r.ok) }
}
