/**
 * Fails fast, with one line, on a Node.js too old for libp2p 3 (it needs `Promise.withResolvers` and
 * other Node 22 APIs; on Node 20 it crashes much later, or worse, runs on and prints NaN). Imported
 * first by every entry point of the package (src/index.ts, the CLI, src/node-check/entries/*), so it
 * runs before any other module of overlaykit or libp2p is evaluated. In a browser (no
 * `process.versions.node`) it does nothing.
 */

/** The oldest Node.js major version overlaykit runs on; equals `engines.node` in package.json. */
export const REQUIRED_NODE_MAJOR = 22

/** The one-line complaint about `version` (e.g. '20.20.2'), or undefined when it is new enough. */
export function nodeVersionProblem (version: string): string | undefined {
  const major = Number.parseInt(version.replace(/^v/, ''), 10)
  if (!Number.isFinite(major) || major >= REQUIRED_NODE_MAJOR) return undefined
  return `overlaykit requires Node.js >= ${REQUIRED_NODE_MAJOR} (this is Node.js v${version.replace(/^v/, '')}); ` +
    `install Node.js ${REQUIRED_NODE_MAJOR} or later (https://nodejs.org)`
}

interface NodeProcess {
  versions?: { node?: string }
  stderr?: { write: (s: string) => unknown }
  exit?: (code: number) => never
}

const proc = (globalThis as { process?: NodeProcess }).process
const version = proc?.versions?.node
const problem = version === undefined ? undefined : nodeVersionProblem(version)
if (problem !== undefined && proc?.exit !== undefined) {
  proc.stderr?.write(problem + '\n')
  proc.exit(1)
}
