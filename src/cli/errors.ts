/**
 * One line for an error the CLI reports: what went wrong and, where it is clear, what to do. Some
 * library errors carry several lines and a nested stack in their message (libp2p's listen failure
 * does); the user gets one line, `OVERLAYKIT_DEBUG=1` shows the rest.
 */
export function oneLine (err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const inUse = /(\/\S+): \S*Error: listen EADDRINUSE/.exec(message) ?? /listen EADDRINUSE[^\n]*? (\S+:\d+)/.exec(message)
  if (inUse !== null) return `cannot listen on ${inUse[1]}: the address is already in use (another process has that port; choose another port, or 0 for any free one)`
  const denied = /(\/\S+): \S*Error: listen EACCES/.exec(message)
  if (denied !== null) return `cannot listen on ${denied[1]}: permission denied (ports below 1024 need privileges; choose a port above 1023)`
  const first = message.split('\n').map(l => l.trim()).find(l => l.length > 0) ?? (err instanceof Error ? err.name : 'unknown error')
  return first.replace(/:$/, '')
}

/**
 * A command that finished and already printed its result (in --json mode, the one JSON object on
 * stdout, which carries the failures) but must still exit non-zero: main prints the message as
 * the one error line on stderr and adds nothing to stdout.
 */
export class CommandFailed extends Error {
  override name = 'CommandFailed'
}
