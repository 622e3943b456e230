/**
 * Loading the CLI's plug-ins from their static lists (commands/index.ts, sim/index.ts). A plug-in that
 * fails to load is reported on stderr and skipped, so one broken overlay does not take the whole CLI down.
 */
import type { CommandPlugin, SimCommand } from './plugin.js'
import { COMMANDS } from './commands/index.js'
import { SIM_COMMANDS } from './sim/index.js'

export interface LoadFailure { file: string, error: string }

function isSimCommand (v: unknown): v is SimCommand {
  const o = v as Partial<SimCommand> | undefined
  return o != null && typeof o.name === 'string' && typeof o.configure === 'function' && typeof o.run === 'function'
}

export async function loadSimCommands (failures: LoadFailure[]): Promise<SimCommand[]> {
  const out: SimCommand[] = []
  for (const [name, load] of Object.entries(SIM_COMMANDS).sort(([a], [b]) => a.localeCompare(b))) {
    try {
      const d = (await load()).default
      if (!isSimCommand(d)) throw new Error('default export is not a SimCommand { name, description, configure, run }')
      out.push(d)
    } catch (err) {
      failures.push({ file: `sim/${name}`, error: (err as Error).message })
    }
  }
  return out
}

/** Is `name` a top-level command? */
export function isCommand (name: string): boolean {
  return Object.hasOwn(COMMANDS, name)
}

export async function loadCommands (failures: LoadFailure[], only?: string): Promise<Array<{ name: string, register: CommandPlugin }>> {
  const out: Array<{ name: string, register: CommandPlugin }> = []
  for (const [name, load] of Object.entries(COMMANDS).sort(([a], [b]) => a.localeCompare(b))) {
    if (only !== undefined && name !== only) continue
    try {
      const d = (await load()).default
      if (typeof d !== 'function') throw new Error('default export is not a function (program, io) => void')
      out.push({ name, register: d })
    } catch (err) {
      failures.push({ file: `commands/${name}`, error: (err as Error).message })
    }
  }
  return out
}
