/**
 * BitTorrent in headless Chromium (Debian's /usr/bin/chromium via playwright-core): an
 * `overlaykit seed --ws` process seeds a file; a page loads the SDK bundle (dist/browser/overlaykit.js
 * as built by scripts/build-browser.mjs), creates a browser libp2p node (WebSockets, dial only) with
 * the bittorrent service and downloads the file from the seeder, once from the magnet link and once
 * from the .torrent bytes. The downloaded bytes must hash (SHA-256, in the page) to the file's hash.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { mainJs, outDir } from '../cli/helpers.js'
import { serveStatic } from './static-server.js'

const CHROMIUM = '/usr/bin/chromium'
const repo = join(outDir, '..')

interface SeedInfo { infoHash: string, magnet: string, multiaddrs: string[], length: number }

/** Starts `overlaykit seed <file> --ws --json …` and resolves with its result line. */
async function startSeeder (args: string[], timeoutMs: number): Promise<{ child: ChildProcess, info: SeedInfo, stderr: () => string }> {
  // --exit-after: the seeder also goes away by itself if the test process dies before `after` runs
  const child = spawn(process.execPath, [mainJs, 'seed', ...args, '--ws', '--json', '--exit-after', '120000'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString() })
  const info = await new Promise<SeedInfo>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`seeder printed no result within ${timeoutMs} ms; stderr: ${stderr.slice(-800)}`)) }, timeoutMs)
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`seeder exited (${String(code)}); stderr: ${stderr.slice(-800)}`)) })
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const obj = JSON.parse(line)
        if (typeof obj.infoHash === 'string') { clearTimeout(timer); resolve(obj) }
      } catch { /* not the result line */ }
    })
  })
  return { child, info, stderr: () => stderr }
}

async function stopChild (child: ChildProcess, timeoutMs = 8000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>(resolve => child.once('exit', () => { resolve() }))
  child.kill('SIGTERM')
  const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  try { await exited } finally { clearTimeout(t) }
}

/** Runs in the page: a browser node downloads `source` (magnet, or .torrent bytes plus peers). */
async function downloadInPage (a: { sdkUrl: string, magnet?: string, torrent?: number[], peers?: string[], timeoutMs: number }): Promise<any> {
  const sdk = await import(a.sdkUrl)
  const t0 = performance.now()
  const node = await sdk.createBrowserNode({ services: { bittorrent: sdk.bittorrent() }, allowPrivateAddresses: true })
  try {
    const source = a.magnet ?? new Uint8Array(a.torrent!)
    let pieces = 0
    let t: any
    // one bounded wait for both stages: the metadata (magnet) and the pieces
    const abort = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        abort.abort()
        reject(new Error(`download not done within ${a.timeoutMs} ms: ${t === undefined ? 'no metadata yet' : JSON.stringify(t.progress())}`))
      }, a.timeoutMs)
    })
    try {
      t = await Promise.race([node.services.bittorrent.download(source, { peers: a.peers, signal: abort.signal, onProgress: () => { pieces++ } }), deadline])
      await Promise.race([t.done, deadline])
    } finally { clearTimeout(timer) }
    const ms = performance.now() - t0
    // the in-memory store of the torrent's machine holds the content
    const bytes: Uint8Array = t.hosted.machine.store.bytes
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
    const sha256 = Array.from(digest, b => b.toString(16).padStart(2, '0')).join('')
    const progress = t.progress()
    await t.stop()
    return { sha256, length: bytes.length, infoHash: t.infoHash, ms, pieces, progress, peerId: node.peerId.toString() }
  } finally {
    await node.stop()
  }
}

describe('browser: BitTorrent download in headless Chromium', function () {
  this.timeout(60_000)
  const cleanups: Array<() => Promise<void>> = []
  let sdkUrl = ''
  let page: any
  const problems: string[] = []
  let seeder: Awaited<ReturnType<typeof startSeeder>>
  let content: Uint8Array
  let torrentBytes: Uint8Array

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      (skipped: ${CHROMIUM} is missing; install Debian's chromium, as .ci/run does, to run the browser test)`)
      this.skip()
    }
    const work = await mkdtemp(join(tmpdir(), 'overlaykit-browser-bt-'))
    cleanups.push(async () => { await rm(work, { recursive: true, force: true }) })

    // 1. the bundle, and an empty page to import it from (ES modules need http://)
    const bundle = join(work, 'www')
    await promisify(execFile)(process.execPath, [join(repo, 'scripts', 'build-browser.mjs'), '--outdir', bundle], { timeout: 60_000 })
    await writeFile(join(bundle, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>overlaykit bittorrent</title>\n')
    const server = await serveStatic(bundle)
    cleanups.push(server.close)
    sdkUrl = `${server.url}/overlaykit.js`

    // 2. a file (not a whole number of pieces, so the short last piece is covered) and its seeder
    content = new Uint8Array(1_000_000 + 12_345)
    for (let i = 0, x = 1; i < content.length; i++) { x = (x * 1103515245 + 12345) >>> 0; content[i] = x >>> 24 }
    const file = join(work, 'payload.bin')
    await writeFile(file, content)
    seeder = await startSeeder([file, '--piece-length', '65536', '--torrent-out', join(work, 'payload.torrent')], 20_000)
    cleanups.push(async () => { await stopChild(seeder.child) })
    torrentBytes = new Uint8Array(await readFile(join(work, 'payload.torrent')))

    // 3. the browser
    const { chromium } = await import('playwright-core')
    const userDataDir = join(work, 'chromium')
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
    })
    cleanups.push(async () => { await context.close() })
    page = await context.newPage()
    page.on('console', (m: any) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`) })
    page.on('pageerror', (e: Error) => { problems.push(`page error: ${e.message}`) })
    await page.goto(`${server.url}/index.html`)
  })

  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {})
  })

  const expected = (): string => createHash('sha256').update(content).digest('hex')

  it('downloads from a magnet link (the seeder\'s x.pe addresses, TCP and WebSockets)', async () => {
    assert.ok(seeder.info.multiaddrs.some(a => a.includes('/ws/')), `the seeder listens on WebSockets: ${seeder.info.multiaddrs.join(' ')}`)
    const r = await page.evaluate(downloadInPage, { sdkUrl, magnet: seeder.info.magnet, timeoutMs: 20_000 })
    assert.equal(r.infoHash, seeder.info.infoHash)
    assert.equal(r.length, content.length)
    assert.equal(r.sha256, expected(), 'the bytes downloaded in the page hash to the file\'s SHA-256')
    assert.equal(r.progress.done, true)
    console.log(`      magnet: ${content.length} bytes in ${Math.round(r.ms)} ms (node start included), ${r.pieces} progress events`)
    assert.deepEqual(problems, [])
  })

  it('downloads from the .torrent bytes with the seeder\'s WebSocket address as peer', async () => {
    const ws = seeder.info.multiaddrs.find(a => a.includes('/ws/'))!
    const r = await page.evaluate(downloadInPage, { sdkUrl, torrent: Array.from(torrentBytes), peers: [ws], timeoutMs: 20_000 })
    assert.equal(r.infoHash, seeder.info.infoHash)
    assert.equal(r.sha256, expected())
    console.log(`      .torrent: ${content.length} bytes in ${Math.round(r.ms)} ms (node start included)`)
    assert.deepEqual(problems, [])
  })
})
