/**
 * The node's control surface: one request per line on stdin, one reply per line on stdout.
 *
 *   JSON:   {"id": 1, "op": "lookup", "overlay": "chord", "key": "hello"}
 *   text:   lookup hello           (op, then a single "key"/"topic"/… argument or key=value pairs)
 *
 * Replies are `{"id", "ok": true, "result"}` or `{"id", "ok": false, "error"}`; events the overlays
 * report arrive unprompted as `{"event": …}`. Built-in ops: help, status, peers, stop.
 */
import { createInterface } from 'node:readline'

export interface ControlRequest { id?: unknown, op: string, overlay?: string, [arg: string]: unknown }

/** Which argument name a bare word after the op fills, per op. */
const POSITIONAL: Record<string, string> = {
  lookup: 'key', get: 'key', put: 'key', publish: 'topic', subscribe: 'topic', search: 'query',
  seed: 'path', download: 'magnet', ping: 'peer', connect: 'peer'
}

/** Parses one line (JSON or text) into a request; throws on nonsense. */
export function parseControlLine (line: string): ControlRequest | null {
  const s = line.trim()
  if (s === '' || s.startsWith('#')) return null
  if (s.startsWith('{')) {
    const v = JSON.parse(s) as unknown
    if (v === null || typeof v !== 'object' || typeof (v as ControlRequest).op !== 'string') throw new Error('a request needs an "op" string')
    return v as ControlRequest
  }
  const words = s.match(/"[^"]*"|\S+/g) ?? []
  const unq = (w: string): string => w.startsWith('"') ? w.slice(1, -1) : w
  const req: ControlRequest = { op: unq(words[0] ?? '') }
  const rest = words.slice(1)
  const bare: string[] = []
  for (const w of rest) {
    const eq = w.indexOf('=')
    if (eq > 0 && !w.startsWith('/') && !w.startsWith('"')) req[w.slice(0, eq)] = unq(w.slice(eq + 1))
    else bare.push(unq(w))
  }
  if (bare.length > 0) {
    const name = POSITIONAL[req.op] ?? 'arg'
    req[name] = bare[0]
    // put KEY VALUE, publish TOPIC DATA
    if (bare.length > 1) req[req.op === 'put' ? 'value' : req.op === 'publish' ? 'data' : 'args'] = bare.length === 2 ? bare[1] : bare.slice(1).join(' ')
  }
  return req
}

export function startControl (
  handle: (req: ControlRequest) => Promise<unknown>,
  write: (obj: Record<string, unknown>) => void,
  input: NodeJS.ReadableStream = process.stdin,
  onEnd: () => void = () => {}
): { close (): void } {
  const rl = createInterface({ input, terminal: false })
  let closing = false
  // the end of the input (EOF), not our own close()
  rl.on('close', () => { if (!closing) onEnd() })
  rl.on('line', (line) => {
    let req: ControlRequest | null
    try {
      req = parseControlLine(line)
    } catch (err) {
      write({ ok: false, error: `bad request: ${(err as Error).message}` })
      return
    }
    if (req === null) return
    const id = req.id
    handle(req).then(
      (result) => { write({ ...(id !== undefined ? { id } : {}), op: req.op, ok: true, result: result ?? null }) },
      (err: Error) => { write({ ...(id !== undefined ? { id } : {}), op: req.op, ok: false, error: err.message }) }
    )
  })
  return { close () { closing = true; rl.close() } }
}
