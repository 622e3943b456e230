/**
 * `overlaykit node` runs with V8's young generation capped, because a public node must give memory
 * back after an attack (docs/limits.md, "Memory after an attack"): uncapped, an attack's allocation
 * rate grows the semi-spaces to their maximum and V8 keeps them (+32–97 MiB of RSS after the attacker
 * left, `hostile-load`'s plain rows); capped at 16 MiB, no measured latency cost.
 *
 * The cap is a start-up flag (V8 sizes the heap once), so the command re-runs itself once in a child
 * Node with it, passing stdio, signals and the exit code through. Nothing happens when the flag is
 * already given (`node --max-semi-space-size=…`, NODE_OPTIONS) or OVERLAYKIT_NODE_FLAGS=off.
 */
import { spawn } from 'node:child_process'
import { constants } from 'node:os'

/** The young-generation cap a node runs with, in MiB (per semi-space). */
export const NODE_SEMI_SPACE_MIB = 16
const FLAG = '--max-semi-space-size'
const MARK = 'OVERLAYKIT_NODE_FLAGS'

/** The semi-space cap this process runs with (MiB), or undefined when V8 chooses. */
export function semiSpaceCapMiB (): number | undefined {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]
  const given = args.filter(a => a.startsWith(FLAG + '=')).pop()
  return given === undefined ? undefined : Number(given.slice(FLAG.length + 1))
}

/**
 * Re-runs this command in a child Node with the cap and resolves with its exit code; resolves
 * undefined when this process should run the node itself (cap already set, opted out, or the child).
 */
export async function runCapped (): Promise<number | undefined> {
  if (process.env[MARK] === 'child') { exitWithParent(); return undefined }
  if (process.env[MARK] === 'off' || semiSpaceCapMiB() !== undefined) return undefined
  const child = spawn(process.execPath, [...process.execArgv, `${FLAG}=${NODE_SEMI_SPACE_MIB}`, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [MARK]: 'child' }
  })
  // Passed on as SIGTERM, which the node takes like SIGINT (a graceful stop). A terminal's Ctrl-C
  // reaches the child too; its SIGINT and this SIGTERM each run the stop once, so one Ctrl-C is still
  // graceful and a second one still forces the exit.
  const forward = (): void => { if (child.exitCode === null) child.kill('SIGTERM') }
  for (const sig of FORWARDED) process.on(sig, forward)
  return await new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      for (const sig of FORWARDED) process.off(sig, forward)
      resolve(code ?? (signal === null ? 1 : 128 + constants.signals[signal]))
    })
  })
}

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/** In the child: stop like on SIGTERM when the parent is gone (killed outright, its channel closed). */
function exitWithParent (): void {
  if (process.channel === undefined) return
  process.channel.unref() // the channel alone must not keep the node running
  process.once('disconnect', () => { process.kill(process.pid, 'SIGTERM') })
}
