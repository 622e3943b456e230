/**
 * The Node.js version check (src/node-check): on a Node.js older than 22 every entry point — the CLI
 * and each library export — prints one line naming the required version and exits 1, before libp2p
 * gets a chance to crash later (or to run on and print NaN). Uses an old `node` from PATH when the
 * machine has one (Debian's is 20); the version logic and the wiring are checked everywhere.
 */
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { nodeVersionProblem, REQUIRED_NODE_MAJOR } from '../../src/node-check/index.js'
import { outDir } from '../cli/helpers.js'

const repo = join(outDir, '..')
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  engines: { node: string }, bin: Record<string, string>, exports: Record<string, { import: string }>
}

/** A `node` older than REQUIRED_NODE_MAJOR on this machine (PATH without node_modules/.bin), if any. */
function oldNode (): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node', '/bin/node']) {
    try {
      const v = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim()
      if (nodeVersionProblem(v) !== undefined) return candidate
    } catch {}
  }
  return undefined
}

describe('package: Node.js version check', function () {
  this.timeout(60_000)

  it('names the required version in one line, and accepts 22 and later', () => {
    const msg = nodeVersionProblem('v20.20.2')
    assert.ok(msg !== undefined)
    assert.match(msg, /requires Node\.js >= 22 \(this is Node\.js v20\.20\.2\)/)
    assert.ok(!msg.includes('\n'))
    assert.equal(nodeVersionProblem('18.0.0') !== undefined, true)
    assert.equal(nodeVersionProblem('22.0.0'), undefined)
    assert.equal(nodeVersionProblem('v24.21.0'), undefined)
    assert.equal(nodeVersionProblem(process.versions.node), undefined)
  })

  it('agrees with engines.node in package.json', () => {
    assert.equal(pkg.engines.node, `>=${REQUIRED_NODE_MAJOR}`)
  })

  it('is the first import of every Node entry point (bin and exports)', () => {
    const targets = [...Object.values(pkg.bin), ...Object.entries(pkg.exports).filter(([k]) => k !== './browser').map(([, v]) => v.import)]
    for (const t of targets) {
      const js = readFileSync(join(repo, t), 'utf8')
      const firstImport = js.split('\n').find(l => /^(import|export)\b/.test(l))
      assert.match(firstImport ?? '', /^import '\.\.?\/(\.\.\/)?(node-check\/)?index\.js'/, `${t}: first import is ${firstImport ?? 'none'}`)
    }
  })

  describe('on an old Node.js', () => {
    let node: string | undefined
    before(function () {
      node = oldNode()
      if (node === undefined) {
        console.log(`      (skipped: no node older than ${REQUIRED_NODE_MAJOR} on this machine)`)
        this.skip()
      }
    })

    function expectRefusal (args: string[]): void {
      const r = spawnSync(node as string, args, { cwd: repo, encoding: 'utf8', timeout: 30_000 })
      assert.equal(r.status, 1, `exit ${String(r.status)}; stderr: ${r.stderr}`)
      assert.equal(r.stdout, '')
      assert.match(r.stderr, /^overlaykit requires Node\.js >= 22 \(this is Node\.js v\d+\.\d+\.\d+\); install Node\.js 22 or later[^\n]*\n$/)
    }

    it('the CLI: `overlaykit demo` prints one line and exits 1', () => {
      expectRefusal([join(repo, pkg.bin.overlaykit), 'demo', '--quick'])
    })

    it('every library export: `import "overlaykit/…"` prints one line and exits 1', () => {
      for (const name of Object.keys(pkg.exports).filter(k => k !== './browser')) {
        const spec = 'overlaykit' + name.slice(1)
        expectRefusal(['--input-type=module', '-e', `import ${JSON.stringify(spec)}`])
      }
    })
  })
})
