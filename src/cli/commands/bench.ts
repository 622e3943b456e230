/** `overlaykit bench <name…|all> [--quick]`: the same runner as `npm run bench`. */
import type { Command } from 'commander'
import type { CliIo } from '../plugin.js'
import { parseList } from '../options.js'

export default function register (program: Command, io: CliIo): void {
  program.command('bench')
    .description('run benchmarks; writes benchmarks/results/<name>.{json,md,svg} (quick runs: benchmarks/results/quick/)')
    .argument('[names...]', 'benchmark names, or "all" (none: list them)')
    .option('--list', 'list the benchmarks and exit', false)
    .option('--quick', 'a small version that finishes in seconds', false)
    .option('--out <dir>', 'output folder')
    .option('--timeout <s>', 'give up on a benchmark after this many seconds and go on (0 = never)', Number, 0)
    .action(async (names: string[], _opts: unknown, self: Command) => {
      const o = self.optsWithGlobals<{ list: boolean, quick: boolean, out?: string, json: boolean, seed: number | string, timeout: number }>()
      let runner: typeof import('../../../benchmarks/lib/runner.js')
      try {
        runner = await import('../../../benchmarks/lib/runner.js')
      } catch {
        // the package ships dist/src only; the benchmarks need the repository (and its devDependencies)
        throw new Error('the benchmarks are not part of the installed package: run them from a clone of the repository (npm install, then npm run bench -- --list)')
      }
      const list = names.flatMap(parseList)
      if (o.list || list.length === 0) {
        io.result({ benchmarks: [...(await runner.listBenchmarks()).keys()] }, o.json)
        return
      }
      const seed = typeof o.seed === 'number' ? o.seed : Number.parseInt(String(o.seed), 10)
      if (!Number.isInteger(seed)) throw new Error('benchmarks take an integer --seed')
      const { records, ok } = await runner.runBenchmarks({ names: list, quick: o.quick, seed, json: o.json, out: o.out, timeoutSec: o.timeout })
      if (o.json) io.result({ ok, results: records }, true)
      if (!ok) throw new Error(`benchmark failed: ${records.filter(r => !r.ok).map(r => `${r.name} (${r.error ?? ''})`).join(', ')}`)
    })
}
