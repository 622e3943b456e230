/**
 * The package as users get it: `npm pack` (its prepack builds dist/ and dist/browser), the tarball
 * installed offline into a fresh consumer project (./consumer.ts), and there every example of
 * examples/ runs against the installed package — Node examples as plain `node examples/x.mjs`, the
 * browser example in headless Chromium — plus the bin and every export. Nothing here reads the
 * repository's dist/ except through the tarball.
 */
import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { outDir } from '../cli/helpers.js'
import { writeConsumer } from './consumer.js'
import { EXAMPLES } from './examples.js'

const repo = join(outDir, '..')
const CHROMIUM = '/usr/bin/chromium'
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { name: string, version: string, bin: Record<string, string>, exports: Record<string, { import: string, types?: string }> }
// npm, npx and the examples' `node` run on the Node that runs the tests (>= 22)
const env = { ...process.env, PATH: dirname(process.execPath) + delimiter + (process.env.PATH ?? '') }
const run = promisify(execFile)

/** Imports the libp2p setup the examples use (they are overlaykit dependencies too). */
const EXAMPLE_DEPS = ['libp2p', '@libp2p/tcp', '@libp2p/websockets', '@chainsafe/libp2p-noise', '@chainsafe/libp2p-yamux']

async function runNode (cwd: string, args: string[], timeoutMs: number): Promise<{ code: number | null, out: string }> {
  return await new Promise(resolve => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => { out += d.toString() })
    child.stderr.on('data', (d: Buffer) => { out += d.toString() })
    const timer = setTimeout(() => { out += `\n(killed after ${timeoutMs} ms)`; child.kill('SIGKILL') }, timeoutMs)
    child.on('close', code => { clearTimeout(timer); resolve({ code, out }) })
  })
}

describe('package: npm pack, offline install, examples against the installed package', function () {
  this.timeout(300_000)
  let dir = ''
  let consumer = ''
  let tarball = ''
  let files = new Set<string>()

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'overlaykit-pack-'))
    // `npm pack` runs prepack (npm run build && npm run build:browser); `npm test` has just built dist/
    // (pretest), so only the browser bundle is built here, and the tarball packed without re-running
    // tsc over the dist/ this test suite is running from. The prepack test below keeps the two in step.
    await run('npm', ['run', 'build:browser'], { cwd: repo, env, timeout: 240_000 })
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repo, env, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 })
    const packed = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string, files: Array<{ path: string }> }>
    tarball = packed[0].filename
    files = new Set(packed[0].files.map(f => f.path))
    consumer = join(dir, 'consumer')
    await mkdir(consumer)
    await cp(join(repo, 'examples'), join(consumer, 'examples'), { recursive: true })
    writeConsumer(consumer, repo, `../${tarball}`, EXAMPLE_DEPS)
    try {
      await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: consumer, env, timeout: 240_000 })
    } catch (err) {
      throw new Error(`offline install of the tarball failed (npm's cache must hold the repository's dependencies, as after \`npm ci\`): ${(err as { stderr?: string }).stderr ?? String(err)}`)
    }
  })

  after(async () => { if (dir !== '') await rm(dir, { recursive: true, force: true }) })

  it('prepack builds what the exports map names: dist/ (tsc) and dist/browser (esbuild)', () => {
    const scripts = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
    assert.equal(scripts.prepack, 'npm run build && npm run build:browser')
  })

  it('the tarball holds every file the exports map and bin name, and no tests', () => {
    for (const target of [...Object.values(pkg.bin), ...Object.values(pkg.exports).flatMap(e => [e.import, e.types ?? e.import])]) {
      assert.ok(files.has(target.replace(/^\.\//, '')), `${target} is not in the tarball`)
    }
    assert.ok(![...files].some(f => f.startsWith('dist/test/')), 'tests are in the tarball')
  })

  it('every export imports from the installed package', async () => {
    const specs = Object.keys(pkg.exports).filter(k => k !== './browser').map(k => pkg.name + k.slice(1))
    const r = await runNode(consumer, ['--input-type=module', '-e', specs.map(s => `await import(${JSON.stringify(s)})`).join(';')], 60_000)
    assert.equal(r.code, 0, r.out)
    assert.ok(existsSync(join(consumer, 'node_modules', pkg.name, 'dist', 'browser', 'overlaykit.js')))
  })

  it('the bin runs: `npx overlaykit --help`', async () => {
    const { stdout } = await run('npx', ['--no-install', 'overlaykit', '--help'], { cwd: consumer, env, timeout: 60_000 })
    assert.match(stdout, /Usage: overlaykit/)
  })

  it('`overlaykit bench` from the installed package says where the benchmarks are, in one line', async () => {
    const r = await run('npx', ['--no-install', 'overlaykit', 'bench', '--list'], { cwd: consumer, env, timeout: 60_000 }).then(() => undefined, (err: { code?: number, stderr?: string }) => err)
    assert.ok(r !== undefined, 'bench --list succeeded without the benchmarks')
    assert.notEqual(r.code, 0)
    assert.equal(r.stderr?.trim(), 'overlaykit: error: the benchmarks are not part of the installed package: run them from a clone of the repository (npm install, then npm run bench -- --list)')
  })

  it('every example in examples/ is run here', () => {
    const onDisk = readdirSync(join(repo, 'examples')).filter(f => f.endsWith('.mjs') && f !== 'node.mjs')
    assert.deepEqual(onDisk.sort(), Object.keys(EXAMPLES).sort())
  })

  for (const [file, expected] of Object.entries(EXAMPLES)) {
    it(`examples/${file}`, async () => {
      const r = await runNode(consumer, [join('examples', file)], 90_000)
      assert.equal(r.code, 0, r.out)
      assert.match(r.out, expected)
    })
  }

  describe('examples/browser in headless Chromium', () => {
    let server: ChildProcess | undefined
    before(function () {
      if (!existsSync(CHROMIUM)) {
        console.log(`      (skipped: ${CHROMIUM} is missing; install Debian's chromium, as .ci/run does, to run the browser example)`)
        this.skip()
      }
    })
    after(() => { server?.kill('SIGTERM') })

    it('the page joins the Node peers\' ring, gets and puts keys, and gossips to them', async () => {
      const proc = spawn(process.execPath, [join('examples', 'browser', 'server.mjs')], { cwd: consumer, env, stdio: ['ignore', 'pipe', 'pipe'] })
      server = proc
      let out = ''
      proc.stderr.on('data', (d: Buffer) => { out += d.toString() })
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => { reject(new Error(`server.mjs printed no URL in 60 s: ${out}`)) }, 60_000)
        proc.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /open (http:\S+)/.exec(out)
          if (m !== null) { clearTimeout(timer); resolve(m[1]) }
        })
      })
      const { chromium } = await import('playwright-core')
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
      try {
        const page = await browser.newPage()
        const errors: string[] = []
        page.on('pageerror', e => { errors.push(e.message) })
        page.on('console', m => { if (m.type() === 'error') errors.push(m.text()) })
        await page.goto(url)
        await page.waitForSelector('body[data-result]', { timeout: 60_000 })
        const log = await page.textContent('#log') ?? ''
        assert.equal(await page.getAttribute('body', 'data-result'), 'ok', log)
        assert.match(log, /get greeting: hello from Node/)
        assert.match(log, /put and get back: hello from the browser/)
        assert.deepEqual(errors, [])
      } finally {
        await browser.close()
      }
      // the Node peer received what the page published
      const deadline = Date.now() + 20_000
      while (!/node peer got "hello from the browser"/.test(out) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100))
      assert.match(out, /node peer got "hello from the browser"/)
    })
  })
})
