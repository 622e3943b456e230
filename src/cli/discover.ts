/**
 * Plug-in discovery: every compiled `sim/*.js` (default export SimCommand) and `commands/*.js`
 * (default export `(program, io) => void`) next to the running main.js. A plug-in that fails to load
 * is reported on stderr and skipped, so one broken overlay does not take the whole CLI down.
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Command } from 'commander'
import type { CliIo, SimCommand } from './plugin.js'

export type CommandPlugin = (program: Command, io: CliIo) => void

export interface LoadFailure { file: string, error: string }

async function jsFiles (dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir)
    return names.filter(n => n.endsWith('.js') && !n.endsWith('.d.js') && !n.startsWith('_')).sort()
  } catch {
    return []
  }
}

async function loadDefault (path: string): Promise<unknown> {
  const mod = await import(pathToFileURL(path).href) as { default?: unknown }
  return mod.default
}

function isSimCommand (v: unknown): v is SimCommand {
  const o = v as Partial<SimCommand> | undefined
  return o != null && typeof o.name === 'string' && typeof o.configure === 'function' && typeof o.run === 'function'
}

export async function discoverSimCommands (dir: string, failures: LoadFailure[]): Promise<SimCommand[]> {
  const out: SimCommand[] = []
  for (const file of await jsFiles(dir)) {
    try {
      const d = await loadDefault(join(dir, file))
      if (!isSimCommand(d)) throw new Error('default export is not a SimCommand { name, description, configure, run }')
      out.push(d)
    } catch (err) {
      failures.push({ file: join(dir, file), error: (err as Error).message })
    }
  }
  return out
}

export async function discoverCommands (dir: string, failures: LoadFailure[], only?: string): Promise<Array<{ file: string, register: CommandPlugin }>> {
  const out: Array<{ file: string, register: CommandPlugin }> = []
  for (const file of await jsFiles(dir)) {
    if (only !== undefined && file !== `${only}.js`) continue
    try {
      const d = await loadDefault(join(dir, file))
      if (typeof d !== 'function') throw new Error('default export is not a function (program, io) => void')
      out.push({ file, register: d as CommandPlugin })
    } catch (err) {
      failures.push({ file: join(dir, file), error: (err as Error).message })
    }
  }
  return out
}
