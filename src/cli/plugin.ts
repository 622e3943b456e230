/**
 * CLI plug-ins. Each overlay adds its simulator command in `src/cli/sim/<overlay>.ts`, whose default
 * export is a SimCommand; other top-level commands live in `src/cli/commands/<name>.ts` with a default
 * export `(program: Command, io: CliIo) => void`. main.ts discovers both folders at start-up.
 */
import type { Command } from 'commander'

export interface CliIo {
  /** In --json mode: the single JSON object on stdout. Otherwise pretty-printed. */
  result (value: unknown, json: boolean): void
  /** Human-facing lines on stderr. */
  info (line: string): void
  /** A progress bar on stderr when it is a TTY (no-op otherwise, and always in --json mode off-TTY). */
  progress (label: string, total: number): { tick (n?: number): void, update (value: number): void, stop (): void }
}

/** `overlaykit sim <name> [options]`: `configure` adds options to the subcommand; `run` returns the JSON summary. */
export interface SimCommand {
  name: string
  description: string
  configure (cmd: Command): void
  run (options: Record<string, any>, io: CliIo): Promise<unknown>
}
