/**
 * A temporary consumer project that installs overlaykit from its packed tarball, offline: npm has no
 * package metadata in its cache (npm ci installs from the lockfile's integrity hashes, never asking
 * the registry for a package's versions), so the consumer gets a lockfile too, taken from this
 * repository's own package-lock.json: the tarball, plus the closure of overlaykit's dependencies at
 * the versions (and integrity hashes) the repository installed. `npm ci --offline` then takes every
 * package from the npm cache that the repository's own `npm ci` filled.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

interface LockEntry {
  version?: string
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
  dev?: boolean
  peer?: boolean
  devOptional?: boolean
  [k: string]: unknown
}

interface PackageJson { name: string, version: string, license?: string, dependencies: Record<string, string>, engines?: unknown, bin?: unknown }

/** Where Node would find `name` from the package installed at `from` ('' = the project root). */
function resolveIn (packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from
  for (;;) {
    const candidate = (base === '' ? '' : base + '/') + 'node_modules/' + name
    if (packages[candidate] !== undefined) return candidate
    if (base === '') return undefined
    const i = base.lastIndexOf('/node_modules/')
    base = i < 0 ? '' : base.slice(0, i)
  }
}

/** The lock entries (path → entry) of `deps` and everything they need, installed at the same paths. */
function closure (packages: Record<string, LockEntry>, deps: Record<string, string>): Record<string, LockEntry> {
  const out: Record<string, LockEntry> = {}
  const todo: string[] = []
  const need = (from: string, names: Record<string, string> | undefined, optional: boolean): void => {
    for (const name of Object.keys(names ?? {})) {
      const at = resolveIn(packages, from, name)
      if (at === undefined) {
        if (optional) continue
        throw new Error(`package-lock.json has no ${name} for ${from === '' ? 'the root' : from}`)
      }
      if (out[at] === undefined) {
        const { dev: _d, peer: _p, devOptional: _o, ...entry } = packages[at]
        out[at] = entry
        todo.push(at)
      }
    }
  }
  need('', deps, false)
  for (let at = todo.pop(); at !== undefined; at = todo.pop()) {
    const e = packages[at]
    need(at, e.dependencies, false)
    need(at, e.optionalDependencies, true)
    const meta = e.peerDependenciesMeta ?? {}
    need(at, Object.fromEntries(Object.entries(e.peerDependencies ?? {}).filter(([n]) => meta[n]?.optional !== true)), false)
  }
  return out
}

/**
 * Write `dir`/package.json and `dir`/package-lock.json for a project depending on the tarball (a path
 * relative to `dir`) and on `extra` packages (names of overlaykit dependencies the project imports
 * itself, such as libp2p and its transports), at the repository's versions.
 */
export function writeConsumer (dir: string, repo: string, tarball: string, extra: string[]): void {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as PackageJson
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }
  const spec = `file:${tarball}`
  const own = Object.fromEntries(extra.map(n => {
    const range = pkg.dependencies[n]
    if (range === undefined) throw new Error(`${n} is not a dependency of ${pkg.name}`)
    return [n, range]
  }))
  const dependencies = { [pkg.name]: spec, ...own }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies }, null, 2))
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({
    name: 'consumer',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'consumer', dependencies },
      [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: spec, license: pkg.license, dependencies: pkg.dependencies, engines: pkg.engines, bin: pkg.bin },
      ...closure(lock.packages, pkg.dependencies)
    }
  }, null, 2))
}
