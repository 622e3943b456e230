/**
 * `overlaykit download <FILE.torrent> --out DIR [--peer ADDR…] [--tracker MA] [--chord MA]
 * [--files 0,2] [--down-limit KiB/s] [--up-limit KiB/s] [--max-peers N]`: download into DIR (resumable:
 * run it again to continue), with a progress bar; prints a summary when done.
 */
import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import type { CliIo } from '../plugin.js'
import { parseList, parseNonNegative, parsePositiveInt } from '../options.js'
import { collectWith, parseMultiaddr, parsePeerMultiaddr, parseTorrentPeer } from '../addrs.js'
import { startTorrentNode } from './seed.js'

export default function register (program: Command, io: CliIo): void {
  program.command('download')
    .description('download a torrent into a folder (resumable) from libp2p or plain-TCP peers')
    .argument('<torrent>', 'a .torrent file or a magnet: link (the metadata then comes from peers, BEP 9)')
    .requiredOption('--out <dir>', 'download folder')
    .option('--peer <addr>', 'a peer: multiaddr with /p2p/<id>, or host:port for a plain-TCP BitTorrent client; repeatable', collectWith(parseTorrentPeer), [])
    .option('--tracker <multiaddr>', 'a tracker (…/p2p/<id>)', parsePeerMultiaddr)
    .option('--chord <multiaddr>', 'join a Chord ring through this peer and find seeders there', parsePeerMultiaddr)
    .option('--listen <multiaddr>', 'libp2p listen address, repeatable (default /ip4/127.0.0.1/tcp/0)', collectWith(parseMultiaddr))
    .option('--files <indices>', 'only these files (comma-separated indices, see `torrent info`)', parseList)
    .option('--down-limit <KiB/s>', 'download limit', parseNonNegative, 0)
    .option('--up-limit <KiB/s>', 'upload limit', parseNonNegative, 0)
    .option('--max-peers <n>', 'peer limit', parsePositiveInt, 50)
    .option('--timeout <ms>', 'give up after this long (0 = never)', parseNonNegative, 0)
    .option('--connect-timeout <ms>', 'give up when no peer has connected after this long', parsePositiveInt, 30_000)
    .action(async (file: string, _o: unknown, self: Command) => {
      const o = self.optsWithGlobals<{ out: string, peer: string[], tracker?: string, chord?: string, listen?: string[], files?: string[], downLimit: number, upLimit: number, maxPeers: number, timeout: number, connectTimeout: number, json: boolean }>()
      const torrent = file.startsWith('magnet:') ? file : new Uint8Array(await readFile(file))
      // Without a peer nothing ever happens: give up, saying so, when none has connected in time.
      const noPeer = new AbortController()
      let connected = false
      const sources = [...o.peer.map(p => `peer ${p}`), ...(o.tracker !== undefined ? [`tracker ${o.tracker}`] : []), ...(o.chord !== undefined ? [`chord ${o.chord}`] : [])]
      const watchdog = setTimeout(() => {
        if (!connected) noPeer.abort(new Error(`no peer connected within ${o.connectTimeout / 1000} s (${sources.length > 0 ? `tried ${sources.join(', ')}` : 'no --peer, --tracker or --chord given, and the torrent names no peer'})`))
      }, o.connectTimeout)
      const signal = o.timeout > 0 ? AbortSignal.any([noPeer.signal, AbortSignal.timeout(o.timeout)]) : noPeer.signal
      const gaveUp = new Promise<never>((_resolve, reject) => { signal.addEventListener('abort', () => { reject(signal.reason) }, { once: true }) })
      gaveUp.catch(() => {})
      const starting = startTorrentNode({ listen: o.listen, tcpPort: 0, chord: o.chord })
      // a node still starting (joining the Chord ring) when we give up is stopped once it is up
      gaveUp.catch(() => { void starting.then(async n => { await n.stop() }, () => {}) })
      const node = await Promise.race([starting, gaveUp])
      const started = performance.now()
      try {
        const t = await Promise.race([node.bt.download(torrent, {
          path: o.out,
          peers: o.peer,
          tracker: o.tracker,
          contentRouting: node.contentRouting,
          files: o.files?.map(Number),
          downloadRate: o.downLimit > 0 ? o.downLimit * 1024 : undefined,
          uploadRate: o.upLimit > 0 ? o.upLimit * 1024 : undefined,
          maxPeers: o.maxPeers,
          signal
        }), gaveUp])
        const bar = io.progress(t.metainfo.name, t.progress().wantedBytes)
        const update = (): void => { const p = t.progress(); if (p.peers > 0 || p.downloaded > 0) connected = true; bar.update(p.bytes) }
        update()
        const tick = setInterval(update, 250)
        try { await Promise.race([t.done, gaveUp]) } finally { clearInterval(tick); bar.stop() }
        const p = t.progress()
        const seconds = (performance.now() - started) / 1000
        io.result({ infoHash: t.infoHash, name: t.metainfo.name, out: o.out, bytes: p.bytes, pieces: p.pieces, downloaded: p.downloaded, seconds, rateMBps: p.downloaded / seconds / 1e6 }, o.json)
        await t.stop()
      } finally {
        clearTimeout(watchdog)
        await node.stop()
      }
    })
}
