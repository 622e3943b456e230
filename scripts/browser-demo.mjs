#!/usr/bin/env node
/**
 * The browser demo, ready to open: builds the bundle (scripts/build-browser.mjs), starts a small live
 * Chord ring of `overlaykit node --overlay chord --ws` processes on this machine (the first also runs
 * a circuit relay v2 server, `--relay`, for the swarm of tabs), serves dist/browser on 127.0.0.1 and
 * prints the page's URL (with the ring's WebSocket address as bootstrap and relay filled in). Open the
 * URL in 2–3 tabs: they form their own Chord ring and gossip group over WebRTC.
 * Ctrl-C stops everything.
 *
 *   node scripts/browser-demo.mjs [--nodes 3] [--port 8080] [--dist dist]
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { dirname, extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const opt = (name, dflt) => args.includes(name) ? args[args.indexOf(name) + 1] : dflt
const nodes = Number(opt('--nodes', '3'))
const port = Number(opt('--port', '8080'))
const dist = resolve(root, opt('--dist', 'dist'))
const main = join(dist, 'src', 'cli', 'main.js')
const web = join(dist, 'browser')

const children = []
const stopAll = () => { for (const c of children) c.kill('SIGTERM') }
process.on('SIGINT', () => { stopAll(); process.exit(0) })

// 1. the bundle
await new Promise((resolveBuild, reject) => {
  const b = spawn(process.execPath, [join(root, 'scripts', 'build-browser.mjs'), '--outdir', web], { stdio: 'inherit' })
  b.on('exit', code => code === 0 ? resolveBuild() : reject(new Error(`build-browser exited with ${code}`)))
})

// 2. the live ring
function startNode (bootstrap, relay = false) {
  const a = [main, 'node', '--overlay', 'chord', '--ws', ...(relay ? ['--relay'] : []), '--listen', '/ip4/127.0.0.1/tcp/0', '--listen', '/ip4/127.0.0.1/tcp/0/ws', '--opt', 'stabilizeMs=500', '--opt', 'fixFingersMs=250']
  if (bootstrap !== undefined) a.push('--bootstrap', bootstrap)
  const child = spawn(process.execPath, a, { stdio: ['pipe', 'pipe', 'inherit'] })
  children.push(child)
  return new Promise((resolveAddrs, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      try { const e = JSON.parse(line); if (e.event === 'listening') resolveAddrs(e.addrs) } catch {}
    })
    child.on('exit', code => reject(new Error(`overlaykit node exited with ${code}`)))
  })
}
const first = await startNode(undefined, true)
const tcp = first.find(a => !a.includes('/ws'))
const ws = first.find(a => a.includes('/ws'))
for (let i = 1; i < nodes; i++) await startNode(tcp)

// 3. the page
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' }
createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '')
  const file = join(web, path.endsWith('/') ? path + 'index.html' : path)
  if (!file.startsWith(web)) { res.writeHead(403).end(); return }
  readFile(file).then(body => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body), () => res.writeHead(404).end('not found'))
}).listen(port, '127.0.0.1', () => {
  process.stdout.write(`\nA live Chord ring of ${nodes} Node peers is running; its WebSocket address is ${ws} (also the relay for the tabs)\n\n  open http://127.0.0.1:${port}/demo/index.html?bootstrap=${encodeURIComponent(ws)}&relay=${encodeURIComponent(ws)}\n\nin 2–3 tabs. Ctrl-C stops the ring and the server.\n`)
})
