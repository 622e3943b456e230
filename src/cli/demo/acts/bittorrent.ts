/**
 * BitTorrent live: node 0 runs a tracker and seeds a file; several leechers download it at once,
 * trading pieces among themselves (every upload capped, so swarming visibly beats one server); the
 * completion time is shown beside the Kurose–Ross lower bound and the client-server time.
 */
import { bittorrent, type BitTorrentService, type Torrent } from '../../../bittorrent/index.js'
import { Rng } from '../../../overlay/rng.js'
import type { DemoAct, DemoContext, DemoRow } from '../types.js'
import { refOf, round } from '../util.js'

const MiB = 1024 * 1024

const act: DemoAct = {
  name: 'bittorrent',
  description: 'swarming download: one seed, several leechers, tracker on node 0, capped uploads',
  async available () { return null },
  async services (i, _n, seed) {
    return { bittorrent: bittorrent({ seed, serveTracker: i === 0, announceIntervalMs: 2000 }) }
  },
  async run (ctx: DemoContext): Promise<DemoRow[]> {
    const n = ctx.nodes.length
    const leechers = Math.min(ctx.quick ? 4 : 8, n - 1)
    const size = (ctx.quick ? 2 : 4) * MiB
    const rate = 2 * MiB // every node's upload cap, bytes/s
    const svc = (i: number): BitTorrentService => ctx.services[i].bittorrent as BitTorrentService
    const trackerRef = refOf(ctx.nodes[0])
    const data = new Rng(`demo-torrent/${String(ctx.seed)}`).bytes(size)
    const t0 = performance.now()
    // a first seed facing a crowd: super-seeding, so it sends each piece about once; 64 KiB pieces,
    // so a file this small still has enough pieces for the leechers to trade (measured: 1.5x the
    // bound instead of 2x with 256 KiB pieces and a plain seed)
    const seedTorrent = await svc(0).seed(data, { name: 'overlaykit-demo.bin', tracker: trackerRef, uploadRate: rate, pieceLength: 64 * 1024, superSeed: true, signal: ctx.signal })
    const bar = ctx.io.progress('bittorrent: MiB', Math.round(leechers * size / MiB))
    const torrents: Torrent[] = []
    const finished: number[] = []
    try {
      const ids = Array.from({ length: leechers }, (_, k) => 1 + k)
      const progress = new Map<number, number>()
      const tick = (): void => { bar.update(Math.round([...progress.values()].reduce((a, b) => a + b, 0) / MiB)) }
      const tStart = performance.now()
      await Promise.all(ids.map(async (i) => {
        const t = await svc(i).download(seedTorrent.torrentFile, {
          tracker: trackerRef, uploadRate: rate, signal: ctx.signal,
          onProgress: (p) => { progress.set(i, p.bytes); tick() }
        })
        torrents.push(t)
        await t.done
        finished.push(performance.now() - tStart)
      }))
      bar.stop()
      const totalMs = Math.max(...finished)
      const F = size; const N = leechers; const us = rate
      const bound = Math.max(F / us, N * F / (us + N * rate))
      const clientServer = N * F / us
      const peersSeen = torrents.map(t => t.progress().peers)
      return [{
        overlay: 'bittorrent',
        action: `${N} leechers download ${size / MiB} MiB from 1 super-seeding seed (uploads capped at ${rate / MiB} MiB/s)`,
        result: `all complete, every piece SHA-1 verified; last after ${(totalMs / 1000).toFixed(1)} s (bound ${bound.toFixed(1)} s, client-server ${clientServer.toFixed(0)} s)`,
        messages: '-',
        timeMs: Math.round(performance.now() - t0),
        meanPeersPerLeecher: round(peersSeen.reduce((a, b) => a + b, 0) / Math.max(1, peersSeen.length), 1),
        seedUploadedMiB: round(seedTorrent.progress().uploaded / MiB, 1),
        ratioToBound: round(totalMs / 1000 / bound, 2)
      }]
    } finally {
      bar.stop()
      for (const t of [seedTorrent, ...torrents]) await t.stop().catch(() => {})
    }
  }
}

export default act
