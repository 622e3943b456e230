/**
 * A benchmark is one file `benchmarks/<name>.ts` whose default export is a Benchmark, listed in
 * benchmarks/index.ts. The runner (benchmarks/run.ts) loads them from that list, runs them, prints the table and writes
 * benchmarks/results/<name>.json ({ name, seed, params, rows, ... }) and <name>.md.
 */

export interface BenchProgress {
  tick (n?: number): void
  stop (): void
}

export interface BenchContext {
  /** A small version that finishes in seconds (`--quick`). */
  quick: boolean
  seed: number
  /** Human-readable lines go here (stderr), never to stdout in --json mode. */
  log (line: string): void
  /** A progress bar on stderr when it is a TTY; a no-op otherwise. */
  progress (label: string, total: number): BenchProgress
}

export interface BenchResult {
  params: Record<string, unknown>
  /** Our measurements; where a reference exists, put its figure in columns named `ref*` / `paper*`. */
  rows: Array<Record<string, unknown>>
  /** Further tables (e.g. a PDF), written to the JSON and the markdown under their key. */
  tables?: Record<string, Array<Record<string, unknown>>>
  /** Plain sentences for the markdown: goals met or not, caveats. */
  notes?: string[]
  /** Vega-Lite specs (data inline) rendered to <name>[-<key>].svg by the runner. */
  charts?: Record<string, unknown>
}

export interface Benchmark {
  name: string
  description: string
  run (ctx: BenchContext): Promise<BenchResult>
}

/** Benchmarks by name, each loaded on use (benchmarks/index.ts is the repository's list). */
export type BenchmarkList = Record<string, () => Promise<{ default?: Partial<Benchmark> }>>
