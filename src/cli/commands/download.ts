/**
 * `overlaykit download <FILE.torrent> --out DIR [--peer ADDR…] [--tracker MA] [--chord MA]
 * [--files 0,2] [--down-limit KiB/s] [--up-limit KiB/s] [--max-peers N]`: download into DIR (resumable:
 * run it again to continue), with a progress bar; prints a summary when done.
 */
import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import type { CliIo } from '../plugin.js'
import { parseList, parseNonNegative, parsePositiveInt } from '../options.js'
import { startTorrentNode } from './seed.js'

const collect = (v: string, prev: string[] = []): string[] => [...prev, v]

export default function register (program: Command, io: CliIo): void {
  program.command('download')
    .description('download a torrent into a folder (resumable) from libp2p or plain-TCP peers')
    .argument('<torrent>', 'a .torrent file or a magnet: link (the metadata then comes from peers, BEP 9)')
    .requiredOption('--out <dir>', 'download folder')
    .option('--peer <addr>', 'a peer: multiaddr with /p2p/<id>, or host:port for a plain-TCP BitTorrent client; repeatable', collect, [])
    .option('--tracker <multiaddr>', 'a tracker (…/p2p/<id>)')
    .option('--chord <multiaddr>', 'join a Chord ring through this peer and find seeders there')
    .option('--listen <multiaddr>', 'libp2p listen address, repeatable (default /ip4/127.0.0.1/tcp/0)', collect)
    .option('--files <indices>', 'only these files (comma-separated indices, see `torrent info`)', parseList)
    .option('--down-limit <KiB/s>', 'download limit', parseNonNegative, 0)
    .option('--up-limit <KiB/s>', 'upload limit', parseNonNegative, 0)
    .option('--max-peers <n>', 'peer limit', parsePositiveInt, 50)
    .option('--timeout <ms>', 'give up after this long (0 = never)', parseNonNegative, 0)
    .action(async (file: string, _o: unknown, self: Command) => {
      const o = self.optsWithGlobals<{ out: string, peer: string[], tracker?: string, chord?: string, listen?: string[], files?: string[], downLimit: number, upLimit: number, maxPeers: number, timeout: number, json: boolean }>()
      const node = await startTorrentNode({ listen: o.listen, tcpPort: 0, chord: o.chord })
      const signal = o.timeout > 0 ? AbortSignal.timeout(o.timeout) : undefined
      const started = performance.now()
      try {
        const t = await node.bt.download(file.startsWith('magnet:') ? file : new Uint8Array(await readFile(file)), {
          path: o.out,
          peers: o.peer,
          tracker: o.tracker,
          contentRouting: node.contentRouting,
          files: o.files?.map(Number),
          downloadRate: o.downLimit > 0 ? o.downLimit * 1024 : undefined,
          uploadRate: o.upLimit > 0 ? o.upLimit * 1024 : undefined,
          maxPeers: o.maxPeers,
          signal
        })
        const bar = io.progress(t.metainfo.name, t.progress().wantedBytes)
        bar.update(t.progress().bytes)
        const tick = setInterval(() => { bar.update(t.progress().bytes) }, 250)
        try { await t.done } finally { clearInterval(tick); bar.stop() }
        const p = t.progress()
        const seconds = (performance.now() - started) / 1000
        io.result({ infoHash: t.infoHash, name: t.metainfo.name, out: o.out, bytes: p.bytes, pieces: p.pieces, downloaded: p.downloaded, seconds, rateMBps: p.downloaded / seconds / 1e6 }, o.json)
        await t.stop()
      } finally {
        await node.stop()
      }
    })
}
