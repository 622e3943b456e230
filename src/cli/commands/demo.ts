/**
 * `overlaykit demo` (what `npm start` runs): a live swarm of real libp2p nodes on this machine running
 * every overlay that is built, one after another, progress bars, a summary table at the end.
 */
import { Command, Option } from 'commander'
import type { CliIo } from '../plugin.js'
import { CommandFailed } from '../errors.js'
import { parseList, parsePositiveInt } from '../options.js'
import { textTable } from '../../report/table.js'

export default function register (program: Command, io: CliIo): void {
  program.command('demo')
    .description('a live swarm of real libp2p nodes (Noise + yamux) on this machine running every overlay in turn; about half a minute')
    .option('-n, --nodes <n>', 'nodes in the swarm', parsePositiveInt, 24)
    .addOption(new Option('-t, --transport <name>', 'transport between the nodes').choices(['tcp', 'memory']).default('tcp'))
    .option('-o, --overlays <list>', 'overlays to show, comma-separated (default: every overlay with a demo act; ping only when asked for)', parseList)
    .option('--quick', 'a short version (fewer rounds)', false)
    .option('--time-limit <s>', 'stop acts still running after this many seconds', parsePositiveInt, 300)
    .action(async (_opts: unknown, self: Command) => {
      const o = self.optsWithGlobals<{ nodes: number, transport: 'tcp' | 'memory', overlays?: string[], quick: boolean, timeLimit: number, seed: number | string, json: boolean }>()
      if (o.nodes < 2) throw new Error('--nodes must be at least 2')
      const controller = new AbortController()
      const onSigint = (): void => { io.info('interrupted: stopping the swarm…'); controller.abort() }
      process.once('SIGINT', onSigint)
      try {
        // loaded on use: libp2p takes a second to import, other commands should not pay for it
        const { runDemo } = await import('../demo/run.js')
        const summary = await runDemo({ nodes: o.nodes, transport: o.transport, overlays: o.overlays ?? [], seed: o.seed, quick: o.quick, timeLimitSec: o.timeLimit }, io, controller.signal)
        // a step that failed (an act that threw, a download that failed or did not verify, an act
        // not run for the time limit) makes the demo fail: exit 1 with one line naming them
        const failures = summary.rows.filter(r => /^(FAILED|HASH MISMATCH|not run)/.test(r.result)).map(r => `${r.overlay}: ${r.result}`)
        const failed = (): CommandFailed => new CommandFailed(`the demo did not complete: ${failures.join('; ')}`)
        if (o.json) {
          io.result({ ...summary, ok: failures.length === 0, failures }, true)
          if (failures.length > 0) throw failed()
          return
        }
        const lines = [
          '',
          `Summary: ${summary.nodes} nodes over ${summary.transport}, seed ${String(summary.seed)}, ${(summary.totalMs / 1000).toFixed(1)} s (swarm start ${(summary.setupMs / 1000).toFixed(1)} s)`,
          // an act's services stop while the next act starts, so stopMs is not part of its time here
          `Time per act (start its services + form the overlay + scenario): ${summary.phases.map(p => `${p.overlay} ${((p.startMs + p.setupMs + p.runMs) / 1000).toFixed(1)} s`).join(', ')}`,
          '',
          textTable(summary.rows.map(r => ({ overlay: r.overlay, action: r.action, result: r.result, hops: r.hops, messages: r.messages, timeMs: r.timeMs }))),
          '',
          'hops: overlay hops of a lookup or of a search hit; messages: overlay messages all nodes sent while the operation ran (maintenance traffic included); timeMs: wall-clock.',
          ...summary.skipped.map(s => `skipped ${s.overlay}: ${s.reason}`)
        ]
        const details = summary.rows.filter(r => Object.keys(r).some(k => !['overlay', 'action', 'result', 'hops', 'messages', 'timeMs'].includes(k)))
        if (details.length > 0) {
          lines.push('', 'Details:')
          for (const r of details) {
            const extra = Object.entries(r).filter(([k]) => !['overlay', 'action', 'result', 'hops', 'messages', 'timeMs'].includes(k))
            lines.push(`  ${r.overlay}: ${extra.map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ')}`)
          }
        }
        process.stdout.write(lines.join('\n') + '\n')
        if (failures.length > 0) throw failed()
      } finally {
        process.off('SIGINT', onSigint)
      }
    })
}
