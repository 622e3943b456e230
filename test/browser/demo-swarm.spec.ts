/**
 * The browser demo's swarm of tabs (demos/browser/swarm.ts) in headless Chromium: a relay started as
 * `overlaykit node --relay --ws` (the CLI flag), three tabs of the demo page with ?relay=…; the tabs
 * find each other over a BroadcastChannel, form one Chord ring, pass a gossip message from the form,
 * and one tab downloads the file another seeds (buttons clicked as a user would) over WebRTC; the
 * connection table says which connections are direct WebRTC, relayed or WebSockets.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { outDir } from '../cli/helpers.js'
import { NodeProcess } from '../cli/node-process.js'
import { serveStatic } from '../../benchmarks/lib/static-server.js'
import { CHROMIUM, CHROMIUM_ARGS, ringFormed } from '../../benchmarks/lib/page-swarm.js'

const repo = join(outDir, '..')

describe('browser: the demo page as a swarm of tabs', function () {
  this.timeout(120_000)
  const cleanups: Array<() => Promise<void>> = []

  before(function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      (skipped: ${CHROMIUM} is missing; install Debian's chromium, as .ci/run does, to run the browser test)`)
      this.skip()
    }
  })
  after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

  it('three tabs form a ring and a gossip group, and one downloads what another seeds over WebRTC', async () => {
    const www = await mkdtemp(join(tmpdir(), 'overlaykit-demo-swarm-'))
    cleanups.push(async () => { await rm(www, { recursive: true, force: true }) })
    await promisify(execFile)(process.execPath, [join(repo, 'scripts', 'build-browser.mjs'), '--outdir', www], { timeout: 90_000 })
    const server = await serveStatic(www)
    cleanups.push(server.close)
    const relay = NodeProcess.start(['--overlay', 'ping', '--relay', '--ws', '--listen', '/ip4/127.0.0.1/tcp/0/ws'], 'relay')
    cleanups.push(async () => { await relay.stop() })
    const ws = (await relay.listening()).find(a => a.includes('/ws/'))!
    assert.ok(ws !== undefined)

    const { chromium } = await import('playwright-core')
    const userDataDir = await mkdtemp(join(tmpdir(), 'overlaykit-chromium-'))
    cleanups.push(async () => { await rm(userDataDir, { recursive: true, force: true }) })
    const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    cleanups.push(async () => { await context.close() })
    const problems: string[] = []
    const tabs: any[] = []
    for (let i = 0; i < 3; i++) {
      const tab = await context.newPage()
      tab.on('pageerror', (e: Error) => { problems.push(`tab ${i}: ${e.message}`) })
      await tab.goto(`${server.url}/demo/index.html?fast=1&ring=100&gossip=30&relay=${encodeURIComponent(ws)}`)
      tabs.push(tab)
    }
    const swarm = async (i: number): Promise<any> => await tabs[i].evaluate(() => (globalThis as any).overlaykitDemo.swarm)
    const all = async (): Promise<any[]> => await Promise.all(tabs.map(async (_t, i) => await swarm(i)))
    // 1. one ring of the three tabs
    await tabs[0].waitForFunction(async () => true)
    const deadline = Date.now() + 45_000
    let states = await all()
    while (!(states.every(s => s.joined && s.id !== undefined) && ringFormed(states.map(s => ({ id: s.id, successor: s.successor }))))) {
      assert.ok(Date.now() < deadline, `no ring of 3 tabs within 45 s: ${JSON.stringify(states.map(s => ({ joined: s.joined, id: s.id?.slice(0, 8), succ: s.successor?.slice(0, 8), error: s.error })))}`)
      await new Promise(resolve => setTimeout(resolve, 250))
      states = await all()
    }
    // 2. a message from the form reaches the other tabs
    await tabs[0].fill('#swarm-text', 'hi from tab 0')
    await tabs[0].click('#swarm-publish-form button')
    for (const i of [1, 2]) await tabs[i].waitForFunction(() => (globalThis as any).overlaykitDemo.swarm.messages.some((m: any) => m.text === 'hi from tab 0'), undefined, { timeout: 15_000 })
    // 3. tab 1 seeds, tab 0 downloads through the button
    await tabs[1].click('#swarm-seed')
    await tabs[0].waitForSelector('#swarm-torrents button', { timeout: 20_000 })
    await tabs[0].click('#swarm-torrents button')
    await tabs[0].waitForFunction(() => (globalThis as any).overlaykitDemo.swarm.downloads.length > 0, undefined, { timeout: 60_000 })
    const s0 = await swarm(0)
    assert.equal(s0.downloads[0].bytes, 4 * 1024 * 1024)
    assert.deepEqual(s0.downloads[0].over, ['WebRTC (direct)'], 'the pieces came over WebRTC')
    // 4. the table: tab 0 shows WebRTC connections to the other tabs and a WebSocket connection to the relay
    const peers = new Set(states.map(s => s.peerId))
    assert.ok(s0.connections.some((c: any) => c.kind === 'WebRTC (direct)' && peers.has(c.peer)), JSON.stringify(s0.connections))
    assert.ok(s0.connections.some((c: any) => c.kind === 'WebSockets' && c.peer === relay.peerId), JSON.stringify(s0.connections))
    const rows = await tabs[0].$$eval('#swarm-connections tr', (trs: any[]) => trs.map(tr => tr.textContent))
    assert.ok(rows.some((r: string) => r.includes('WebRTC (direct)')) && rows.some((r: string) => r.includes('WebSockets')), rows.join('\n'))
    assert.deepEqual(problems, [])
  })
})
