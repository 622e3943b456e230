/**
 * A swarm of pages in headless Chromium around one Node relay, shared by benchmarks/browser-swarm.ts
 * and test/browser/swarm.spec.ts:
 *
 * - the relay: an in-process libp2p node on WebSockets (127.0.0.1) running the circuit relay v2
 *   server (createNode's `relay` option) and, for the WebSocket transfer comparison, a BitTorrent
 *   service;
 * - each page imports the SDK bundle and runs `createBrowserNode({ relays: [relay] })` with chord,
 *   gossip and bittorrent: it reserves a slot and announces `<relay>/p2p-circuit/webrtc/p2p/<page>`,
 *   so other pages reach it over WebRTC signalled through the relay.
 *
 * The `page*` functions run inside a page (page.evaluate): self-contained, the SDK in
 * globalThis.overlaykit (the page's own module script imports it), state in globalThis.ok.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { createNode } from '../../src/runtime/libp2p/swarm.js'
import { bittorrent } from '../../src/bittorrent/index.js'
import { serveStatic } from './static-server.js'
import type { Libp2p } from '@libp2p/interface'

export const CHROMIUM = '/usr/bin/chromium'
/** The checkout (this file runs from dist/benchmarks/lib/). */
const repo = join(fileURLToPath(import.meta.url), '..', '..', '..', '..')

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // ICE host candidates as plain loopback/LAN addresses instead of mDNS names (nothing resolves .local here)
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  // every page is a peer, not a background tab: no timer throttling or renderer backgrounding
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows']

export interface PageSwarmWorld {
  relay: Libp2p<any>
  /** The relay's WebSocket address (…/ws/p2p/<id>). */
  relayAddr: string
  newPage: () => Promise<any>
  close: () => Promise<void>
}

/** Builds the bundle, serves it, starts the relay and a browser. */
export async function startWorld (): Promise<PageSwarmWorld> {
  const cleanups: Array<() => Promise<void>> = []
  const close = async (): Promise<void> => { for (const c of cleanups.reverse()) await c().catch(() => {}) }
  try {
    const work = await mkdtemp(join(tmpdir(), 'overlaykit-browser-swarm-'))
    cleanups.push(async () => { await rm(work, { recursive: true, force: true }) })
    const www = join(work, 'www')
    await promisify(execFile)(process.execPath, [join(repo, 'scripts', 'build-browser.mjs'), '--outdir', www], { timeout: 90_000 })
    await writeFile(join(www, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>overlaykit page swarm</title>\n' +
      '<script type="module">import * as sdk from "./overlaykit.js"; globalThis.overlaykit = sdk</script>\n')
    const server = await serveStatic(www)
    cleanups.push(server.close)
    // the relay: reservations for up to 64 pages; libp2p's per-connection limits (128 KiB, 2 min) stay
    const relay = await createNode({ bittorrent: bittorrent() } as any, { transport: 'ws', relay: { reservations: { maxReservations: 64 } } })
    cleanups.push(async () => { await relay.stop() })
    const relayAddr = relay.getMultiaddrs().find(a => a.toString().includes('/ws'))!.toString()
    const { chromium } = await import('playwright-core')
    const context = await chromium.launchPersistentContext(join(work, 'chromium'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    cleanups.push(async () => { await context.close() })
    const newPage = async (): Promise<any> => {
      const page = await context.newPage()
      await page.goto(`${server.url}/index.html`)
      await page.waitForFunction(() => (globalThis as any).overlaykit !== undefined, undefined, { timeout: 30_000 })
      return page
    }
    return { relay: relay as Libp2p<any>, relayAddr, newPage, close }
  } catch (err) {
    await close()
    throw err
  }
}

export interface PageInfo { peerId: string, addrs: string[], webrtc: string, relayed: string }

/** In the page: a node with chord, gossip and bittorrent that reserves on the relay; resolves with its addresses. */
export async function pageStart (a: { relay: string, timeoutMs: number }): Promise<PageInfo> {
  const sdk = (globalThis as any).overlaykit
  const node = await sdk.createBrowserNode({
    relays: [a.relay],
    allowPrivateAddresses: true,
    services: {
      chord: sdk.chord({ stabilizeMs: 300, fixFingersMs: 150, rpcTimeoutMs: 3000 }),
      gossip: sdk.gossip({ periodMs: 200, antiEntropy: { periodMs: 1000, mode: 'push-pull' } }),
      bittorrent: sdk.bittorrent()
    }
  })
  const deliveries: Array<{ data: string, at: number }> = []
  const ok: any = { node, deliveries, transfers: [] }
  ;(globalThis as any).ok = ok
  node.services.gossip.onEvent((e: any) => {
    if (e.type === 'gossip:deliver') deliveries.push({ data: new TextDecoder().decode(e.data), at: Date.now() })
  })
  const t0 = performance.now()
  for (;;) {
    const addrs: string[] = node.getMultiaddrs().map((m: any) => m.toString())
    const webrtc = addrs.find(s => s.includes('/p2p-circuit/webrtc/'))
    const relayed = addrs.find(s => s.includes('/p2p-circuit/p2p/'))
    if (webrtc !== undefined && relayed !== undefined) return { peerId: node.peerId.toString(), addrs, webrtc, relayed }
    if (performance.now() - t0 > a.timeoutMs) throw new Error(`no relay reservation within ${a.timeoutMs} ms: ${addrs.join(' ')}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/**
 * In the page: join the Chord ring through `bootstrap` (a page's address). A WebRTC dial whose
 * signalling or ICE stalls (seen when the machine is heavily loaded) is retried: up to three attempts
 * sharing `timeoutMs`; the attempts are returned.
 */
export async function pageJoin (a: { bootstrap: string, timeoutMs: number }): Promise<number> {
  const deadline = performance.now() + a.timeoutMs
  for (let attempt = 1; ; attempt++) {
    const left = deadline - performance.now()
    try {
      await (globalThis as any).ok.node.services.chord.join(a.bootstrap, { signal: AbortSignal.timeout(attempt < 3 ? Math.min(left, a.timeoutMs / 3) : left) })
      return attempt
    } catch (err) {
      if (attempt >= 3 || performance.now() >= deadline) throw err
    }
  }
}

/** In the page: this page's id and successor on the ring. */
export function pageRing (): { id: string, successor?: string } {
  const r = (globalThis as any).ok.node.services.chord.ring()
  return { id: r.vnodes[0].id, successor: r.vnodes[0].successors[0] }
}

/** In the page: the owner of `key` (ring id). */
export async function pageLookup (key: string): Promise<string> {
  const r = await (globalThis as any).ok.node.services.chord.lookup(key, { signal: AbortSignal.timeout(10_000) })
  return r.ownerId
}

/** In the page: publish `data` on topic 't'; returns Date.now() (one clock for all pages of the machine). */
export function pagePublish (data: string): number {
  const at = Date.now()
  ;(globalThis as any).ok.node.services.gossip.publish('t', new TextEncoder().encode(data))
  return at
}

/** In the page: how many times an update was delivered, and when first (Date.now()). */
export function pageDeliveries (data: string): { count: number, at?: number } {
  const d = ((globalThis as any).ok.deliveries as Array<{ data: string, at: number }>).filter(x => x.data === data)
  return { count: d.length, at: d[0]?.at }
}

/** In the page: every open connection, by transport, with whether it is limited (relayed) and which protocols it carries. */
export function pageConnections (): Array<{ peer: string, addr: string, kind: string, limited: boolean, protocols: string[] }> {
  return (globalThis as any).ok.node.getConnections().map((c: any) => {
    const addr = c.remoteAddr.toString()
    const kind = addr.includes('/webrtc') ? 'webrtc' : addr.includes('/p2p-circuit') ? 'relayed' : /\/wss?(\/|$)/.test(addr) ? 'websockets' : 'other'
    return { peer: c.remotePeer.toString(), addr, kind, limited: c.limits !== undefined, protocols: c.streams.map((s: any) => s.protocol ?? '') }
  })
}

/** In the page: seed `size` generated bytes; returns the .torrent (base64) and the SHA-256. */
export async function pageSeed (a: { size: number, pieceLength: number, salt: number }): Promise<{ torrent: string, sha256: string, infoHash: string }> {
  const ok = (globalThis as any).ok
  const content = new Uint8Array(a.size)
  for (let i = 0, x = a.salt; i < content.length; i++) { x = (x * 1103515245 + 12345) >>> 0; content[i] = x >>> 24 }
  const t = await ok.node.services.bittorrent.seed(content, { name: `page-${a.salt}.bin`, pieceLength: a.pieceLength })
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', content))
  let bin = ''
  for (const b of t.torrentFile as Uint8Array) bin += String.fromCharCode(b)
  return { torrent: btoa(bin), infoHash: t.infoHash, sha256: Array.from(digest, b => b.toString(16).padStart(2, '0')).join('') }
}

/**
 * In the page: download a torrent from `peer` (a multiaddr); returns the SHA-256 of the bytes, the
 * time from the first block to the end, and the connections that carried peer-wire streams to the
 * seeder while pieces arrived (sampled at every progress event). `ms` runs from the first piece to
 * the last; `totalMs` also counts connecting and the handshake.
 */
export async function pageDownload (a: { torrent: string, peer: string, timeoutMs: number }): Promise<{ sha256: string, length: number, ms: number, totalMs: number, carriers: Array<{ addr: string, kind: string, limited: boolean }> }> {
  const ok = (globalThis as any).ok
  const node = ok.node
  const torrent = Uint8Array.from(atob(a.torrent), c => c.charCodeAt(0))
  const seeder = a.peer.slice(a.peer.lastIndexOf('/p2p/') + 5)
  const carriers = new Map<string, { addr: string, kind: string, limited: boolean }>()
  const sample = (): void => {
    for (const c of node.getConnections()) {
      if (c.remotePeer.toString() !== seeder) continue
      if (!c.streams.some((s: any) => s.protocol === '/overlaykit/bittorrent/1.0.0')) continue
      const addr = c.remoteAddr.toString()
      carriers.set(addr, { addr, kind: addr.includes('/webrtc') ? 'webrtc' : addr.includes('/p2p-circuit') ? 'relayed' : 'other', limited: c.limits !== undefined })
    }
  }
  const signal = AbortSignal.timeout(a.timeoutMs)
  const t0 = performance.now()
  let first: number | undefined
  const t = await node.services.bittorrent.download(torrent, { peers: [a.peer], signal, onProgress: () => { first ??= performance.now(); sample() } })
  await Promise.race([t.done, new Promise((_resolve, reject) => { signal.addEventListener('abort', () => { reject(new Error(`download not done within ${a.timeoutMs} ms: ${JSON.stringify(t.progress())}`)) }) })])
  const end = performance.now()
  const bytes: Uint8Array = t.hosted.machine.store.bytes
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  await t.stop()
  return { sha256: Array.from(digest, b => b.toString(16).padStart(2, '0')).join(''), length: bytes.length, ms: end - (first ?? end), totalMs: end - t0, carriers: [...carriers.values()] }
}

/** True when the pages' successor pointers form one cycle through all of them, in id order. */
export function ringFormed (rings: Array<{ id: string, successor?: string }>): boolean {
  const ids = rings.map(r => r.id).sort((x, y) => { const a = BigInt('0x' + x); const b = BigInt('0x' + y); return a < b ? -1 : a > b ? 1 : 0 })
  const succ = new Map(rings.map(r => [r.id, r.successor]))
  return ids.every((id, i) => succ.get(id) === ids[(i + 1) % ids.length])
}

/** Polls `cond` every 100 ms until it holds (then the elapsed ms) or `timeoutMs` passes (then throws `what`). */
export async function until (what: string, cond: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const t0 = Date.now()
  for (;;) {
    if (await cond()) return Date.now() - t0
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}
