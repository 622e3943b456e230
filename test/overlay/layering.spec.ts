/**
 * The layering rules of DESIGN.md, checked on the source tree (the .ts files, not dist/), so they
 * cannot regress:
 *
 * 1. Floors. Imports only go down; folders on one floor do not import each other:
 *      4  src/cli/, src/browser/, src/index.ts, src/node-check/entries/ (the package's entry points),
 *         benchmarks/, demos/                                         (use the public API and the registry)
 *      3  src/overlays.ts                                             (the static registry)
 *      2  src/<overlay>/ (one folder each, none importing another),
 *         src/search/live/, src/search/sim/                           (the search overlays' shared driver-side glue)
 *      1  src/search/ (pure), src/sim/, src/runtime/, src/report/,
 *         src/node-check/index.ts                                     (drivers and tools; siblings never import each other)
 *      0  src/overlay/                                                (the contract)
 *    On floor 4 the one sideways arrow is src/cli → benchmarks/lib/runner (the `bench` command run from a
 *    checkout); benchmarks/ never imports src/cli (their shared tables and charts are src/report/), but
 *    may import test helpers (test/ is outside the floors).
 * 2. No circle of files (the cycle is printed).
 * 3. No computed `import()`: every import names its module literally, so a reader or a tool can follow
 *    it. Three driver files hide Node built-ins from browser bundlers with a computed specifier; they are
 *    listed (with why) in COMPUTED_IMPORT_ALLOWED and may only import non-project modules that way.
 * 4. Machine (protocol) code never touches the clock, randomness, timers, libp2p or Node built-ins:
 *    no `Date.now`, `Math.random`, `setTimeout`, `setInterval`, `performance.now`, no import of `libp2p`,
 *    `@libp2p/*` (but see below), `@chainsafe/*`, `@multiformats/*`, `node:*`, and no import of
 *    src/runtime or src/sim. Protocol code = src/overlay, src/search (not live/, sim/) and every overlay
 *    folder EXCEPT its driver side, which is (see isDriverSide):
 *      live/ and sim/ subfolders; service.ts and *-service.ts (the libp2p service wrappers); sim-*.ts
 *      and experiment.ts (simulator harnesses); kit.ts (the registry entry) and node-ops.ts (the
 *      `overlaykit node` operations); index.ts (the public barrel, which re-exports the service).
 *    In src/overlay, identity.ts may import @libp2p/crypto and @libp2p/peer-id (pure key parsing and
 *    signature checks), and any protocol file may `import type` from @libp2p/interface.
 */
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KITS, OVERLAY_NAMES } from '../../src/overlays.js'

/** The repository root (this file runs from dist/test/overlay/). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/**
 * Circles of files still in the tree when this test was written. The lead empties this list as the
 * branches that break them land (the test fails when a listed cycle is gone, so the list cannot go
 * stale); every entry is one cycle as the test prints it. Type-only imports count: a part that names
 * its owner's class instead of a narrow context interface (fasttrack's FtContext) is the circle.
 */
export const KNOWN_CYCLES_TO_REMOVE: string[] = []

/** Files that may use a computed import() specifier, and why; only for non-project modules. */
const COMPUTED_IMPORT_ALLOWED: Record<string, string> = {
  'src/runtime/libp2p/storage.ts': 'node:fs / node:path hidden from browser bundlers (FsBlobStorage is Node-only)',
  'src/bittorrent/live/files.ts': 'node:fs / node:path hidden from browser bundlers',
  'src/bittorrent/live/service.ts': 'node:crypto hidden from browser bundlers'
}

/** The overlay folders: the registry's names (a folder that is not in the registry is on no floor). */
export const OVERLAYS: readonly string[] = OVERLAY_NAMES

interface Place { floor: number, folder: string }

/** Where a repository file sits: its floor and the folder that is its unit on that floor. */
export function placeOf (file: string): Place | undefined {
  const p = file.split('/')
  if (p[0] === 'benchmarks' || p[0] === 'demos') return { floor: 4, folder: p[0] }
  if (p[0] !== 'src') return undefined
  if (p.length === 2) {
    if (p[1] === 'overlays.ts') return { floor: 3, folder: 'src/overlays.ts' }
    return { floor: 4, folder: file } // src/index.ts
  }
  const top = p[1]
  if (top === 'cli' || top === 'browser') return { floor: 4, folder: `src/${top}` }
  if (top === 'node-check') return p[2] === 'entries' ? { floor: 4, folder: 'src/node-check/entries' } : { floor: 1, folder: 'src/node-check' }
  if (OVERLAYS.includes(top)) return { floor: 2, folder: `src/${top}` }
  if (top === 'search') {
    if (p[2] === 'live' || p[2] === 'sim') return { floor: 2, folder: `src/search/${p[2]}` }
    return { floor: 1, folder: 'src/search' }
  }
  if (top === 'sim' || top === 'runtime' || top === 'report') return { floor: 1, folder: `src/${top}` }
  if (top === 'overlay') return { floor: 0, folder: 'src/overlay' }
  return undefined
}

/** Sideways arrows allowed between folders on one floor. */
function sidewaysAllowed (from: Place, to: Place, toFile: string): boolean {
  // the search overlays share the search layer's driver-side glue
  if (['src/napster', 'src/gnutella', 'src/fasttrack'].includes(from.folder) && to.folder.startsWith('src/search/')) return true
  // demos use the public API, browser bundle included
  if (from.folder === 'demos' && (to.folder === 'src/browser' || to.folder === 'src/index.ts')) return true
  // `overlaykit bench` in a checkout runs the repository's benchmark runner
  if (from.folder === 'src/cli' && toFile === 'benchmarks/lib/runner.ts') return true
  return false
}

/** Driver-side files of an overlay folder (see the header). */
export function isDriverSide (file: string): boolean {
  const p = file.split('/')
  if (p[0] !== 'src') return true
  if (p[1] === 'overlay') return false
  if (p[1] === 'search') return p[2] === 'live' || p[2] === 'sim'
  if (!OVERLAYS.includes(p[1])) return true
  if (p.length > 3) return p[2] === 'live' || p[2] === 'sim'
  const name = p[2]
  return name === 'service.ts' || name.endsWith('-service.ts') || name.startsWith('sim-') || name === 'experiment.ts' ||
    name === 'kit.ts' || name === 'node-ops.ts' || name === 'index.ts'
}

function walk (dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const f = join(dir, n)
    if (statSync(f).isDirectory()) { if (n !== 'results' && n !== 'node_modules') walk(f, out) } else if (n.endsWith('.ts') && !n.endsWith('.d.ts')) out.push(f)
  }
  return out
}

export function sourceFiles (): string[] {
  return ['src', 'benchmarks', 'demos'].filter(d => existsSync(join(ROOT, d))).flatMap(d => walk(join(ROOT, d))).map(f => relative(ROOT, f)).sort()
}

/** Source without comments (string contents kept; good enough for import statements). */
export function stripComments (src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, m => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1')
}

export interface ImportRef { spec: string, typeOnly: boolean, dynamic: boolean, line: number }
export interface ComputedImport { expr: string, line: number }

export function importsOf (text: string): { imports: ImportRef[], computed: ComputedImport[] } {
  const src = stripComments(text)
  const lineAt = (i: number): number => src.slice(0, i).split('\n').length
  const imports: ImportRef[] = []
  const computed: ComputedImport[] = []
  const stat = /(^|[\n;])\s*(import|export)\s+(type\s+)?([^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g
  for (let m; (m = stat.exec(src)) !== null;) {
    if (m[2] === 'export' && m[4] === undefined) continue
    imports.push({ spec: m[5], typeOnly: m[3] !== undefined, dynamic: false, line: lineAt(m.index + m[0].indexOf(m[2], m[1].length)) })
  }
  const dyn = /(?<![\w.$])import\s*\(\s*([^)]*?)\s*\)/g
  for (let m; (m = dyn.exec(src)) !== null;) {
    const arg = m[1]
    const lit = /^(['"])([^'"`]+)\1$/.exec(arg)
    if (lit !== null) imports.push({ spec: lit[2], typeOnly: src.slice(Math.max(0, m.index - 7), m.index).includes('typeof'), dynamic: true, line: lineAt(m.index) })
    else computed.push({ expr: arg, line: lineAt(m.index) })
  }
  return { imports, computed }
}

/** The repository file a relative specifier names (compiled .js → source .ts), or undefined for a package. */
export function resolveSpec (from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined
  const abs = relative(ROOT, resolve(ROOT, dirname(from), spec))
  for (const c of [abs.replace(/\.js$/, '.ts'), abs + '.ts', join(abs, 'index.ts')]) if (existsSync(join(ROOT, c))) return c
  return abs
}

export interface Graph { files: string[], edges: Map<string, Array<{ to: string, line: number, typeOnly: boolean }>>, computed: Map<string, ComputedImport[]>, packages: Map<string, ImportRef[]> }

export function buildGraph (): Graph {
  const files = sourceFiles()
  const edges: Graph['edges'] = new Map()
  const computed: Graph['computed'] = new Map()
  const packages: Graph['packages'] = new Map()
  for (const f of files) {
    const { imports, computed: c } = importsOf(readFileSync(join(ROOT, f), 'utf8'))
    edges.set(f, [])
    if (c.length > 0) computed.set(f, c)
    packages.set(f, [])
    for (const i of imports) {
      const to = resolveSpec(f, i.spec)
      if (to === undefined) packages.get(f)?.push(i)
      else edges.get(f)?.push({ to, line: i.line, typeOnly: i.typeOnly })
    }
  }
  return { files, edges, computed, packages }
}

/** Every elementary cycle's canonical form found by a DFS (one per back edge), as 'a → b → a'. */
export function findCycles (g: Graph): string[] {
  const state = new Map<string, 0 | 1 | 2>()
  const stack: string[] = []
  const found = new Set<string>()
  const visit = (f: string): void => {
    state.set(f, 1); stack.push(f)
    for (const { to } of g.edges.get(f) ?? []) {
      if (!g.edges.has(to)) continue
      const s = state.get(to) ?? 0
      if (s === 0) visit(to)
      else if (s === 1) {
        const cyc = stack.slice(stack.indexOf(to))
        // canonical: rotate so the smallest file comes first
        const k = cyc.indexOf([...cyc].sort()[0])
        const rot = [...cyc.slice(k), ...cyc.slice(0, k)]
        found.add([...rot, rot[0]].join(' → '))
      }
    }
    stack.pop(); state.set(f, 2)
  }
  for (const f of g.files) if ((state.get(f) ?? 0) === 0) visit(f)
  return [...found].sort()
}

const FORBIDDEN_GLOBALS = [/\bDate\.now\s*\(/, /\bMath\.random\s*\(/, /(?<![\w.])setTimeout\s*\(/, /(?<![\w.])setInterval\s*\(/, /\bperformance\.now\s*\(/]

function forbiddenPackage (file: string, i: ImportRef): boolean {
  const s = i.spec
  if (s.startsWith('node:')) return true
  if (s === 'libp2p' || s.startsWith('@chainsafe/') || s.startsWith('@multiformats/')) return true
  if (s.startsWith('@libp2p/')) {
    if (s === '@libp2p/interface' && i.typeOnly) return false
    if (file === 'src/overlay/identity.ts' && (s.startsWith('@libp2p/crypto') || s === '@libp2p/peer-id')) return false
    return true
  }
  return false
}

describe('overlay: layering', function () {
  this.timeout(30_000)
  const g = buildGraph()

  it('finds the source tree and its imports', () => {
    assert.ok(g.files.includes('src/overlay/types.ts'))
    assert.ok(g.files.length > 100, `only ${g.files.length} files`)
    for (const f of g.files) assert.ok(placeOf(f) !== undefined, `${f} is on no floor: an overlay folder needs its line in src/overlays.ts, any other folder its floor in placeOf`)
  })

  it('imports only go down the floors, and folders on one floor do not import each other', () => {
    const bad: string[] = []
    for (const [f, list] of g.edges) {
      const from = placeOf(f)
      if (from === undefined) continue
      for (const { to, line } of list) {
        const at = placeOf(to)
        // benchmarks, like tests, are repository tools: they may reuse test helpers (hostile peers)
        if (from.folder === 'benchmarks' && to.startsWith('test/')) continue
        if (at === undefined) { bad.push(`${f}:${line} imports ${to}, outside the layered tree`); continue }
        if (at.folder === from.folder) continue
        if (at.floor < from.floor) continue
        if (at.floor === from.floor && sidewaysAllowed(from, at, to)) continue
        bad.push(`${f}:${line} (floor ${from.floor}, ${from.folder}) imports ${to} (floor ${at.floor}, ${at.folder})`)
      }
    }
    assert.deepEqual(bad, [], 'arrows against the floors:\n' + bad.join('\n'))
  })

  it('has no circle of files (but the listed ones another branch is breaking)', () => {
    const cycles = findCycles(g)
    const unexpected = cycles.filter(c => !KNOWN_CYCLES_TO_REMOVE.includes(c))
    assert.deepEqual(unexpected, [], 'circles of files:\n' + unexpected.join('\n'))
    const gone = KNOWN_CYCLES_TO_REMOVE.filter(c => !cycles.includes(c))
    assert.deepEqual(gone, [], 'these listed cycles are gone: remove them from KNOWN_CYCLES_TO_REMOVE')
  })

  it('every import() names its module literally (the registry is the only list of overlays)', () => {
    const bad: string[] = []
    for (const [f, list] of g.computed) {
      if (COMPUTED_IMPORT_ALLOWED[f] !== undefined) continue
      for (const c of list) bad.push(`${f}:${c.line} import(${c.expr})`)
    }
    assert.deepEqual(bad, [], 'computed import() specifiers:\n' + bad.join('\n'))
  })

  it('machine code never touches the clock, randomness, timers, libp2p, Node built-ins or a driver', () => {
    const bad: string[] = []
    for (const f of g.files) {
      if (isDriverSide(f)) continue
      const src = stripComments(readFileSync(join(ROOT, f), 'utf8')).replace(/(['"`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""')
      src.split('\n').forEach((line, i) => {
        for (const re of FORBIDDEN_GLOBALS) if (re.test(line)) bad.push(`${f}:${i + 1} ${line.trim()}`)
      })
      for (const i of g.packages.get(f) ?? []) if (forbiddenPackage(f, i)) bad.push(`${f}:${i.line} imports ${i.spec}`)
      for (const { to, line } of g.edges.get(f) ?? []) {
        if (to.startsWith('src/runtime/') || to.startsWith('src/sim/')) bad.push(`${f}:${line} imports the driver ${to}`)
        else if (placeOf(to) !== undefined && isDriverSide(to) && !to.endsWith('/index.ts')) bad.push(`${f}:${line} imports driver-side ${to}`)
      }
    }
    assert.deepEqual(bad, [], 'machine code reaching outside its Env:\n' + bad.join('\n'))
  })

  it('every registry entry sits in its own folder: src/<name>/kit.ts', () => {
    for (const k of KITS) assert.ok(g.files.includes(`src/${k.name}/kit.ts`), `${k.name}: no src/${k.name}/kit.ts`)
    const imported = (g.edges.get('src/overlays.ts') ?? []).map(e => e.to).filter(t => t.endsWith('/kit.ts')).sort()
    assert.deepEqual(imported, KITS.map(k => `src/${k.name}/kit.ts`).sort())
  })

  it('the checker itself sees what it should', () => {
    const { imports, computed } = importsOf("import a from './a.js'\nimport type { B } from '../b.js'\nexport { c } from './c.js'\n// import x from './x.js'\nconst m = await import(`./${name}.js`)\nconst n = await import('./n.js')\n")
    assert.deepEqual(imports.map(i => [i.spec, i.typeOnly, i.dynamic]), [['./a.js', false, false], ['../b.js', true, false], ['./c.js', false, false], ['./n.js', false, true]])
    assert.equal(computed.length, 1)
    const cyc = findCycles({ files: ['a', 'b', 'c'], edges: new Map([['a', [{ to: 'b', line: 1, typeOnly: false }]], ['b', [{ to: 'c', line: 1, typeOnly: false }]], ['c', [{ to: 'a', line: 1, typeOnly: false }]]]), computed: new Map(), packages: new Map() })
    assert.deepEqual(cyc, ['a → b → c → a'])
    assert.equal(isDriverSide('src/chord/lookup.ts'), false)
    assert.equal(isDriverSide('src/chord/service.ts'), true)
    assert.equal(isDriverSide('src/bittorrent/live/host.ts'), true)
    assert.equal(isDriverSide('src/search/catalog.ts'), false)
  })
})
