/**
 * Drives an `overlaykit node` child process over its JSON-lines control surface: waits for events,
 * sends requests and awaits the matching reply. Used by the CLI, browser and multi-host tests.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { mainJs } from './helpers.js'

export interface NodeLine { event?: string, id?: number, ok?: boolean, result?: any, error?: string, [k: string]: any }

export class NodeProcess {
  readonly lines: NodeLine[] = []
  stderr = ''
  peerId = ''
  addrs: string[] = []
  private nextId = 1
  private readonly waiters = new Set<{ match: (l: NodeLine) => boolean, resolve: (l: NodeLine) => void }>()
  readonly exited: Promise<number | null>

  constructor (readonly child: ChildProcess, readonly name = 'node') {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let obj: NodeLine
      try { obj = JSON.parse(line) } catch { obj = { event: 'non-json', line } }
      this.lines.push(obj)
      for (const w of [...this.waiters]) if (w.match(obj)) { this.waiters.delete(w); w.resolve(obj) }
    })
    child.stderr!.on('data', (d: Buffer) => { this.stderr += d.toString() })
    this.exited = new Promise(resolve => child.on('exit', (code) => resolve(code)))
  }

  /** Starts `node main.js node …args` on this host (with `env` added to this process's environment). */
  static start (args: string[], name?: string, env?: Record<string, string>): NodeProcess {
    return new NodeProcess(spawn(process.execPath, [mainJs, 'node', ...args], { stdio: ['pipe', 'pipe', 'pipe'], ...(env !== undefined ? { env: { ...process.env, ...env } } : {}) }), name)
  }

  /** Resolves with the first line (already seen or future) matching `match`, or rejects after timeoutMs. */
  async waitLine (match: (l: NodeLine) => boolean, timeoutMs = 15_000, what = 'a line'): Promise<NodeLine> {
    const seen = this.lines.find(match)
    if (seen !== undefined) return seen
    return await new Promise((resolve, reject) => {
      const w = { match, resolve: (l: NodeLine) => { clearTimeout(t); resolve(l) } }
      const t = setTimeout(() => {
        this.waiters.delete(w)
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms; stderr tail: ${this.stderr.slice(-800)}`))
      }, timeoutMs)
      this.waiters.add(w)
    })
  }

  async listening (timeoutMs = 20_000): Promise<string[]> {
    const l = await this.waitLine(x => x.event === 'listening', timeoutMs, 'listening event')
    this.peerId = l.peerId; this.addrs = l.addrs
    return this.addrs
  }

  /** Sends a request and awaits its reply; rejects on `ok: false` unless `allowError`. */
  async request (req: Record<string, unknown>, timeoutMs = 15_000, allowError = false): Promise<NodeLine> {
    const id = this.nextId++
    this.child.stdin!.write(JSON.stringify({ ...req, id }) + '\n')
    const reply = await this.waitLine(l => l.id === id, timeoutMs, `reply to ${JSON.stringify(req)}`)
    if (reply.ok !== true && !allowError) throw new Error(`${this.name}: ${JSON.stringify(req)} failed: ${reply.error ?? ''}`)
    return reply
  }

  /** Asks the node to stop; kills it if it does not exit in time. */
  async stop (timeoutMs = 8000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode
    try { this.child.stdin!.write('{"op":"stop"}\n') } catch {}
    const t = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs)
    try { return await this.exited } finally { clearTimeout(t) }
  }
}
