/**
 * hostile-load — each attack of issue 13 against a victim among honest peers. Each row runs in a
 * fresh process (benchmarks/lib/hostile-row.ts: the victim with ping and chord under the driver's
 * DEFAULT resource policy and the 'node' connection profile, over TCP; 4 honest peers pinging it in a
 * loop; the attacker in a child process of its own), so RSS before and after is that row's alone.
 *
 * Goals (issue 13): honest p99 during ≤ 3× before; RSS growth ≤ 64 MiB per attacking peer and back
 * within 32 MiB of the start after it leaves; a garbage sender cut off within 1 s; the node holds no
 * more than its configured connections. Rows with `policy: 'off'` (full runs only) repeat the attacks
 * with the defences switched off (budgets of 1 GiB, no deadline, no rate, no score) for the before/after
 * comparison; their `met` is what it is. Rows whose `mallocEnv` is set ran the victim's process with
 * those glibc settings (docs/limits.md recommends them for deployment); the others with none.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { RESOURCE_DEFAULTS } from '../src/overlay/resources.js'
import { MAX_CONNECTIONS, scenarios, type RowOrder } from './lib/hostile-row.js'
import type { Benchmark, BenchContext } from './lib/types.js'

const ROW = fileURLToPath(new URL('./lib/hostile-row.js', import.meta.url))
/** glibc settings the docs recommend for a node (docs/limits.md, "Memory after an attack"). */
export const MALLOC_RECOMMENDED = { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072' }

async function runRow (ctx: BenchContext, order: RowOrder, env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MALLOC_')))
  const child = spawn(process.execPath, [ROW, JSON.stringify(order)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...clean, ...env } })
  let row: Record<string, unknown> | undefined
  createInterface({ input: child.stdout }).on('line', l => { if (l.startsWith('ROW ')) row = JSON.parse(l.slice(4)); else ctx.log(l) })
  createInterface({ input: child.stderr }).on('line', l => { ctx.log(l) })
  const code = await new Promise<number | null>(resolve => { child.once('exit', resolve) })
  if (row === undefined) throw new Error(`${order.scenario} (${order.policy}): the row process exited with ${String(code)} and no row`)
  return row
}

const bench: Benchmark = {
  name: 'hostile-load',
  description: 'issue 13 attacks against a live victim among honest peers: honest latency, loop lag, RSS, time to cut off',
  async run (ctx) {
    const windowMs = ctx.quick ? 1500 : 3000
    const only = process.env.HOSTILE_LOAD_ONLY?.split(',').filter(x => x !== '')
    const rows: Array<Record<string, unknown>> = []
    const variants: Array<'defaults' | 'off'> = ctx.quick ? ['defaults'] : ['defaults', 'off']
    for (const policy of variants) {
      for (const s of scenarios(ctx.quick)) {
        if (only !== undefined && !only.includes(s.id)) continue
        const order: RowOrder = { scenario: s.id, policy, windowMs, quick: ctx.quick }
        rows.push(await runRow(ctx, order))
        // memory-heavy attacks once more with the recommended allocator settings
        if (s.mallocRow === true) rows.push(await runRow(ctx, order, MALLOC_RECOMMENDED))
      }
    }
    return {
      params: { transport: 'tcp', honestPeers: 4, windowMs, maxConnections: MAX_CONNECTIONS, policy: RESOURCE_DEFAULTS, variants, mallocRecommended: MALLOC_RECOMMENDED, seed: ctx.seed, node: process.version },
      rows,
      notes: [
        'Each row runs in a fresh process: victim and honest peers share it; the attacker runs in a child process over TCP. RSS is that whole process (victim and the 4 honest peers).',
        'RSS/heap/arrayBuffers after = after the attacker left and forced full GCs (v8.setFlagsFromString(\'--expose-gc\') at run time), relative to before the attack.',
        'Rows with policy "off" disable budgets, deadlines, rates and the score (the driver before issue 13) for comparison; "defaults" is RESOURCE_DEFAULTS with the \'node\' connection profile (maxConnections 64).',
        'mallocEnv: glibc settings of the victim\'s process for that row ("-" = none).'
      ]
    }
  }
}

export default bench
