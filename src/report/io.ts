/**
 * Output for the CLI and the benchmark runner: results on stdout (exactly one JSON object in --json mode, nothing else there),
 * human-facing lines and progress bars on stderr. Progress bars only when stderr is a TTY, so logs
 * and pipes stay clean.
 */
import cliProgress from 'cli-progress'
import { formatCell, textTable } from './table.js'

export interface Progress { tick (n?: number): void, update (value: number): void, stop (): void }

/** Where a command writes: its result on stdout, human lines and progress bars on stderr. */
export interface CliIo {
  /** In --json mode: the single JSON object on stdout. Otherwise pretty-printed. */
  result (value: unknown, json: boolean): void
  /** Human-facing lines on stderr. */
  info (line: string): void
  /** A progress bar on stderr when it is a TTY (no-op otherwise, and always in --json mode off-TTY). */
  progress (label: string, total: number): Progress
}

const noProgress: Progress = { tick () {}, update () {}, stop () {} }

/** Converts values JSON cannot carry (bigint, Map, Set, Uint8Array, Error) into plain ones. */
export function toJsonSafe (value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v.toString()
    if (v instanceof Map) return Object.fromEntries(v)
    if (v instanceof Set) return [...v]
    if (v instanceof Uint8Array) return Buffer.from(v).toString('hex')
    if (v instanceof Error) return { name: v.name, message: v.message }
    return v
  }) ?? 'null')
}

function isRowArray (v: unknown): v is Array<Record<string, unknown>> {
  return Array.isArray(v) && v.length > 0 && v.every(r => r !== null && typeof r === 'object' && !Array.isArray(r))
}

/** Flattens nested plain objects to dotted keys: { rtt: { p50: 1 } } → { 'rtt.p50': 1 }; arrays stay. */
function flatten (obj: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix === '' ? k : `${prefix}.${k}`
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out)
    else out[key] = v
  }
  return out
}

/** Human rendering of a result: scalars as `key  value` (nested objects dotted), arrays of objects as tables. */
export function renderHuman (value: unknown): string {
  const safe = toJsonSafe(value)
  if (safe === null || typeof safe !== 'object') return String(safe)
  if (isRowArray(safe)) return textTable(safe)
  if (Array.isArray(safe)) return safe.map(v => formatCell(v)).join('\n')
  const flat = flatten(safe as Record<string, unknown>)
  const scalars: Array<[string, string]> = []
  const blocks: string[] = []
  for (const [k, v] of Object.entries(flat)) {
    if (isRowArray(v)) blocks.push(`${k}:\n${textTable(v)}`)
    else if (Array.isArray(v)) scalars.push([k, v.map(x => formatCell(x)).join(', ')])
    else scalars.push([k, formatCell(v)])
  }
  const width = Math.max(0, ...scalars.map(([k]) => k.length))
  return [scalars.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'), ...blocks].filter(s => s.length > 0).join('\n\n')
}

export interface IoOptions {
  /** @default process.stdout */
  stdout?: NodeJS.WritableStream
  /** @default process.stderr */
  stderr?: NodeJS.WritableStream & { isTTY?: boolean }
  /** Force progress bars on or off. @default stderr.isTTY */
  progress?: boolean
  /** Suppress `info` lines (e.g. in tests). @default false */
  quiet?: boolean
}

export function createIo (options: IoOptions = {}): CliIo {
  const stdout = options.stdout ?? process.stdout
  const stderr = options.stderr ?? process.stderr
  const bars = options.progress ?? (stderr.isTTY === true)
  let active: cliProgress.SingleBar | undefined
  return {
    result (value: unknown, json: boolean): void {
      if (json) stdout.write(JSON.stringify(toJsonSafe(value)) + '\n')
      else stdout.write(renderHuman(value) + '\n')
    },
    info (line: string): void {
      if (options.quiet === true) return
      if (active === undefined) { stderr.write(line + '\n'); return }
      // Keep a running bar intact: clear its line, print, redraw it below.
      stderr.write('\r\x1b[2K' + line + '\n')
      ;(active as unknown as { render (): void }).render()
    },
    progress (label: string, total: number): Progress {
      if (!bars) return noProgress
      const bar = new cliProgress.SingleBar({
        stream: stderr as NodeJS.WritableStream,
        format: `${label.padEnd(24)} [{bar}] {value}/{total}  {duration_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
        fps: 10
      }, cliProgress.Presets.shades_classic)
      bar.start(Math.max(total, 1), 0)
      active = bar
      let value = 0
      return {
        tick (n = 1): void { value += n; bar.update(Math.min(value, total)) },
        update (v: number): void { value = v; bar.update(Math.min(v, total)) },
        stop (): void { bar.stop(); if (active === bar) active = undefined }
      }
    }
  }
}
