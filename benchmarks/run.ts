/**
 * `npm run bench -- <name…|all> [--quick] [--seed S] [--json] [--out DIR]`
 *
 * Runs benchmarks (compiled `benchmarks/*.js` beside this file), prints their tables and writes
 * benchmarks/results/<name>.json, <name>.md and one SVG per chart. Quick runs go to
 * benchmarks/results/quick/ so they never overwrite full results.
 */
import { Command, CommanderError } from 'commander'
import { listBenchmarks, runBenchmarks } from './lib/runner.js'

const program = new Command('bench')
  .description('run overlaykit benchmarks and write benchmarks/results/<name>.{json,md,svg}')
  .argument('[names...]', 'benchmark names, or "all"')
  .option('--quick', 'a small version that finishes in seconds', false)
  .option('--seed <n>', 'seed', (v: string) => {
    const n = Number(v)
    if (!Number.isInteger(n)) throw new Error(`--seed must be an integer, got "${v}"`)
    return n
  }, 1)
  .option('--json', 'print one JSON object with every result on stdout', false)
  .option('--out <dir>', 'output folder (default benchmarks/results, or benchmarks/results/quick with --quick)')
  .option('--list', 'list the available benchmarks', false)
  .option('--timeout <s>', 'give up on a benchmark after this many seconds and go on (0 = never)', (v: string) => Number(v), 0)
  .exitOverride()

try {
  program.parse(process.argv)
  const o = program.opts<{ quick: boolean, seed: number, json: boolean, out?: string, list: boolean, timeout: number }>()
  const names = program.args.flatMap(a => a.split(',').map(s => s.trim()).filter(s => s.length > 0))
  if (o.list || names.length === 0) {
    const all = await listBenchmarks()
    process.stdout.write(o.json ? JSON.stringify({ benchmarks: [...all.keys()] }) + '\n' : [...all.keys()].join('\n') + '\n')
    if (!o.list) process.stderr.write('usage: npm run bench -- <name…|all> [--quick] [--seed S]\n')
  } else {
    const { records, ok } = await runBenchmarks({ names, quick: o.quick, seed: o.seed, json: o.json, out: o.out, timeoutSec: o.timeout })
    if (o.json) process.stdout.write(JSON.stringify({ ok, results: records }) + '\n')
    if (!ok) {
      process.stderr.write(`bench: failed: ${records.filter(r => !r.ok).map(r => r.name).join(', ')}\n`)
      process.exitCode = 1
    }
    // a benchmark that timed out may still hold timers or sockets: do not wait for it
    if (records.some(r => r.timedOut === true)) process.exit(process.exitCode ?? 0)
  }
} catch (err) {
  if (err instanceof CommanderError) process.exitCode = err.exitCode
  else {
    process.stderr.write(`bench: error: ${(err as Error).message}\n`)
    process.exitCode = 1
  }
}
