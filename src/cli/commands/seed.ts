/**
 * `overlaykit seed <path> [--listen MA…] [--ws] [--tcp-port P] [--tracker MA] [--serve-tracker]
 * [--chord MA] [--piece-length B] [--torrent-out FILE] [--up-limit KiB/s] [--super-seed]`: seed a file or folder
 * from disk over libp2p (and plain TCP for stock clients) until interrupted. Prints the info hash,
 * magnet, the node's multiaddrs and where peers connect.
 */
import { writeFile } from 'node:fs/promises'
import type { Command } from 'commander'
import type { CliIo } from '../plugin.js'
import { parseNonNegative, parsePositiveInt } from '../options.js'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { createNode } from '../../runtime/libp2p/swarm.js'
import { bittorrent, type BitTorrentService } from '../../bittorrent/index.js'
import { chord, type ChordService } from '../../chord/index.js'
import type { ContentRouting } from '../../overlay/capabilities.js'

const collect = (v: string, prev: string[] = []): string[] => [...prev, v]

export default function register (program: Command, io: CliIo): void {
  program.command('seed')
    .description('seed a file or folder over BitTorrent (libp2p, plus plain TCP with --tcp-port) until Ctrl-C')
    .argument('<path>', 'file or folder to seed')
    .option('--listen <multiaddr>', 'libp2p listen address, repeatable (default /ip4/127.0.0.1/tcp/0)', collect)
    .option('--ws', 'also listen on WebSockets (/ip4/127.0.0.1/tcp/0/ws unless a --listen address ends in /ws), so browsers can download', false)
    .option('--tcp-port <port>', 'also accept plain-TCP BEP 3 peers on this port (0 = any)', parseNonNegative)
    .option('--tracker <multiaddr>', 'announce to this tracker (…/p2p/<id>)')
    .option('--serve-tracker', 'run a tracker on this node too', false)
    .option('--chord <multiaddr>', 'join a Chord ring through this peer and announce there (trackerless)')
    .option('--piece-length <bytes>', 'piece length', parsePositiveInt, 262144)
    .option('--torrent-out <file>', 'write the .torrent here')
    .option('--up-limit <KiB/s>', 'upload limit', parseNonNegative, 0)
    .option('--super-seed', 'super-seeding (BEP 16): no bitfield, offer each peer a couple of pieces at a time so each piece leaves this node about once; for the only seed of a new torrent on a slow uplink', false)
    .option('--exit-after <ms>', 'stop after this long (for scripts and tests)', parseNonNegative, 0)
    .action(async (path: string, _o: unknown, self: Command) => {
      const o = self.optsWithGlobals<{ listen?: string[], ws: boolean, tcpPort?: number, tracker?: string, serveTracker: boolean, chord?: string, pieceLength: number, torrentOut?: string, upLimit: number, superSeed: boolean, exitAfter: number, json: boolean }>()
      const node = await startTorrentNode({ listen: o.listen, ws: o.ws, tcpPort: o.tcpPort, serveTracker: o.serveTracker, chord: o.chord })
      try {
        const t = await node.bt.seed(path, {
          pieceLength: o.pieceLength,
          tracker: o.tracker ?? (o.serveTracker ? node.addrs[0] : undefined),
          contentRouting: node.contentRouting,
          uploadRate: o.upLimit > 0 ? o.upLimit * 1024 : undefined,
          superSeed: o.superSeed
        })
        if (o.torrentOut !== undefined) await writeFile(o.torrentOut, t.torrentFile)
        io.result({
          infoHash: t.infoHash,
          name: t.metainfo.name,
          length: t.metainfo.length,
          magnet: t.magnet,
          multiaddrs: node.addrs,
          tcp: node.bt.tcp !== undefined ? `127.0.0.1:${node.bt.tcp.port}` : null,
          torrentFile: o.torrentOut ?? null,
          superSeed: o.superSeed
        }, o.json)
        io.info('seeding; Ctrl-C to stop')
        await new Promise<void>(resolve => {
          process.once('SIGINT', () => { resolve() })
          process.once('SIGTERM', () => { resolve() })
          if (o.exitAfter > 0) setTimeout(resolve, o.exitAfter)
        })
        await t.stop()
      } finally {
        await node.stop()
      }
    })
}

/** A libp2p node for the seed/download commands: TCP, the BitTorrent service, optionally Chord. */
export interface TorrentNode {
  bt: BitTorrentService
  contentRouting: ContentRouting | undefined
  addrs: string[]
  stop (): Promise<void>
}

export async function startTorrentNode (o: { listen?: string[], ws?: boolean, tcpPort?: number, serveTracker?: boolean, chord?: string }): Promise<TorrentNode> {
  const services: Record<string, any> = { bittorrent: bittorrent({ serveTracker: o.serveTracker === true, ...(o.tcpPort !== undefined ? { tcp: { port: o.tcpPort } } : {}) }) }
  if (o.chord !== undefined) services.chord = chord()
  const listen = [...(o.listen ?? ['/ip4/127.0.0.1/tcp/0'])]
  if (o.ws === true && !listen.some(a => a.endsWith('/ws'))) listen.push('/ip4/127.0.0.1/tcp/0/ws')
  // browsers dial libp2p over WebSockets only (a page cannot listen), so they need a /ws address
  const ws = listen.some(a => a.endsWith('/ws'))
  const node: any = await createNode(services, { transport: 'tcp', listen, ...(ws ? { config: { transports: [tcp(), webSockets()] } } : {}) })
  let cr: ContentRouting | undefined
  if (o.chord !== undefined) {
    const c = node.services.chord as ChordService
    await c.join(o.chord)
    cr = c
  }
  return {
    bt: node.services.bittorrent as BitTorrentService,
    contentRouting: cr,
    addrs: node.getMultiaddrs().map((a: any) => a.toString()),
    stop: async () => { await node.stop() }
  }
}