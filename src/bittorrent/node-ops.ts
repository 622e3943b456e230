/**
 * `overlaykit node --overlay bittorrent [--opt dir=.] [--opt tracker=serve|<multiaddr>]`: seeds and
 * downloads over libp2p; `tracker=serve` runs a tracker on this node, a multiaddr uses that one; the
 * bootstrap peers are also handed to every torrent as peers. Ops: seed {path} (a file or folder under
 * dir) → infoHash, magnet and the .torrent (base64); download {torrent (base64 .torrent or a path
 * under dir), into?} → waits for completion; torrents.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { NodeOpsContext, NodeOpsFactory } from '../overlay/node-ops.js'
import { bittorrent, type BitTorrentService } from './live/service.js'
import type { Torrent } from './live/torrent.js'

const svc = (ctx: NodeOpsContext): BitTorrentService => ctx.node.services.bittorrent as BitTorrentService

function common (ctx: NodeOpsContext): { tracker?: string, peers: string[] } {
  const t = ctx.options.tracker
  const tracker = t === 'serve' ? `${ctx.node.getMultiaddrs()[0]?.toString() ?? ''}` : t
  return { ...(tracker !== undefined && tracker !== '' ? { tracker } : {}), peers: ctx.bootstrap }
}

export const bittorrentNodeOps: NodeOpsFactory = (o, seed) => {
  // this node's torrents, for the torrents op, status and a clean leave
  const torrents = new Map<string, Torrent>()
  return {
    services: { bittorrent: bittorrent({ seed, serveTracker: o.tracker === 'serve', announceIntervalMs: 5000 }) },
    async join () {},
    ops: {
      async seed (args, ctx, signal) {
        if (typeof args.path !== 'string') throw new Error('seed needs "path" (a file or folder under --opt dir)')
        const t = await svc(ctx).seed(join(ctx.options.dir ?? '.', args.path), { ...common(ctx), signal })
        torrents.set(t.infoHash, t)
        return { infoHash: t.infoHash, name: t.metainfo.name, length: t.metainfo.length, magnet: t.magnet, torrent: Buffer.from(t.torrentFile).toString('base64') }
      },
      async download (args, ctx, signal) {
        if (typeof args.torrent !== 'string') throw new Error('download needs "torrent": a base64 .torrent or a .torrent path under --opt dir')
        const bytes = args.torrent.endsWith('.torrent') ? new Uint8Array(await readFile(join(ctx.options.dir ?? '.', args.torrent))) : new Uint8Array(Buffer.from(args.torrent, 'base64'))
        const into = join(ctx.options.dir ?? '.', typeof args.into === 'string' ? args.into : 'downloads')
        const t0 = ctx.now()
        const t = await svc(ctx).download(bytes, { ...common(ctx), path: into, signal, onProgress: (p) => ctx.emit({ event: 'bittorrent:progress', infoHash: p.infoHash, bytes: p.bytes, of: p.wantedBytes, peers: p.peers }) })
        torrents.set(t.infoHash, t)
        await t.done
        const p = t.progress()
        return { infoHash: t.infoHash, name: t.metainfo.name, bytes: p.bytes, peers: p.peers, seconds: (ctx.now() - t0) / 1000, path: into }
      },
      async torrents () {
        return [...torrents.values()].map(t => { const p = t.progress(); return { infoHash: t.infoHash, name: t.metainfo.name, done: p.done, bytes: p.bytes, of: p.wantedBytes, peers: p.peers, uploaded: p.uploaded } })
      }
    },
    status () { return { torrents: torrents.size } },
    async leave () { for (const t of torrents.values()) await t.stop().catch(() => {}) }
  }
}
