/**
 * CLI plug-ins. Each overlay adds its simulator command in `src/cli/sim/<overlay>.ts`, whose default
 * export is a SimCommand; other top-level commands live in `src/cli/commands/<name>.ts` with a default
 * export `(program: Command, io: CliIo) => void`. Both are listed by name in sim/index.ts and
 * commands/index.ts (literal imports, loaded on use); main.ts loads what an invocation needs.
 */
import type { Command } from 'commander'
import type { CliIo } from '../report/io.js'

export type { CliIo } from '../report/io.js'

/** `overlaykit sim <name> [options]`: `configure` adds options to the subcommand; `run` returns the JSON summary. */
export interface SimCommand {
  name: string
  description: string
  configure (cmd: Command): void
  run (options: Record<string, any>, io: CliIo): Promise<unknown>
}

/** A top-level command: registers itself on the program. */
export type CommandPlugin = (program: Command, io: CliIo) => void
