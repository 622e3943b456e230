/**
 * browser-swarm: pages as peers in headless Chromium around one Node relay (benchmarks/lib/page-swarm.ts).
 * For N = 2, 4, 8 pages (quick: 2, 4):
 *
 * - ringFormedMs: from the moment pages 1..N-1 start joining through page 0's WebRTC address (all at
 *   once) until every page's successor pointer is right (polled every 50 ms);
 * - gossipAllMs: from page 0's publish until the last other page delivers the update (Date.now(),
 *   one clock for every page on this machine);
 * - webrtcMBps: page 0 downloads a torrent page 1 seeds, over the WebRTC connection between them;
 * - wsMBps: in the same run, page 0 downloads a torrent of the same size that the Node relay seeds, over
 *   the page's WebSocket connection to it.
 * MB/s = bytes / (first piece → last piece); the two transfers are measured the same way, one after
 * the other, in the same pages. There is no published reference for this; the comparison is WebRTC
 * against WebSockets in the same run.
 */
import type { BitTorrentService } from '../src/bittorrent/index.js'
import { pageDeliveries, pageDownload, pageJoin, pagePublish, pageRing, pageSeed, pageStart, ringFormed, startWorld, until, type PageInfo } from './lib/page-swarm.js'
import type { Benchmark } from './lib/types.js'


const bench: Benchmark = {
  name: 'browser-swarm',
  description: 'N pages in headless Chromium + a Node relay: Chord ring formation, gossip to all, WebRTC page↔page vs WebSocket page↔Node MB/s',
  async run (ctx) {
    const sizes = ctx.quick ? [2, 4] : [2, 4, 8]
    const bytes = ctx.quick ? 2 * 1024 * 1024 : 8 * 1024 * 1024
    const pieceLength = 256 * 1024
    const world = await startWorld()
    const rows: Array<Record<string, unknown>> = []
    try {
      for (const n of sizes) {
        const pages: any[] = []
        try {
          const info: PageInfo[] = []
          for (let i = 0; i < n; i++) {
            const page = await world.newPage()
            pages.push(page)
            info.push(await page.evaluate(pageStart, { relay: world.relayAddr, timeoutMs: 30_000 }))
          }
          ctx.log(`${n} pages started, each with a relay reservation`)
          // ring: every other page joins through page 0 at once
          const t0 = Date.now()
          await Promise.all(pages.slice(1).map(async p => await p.evaluate(pageJoin, { bootstrap: info[0].webrtc, timeoutMs: 60_000 })))
          await until(`ring of ${n} pages`, async () => ringFormed(await Promise.all(pages.map(async p => await p.evaluate(pageRing)))), 180_000)
          const ringFormedMs = Date.now() - t0
          ctx.log(`${n} pages: ring formed in ${ringFormedMs} ms`)
          // gossip from page 0 to all
          const data = `bench ${n}`
          const at = await pages[0].evaluate(pagePublish, data)
          let last = 0
          await until(`gossip to ${n - 1} pages`, async () => {
            const d = await Promise.all(pages.slice(1).map(async p => await p.evaluate(pageDeliveries, data)))
            if (!d.every(x => x.count >= 1)) return false
            last = Math.max(...d.map(x => x.at ?? 0))
            return true
          }, 60_000)
          const gossipAllMs = last - at
          ctx.log(`${n} pages: gossip to all in ${gossipAllMs} ms`)
          // page ↔ page over WebRTC, then page ↔ Node over WebSockets, same size; a transfer that fails
          // (a loaded machine) is reported in its row, the others still run
          const mbps = (r: { length: number, ms: number }): number => Math.round(r.length / 1e6 / (r.ms / 1000) * 10) / 10
          const errors: string[] = []
          let webrtcMBps: number | null = null
          let wsMBps: number | null = null
          try {
            const seeded = await pages[1].evaluate(pageSeed, { size: bytes, pieceLength, salt: n })
            const rtc = await pages[0].evaluate(pageDownload, { torrent: seeded.torrent, peer: info[1].webrtc, timeoutMs: 180_000 })
            if (rtc.sha256 !== seeded.sha256) throw new Error('hash mismatch')
            if (!rtc.carriers.every((c: any) => c.kind === 'webrtc')) throw new Error(`went over ${JSON.stringify(rtc.carriers)}`)
            webrtcMBps = mbps(rtc)
            ctx.log(`${n} pages: WebRTC transfer ${Math.round(rtc.ms)} ms`)
          } catch (err) { errors.push(`WebRTC: ${(err as Error).message.split('\n')[0]}`) }
          try {
            const content = new Uint8Array(bytes)
            for (let i = 0, x = 1000 + n; i < content.length; i++) { x = (x * 1103515245 + 12345) >>> 0; content[i] = x >>> 24 }
            const bt = (world.relay.services as { bittorrent: BitTorrentService }).bittorrent
            const t = await bt.seed(content, { name: `node-${n}.bin`, pieceLength })
            try {
              const ws = await pages[0].evaluate(pageDownload, { torrent: Buffer.from(t.torrentFile).toString('base64'), peer: world.relayAddr, timeoutMs: 180_000 })
              wsMBps = mbps(ws)
            } finally { await t.stop() }
          } catch (err) { errors.push(`WebSockets: ${(err as Error).message.split('\n')[0]}`) }
          const row = { pages: n, ringFormedMs, gossipAllMs, webrtcMBps, wsMBps, transferBytes: bytes, webrtcVsWs: webrtcMBps !== null && wsMBps !== null ? Math.round(webrtcMBps / wsMBps * 100) / 100 : null, ...(errors.length > 0 ? { error: errors.join('; ') } : {}) }
          ctx.log(`${n} pages: ring ${ringFormedMs} ms, gossip to all ${gossipAllMs} ms, WebRTC ${String(row.webrtcMBps)} MB/s, WebSockets ${String(row.wsMBps)} MB/s${errors.length > 0 ? ` (${errors.join('; ')})` : ''}`)
          rows.push(row)
        } catch (err) {
          // a step that failed (ring, gossip) on a loaded machine: the row says so and the next size runs
          const error = (err as Error).message.split('\n')[0]
          ctx.log(`${n} pages: FAILED: ${error}`)
          rows.push({ pages: n, ringFormedMs: null, gossipAllMs: null, webrtcMBps: null, wsMBps: null, transferBytes: bytes, webrtcVsWs: null, error })
        } finally {
          for (const p of pages) await p.evaluate(async () => { await (globalThis as any).ok?.node.stop() }).catch(() => {})
          for (const p of pages) await p.close().catch(() => {})
        }
      }
    } finally {
      await world.close()
    }
    return {
      params: {
        pageCounts: sizes, transferBytes: bytes, pieceLength, browser: 'Debian chromium, headless, one context, one tab per page',
        relay: 'in-process Node libp2p node on WebSockets (127.0.0.1), circuit relay v2 server with libp2p limits',
        chord: { stabilizeMs: 300, fixFingersMs: 150, rpcTimeoutMs: 3000 }, gossip: { periodMs: 200, antiEntropy: { periodMs: 1000, mode: 'push-pull' } },
        loadavg: await loadavg(), node: process.version
      },
      rows,
      notes: [
        'ringFormedMs: all joins start at once through page 0 (WebRTC via the relay) until every successor pointer is right; polled every 50–100 ms, so ±100 ms.',
        'webrtcMBps: page → page over a direct WebRTC data channel connection (the bytes do not touch the relay, checked per row); wsMBps: page ← Node over WebSockets, same size, same run.',
        'Every page, the relay and the benchmark share 2 cores with other work (see loadavg): the ratio between the two transfer columns is the figure to read, not the absolute MB/s.'
      ]
    }
  }
}

async function loadavg (): Promise<string> {
  try { return (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim() } catch { return 'n/a' }
}

export default bench
