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
 * comparison; their `met` is what it is. Rows whose `processEnv` is set ran the victim's process with
 * those settings (ENV_VARIANTS); the others with none.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { RESOURCE_DEFAULTS } from '../src/overlay/resources.js'
import { MAX_CONNECTIONS, scenarios, type RowOrder } from './lib/hostile-row.js'
import { rejectCost } from './lib/reject-cost.js'
import type { Benchmark, BenchContext } from './lib/types.js'

const ROW = fileURLToPath(new URL('./lib/hostile-row.js', import.meta.url))
/**
 * Every row runs the victim with what docs/limits.md recommends for a node: V8's young generation
 * capped at 16 MiB semi-spaces (under an attack's allocation rate it grows to 64 MiB and is not given
 * back). The memory-heavy rows are repeated without it (a plain `node`), with glibc serving 32 KiB+
 * allocations from mmap as well (gives glibc's chunks back to the OS, at a cost in event-loop lag), and
 * with glibc's arena and trim settings, often suggested (measured so that the advice is not hearsay).
 */
export const RECOMMENDED_ENV: Record<string, string> = { NODE_OPTIONS: '--max-semi-space-size=16' }
export const ENV_VARIANTS: Array<Record<string, string>> = [
  {},
  { MALLOC_MMAP_THRESHOLD_: '32768', NODE_OPTIONS: '--max-semi-space-size=16' },
  { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072', NODE_OPTIONS: '--max-semi-space-size=16' }
]

async function runRow (ctx: BenchContext, order: RowOrder, env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MALLOC_') && k !== 'NODE_OPTIONS'))
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
        // 'off' switches the driver's defences off; the overlay quotas are the overlays' own
        if (policy === 'off' && (s.stage ?? 'driver') !== 'driver') continue
        const order: RowOrder = { scenario: s.id, policy, windowMs, quick: ctx.quick }
        rows.push(await runRow(ctx, order, RECOMMENDED_ENV))
        // memory-heavy attacks again with other process settings (defaults policy only)
        if (s.envRows === true && policy === 'defaults') for (const env of ENV_VARIANTS) rows.push(await runRow(ctx, order, env))
      }
    }
    // what one received frame costs the driver's read path, valid or refused (in this process)
    const reject = rejectCost()
    ctx.log(`read path per frame: ${reject.map(r => `${r.frame} ${r.usPerFrame} µs`).join('; ')}`)
    return {
      tables: { rejectCost: reject as unknown as Array<Record<string, unknown>> },
      params: { transport: 'tcp', honestPeers: 4, windowMs, maxConnections: MAX_CONNECTIONS, policy: RESOURCE_DEFAULTS, variants, recommendedEnv: RECOMMENDED_ENV, envVariants: ENV_VARIANTS, seed: ctx.seed, node: process.version },
      rows,
      notes: [
        'Each row runs in a fresh process: victim and honest peers share it; the attacker runs in a child process over TCP. RSS is that whole process (victim and the 4 honest peers).',
        'RSS/heap/arrayBuffers after = after the attacker left and forced full GCs (v8.setFlagsFromString(\'--expose-gc\') at run time), relative to before the attack.',
        'Rows with policy "off" disable budgets, deadlines, rates and the score (the driver before issue 13) for comparison; "defaults" is RESOURCE_DEFAULTS with the \'node\' connection profile (maxConnections 64).',
        'processEnv: glibc (MALLOC_*) and NODE_OPTIONS settings of the victim\'s process for that row ("-" = none, a plain node). Every row runs with what docs/limits.md recommends for a node (NODE_OPTIONS=--max-semi-space-size=16); the memory-heavy rows are repeated with none, with MALLOC_MMAP_THRESHOLD_=32768 added, and with MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072 added. Without a cap V8 grows its young generation to 64 MiB semi-spaces under any attack\'s allocation rate (stream churn included) and keeps them: heapCommittedAfterMiB.',
        'The driver collects a frame of 256 KiB or more that is not complete in what has arrived in one resizable ArrayBuffer (mmap/munmap by V8, outside glibc) instead of holding the transport\'s chunks: what left the slow-partial-frames victim +46 MiB of RSS before (docs/limits.md).',
        'cutReason: the penalty that took the attacking peer(s) past the score threshold (e.g. driver rate-limited, chord:not-responsible, which Chord weighs by the bytes of the refused store).',
        'Overlay rows raise the victim\'s per-IP connection rate to 100/s (its honest peers, a 12-node ring among them, all dial from 127.0.0.1); the driver rows keep the node profile\'s 5/s.',
        'Overlay rows (chord, gossip, gnutella) run with the defaults policy only: "off" switches off the driver\'s defences, while these quotas are the overlays\' own. Their extra columns are deltas over the attack: storedMiB (kept by the victim), notResponsible/peerQuota/quotaRefused (refusals), forwardedToHonest (queries the victim forwarded to its honest neighbour), honestSlotMs (from the attack start until an honest servent got a neighbour slot, asking every second).',
        'rejectCost: µs per frame on the driver\'s read path (Inbound.deliver: check, decode, count, score, machine), best of 5 interleaved rounds of 10^5 frames, score threshold infinite so every frame takes the full path.'
      ]
    }
  }
}

export default bench
