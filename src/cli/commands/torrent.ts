/**
 * `overlaykit torrent create <path…> [--piece-length B] [--name N] --out FILE.torrent` and
 * `overlaykit torrent info <FILE.torrent | magnet> [--json]`.
 */
import { readFile, writeFile } from 'node:fs/promises'
import type { Command } from 'commander'
import type { CliIo } from '../plugin.js'
import { parsePositiveInt } from '../options.js'
import { createTorrent, parseTorrent, type CreateFile } from '../../bittorrent/metainfo.js'
import { parseMagnet, toMagnet } from '../../bittorrent/magnet.js'
import { readDisk } from '../../bittorrent/live/files.js'

export default function register (program: Command, io: CliIo): void {
  const torrent = program.command('torrent').description('create and inspect BitTorrent metainfo (.torrent) files and magnet links')

  torrent.command('create')
    .description('hash files into a .torrent (one file: single-file torrent; a folder or several paths: multi-file)')
    .argument('<path...>', 'files or folders')
    .requiredOption('--out <file>', 'where to write the .torrent')
    .option('--piece-length <bytes>', 'piece length in bytes', parsePositiveInt, 262144)
    .option('--name <name>', 'torrent name (default: the base name of the first path)')
    .option('--announce <url...>', 'tracker URLs to record', [])
    .action(async (paths: string[], _o: unknown, self: Command) => {
      const o = self.optsWithGlobals<{ out: string, pieceLength: number, name?: string, announce: string[], json: boolean }>()
      const inputs = await Promise.all(paths.map(readDisk))
      let files: CreateFile[]
      let multiFile: boolean
      if (inputs.length === 1) { files = inputs[0].files; multiFile = inputs[0].folder } else {
        // several paths: each keeps its base name as the first path element
        files = inputs.flatMap(d => d.folder ? d.files.map(f => ({ path: [d.name, ...(f.path as string[])], data: f.data })) : d.files)
        multiFile = true
      }
      const name = o.name ?? inputs[0].name
      const { torrent: bytes, metainfo } = createTorrent(files, { name, pieceLength: o.pieceLength, announce: o.announce, multiFile })
      await writeFile(o.out, bytes)
      io.info(`wrote ${o.out}`)
      io.result({ infoHash: metainfo.infoHash, name: metainfo.name, pieceLength: metainfo.pieceLength, pieces: metainfo.pieceCount, length: metainfo.length, magnet: toMagnet(metainfo), out: o.out }, o.json)
    })

  torrent.command('info')
    .description('print what a .torrent file or magnet link holds')
    .argument('<torrent>', 'a .torrent file or a magnet: link')
    .action(async (arg: string, _o: unknown, self: Command) => {
      const o = self.optsWithGlobals<{ json: boolean }>()
      if (arg.startsWith('magnet:')) {
        const m = parseMagnet(arg)
        io.result({ infoHash: m.infoHash, name: m.name ?? null, trackers: m.trackers, peers: m.peers }, o.json)
        return
      }
      const m = parseTorrent(new Uint8Array(await readFile(arg)))
      io.result({
        infoHash: m.infoHash,
        name: m.name,
        pieceLength: m.pieceLength,
        pieces: m.pieceCount,
        length: m.length,
        files: m.files.map(f => ({ path: m.multiFile ? [m.name, ...f.path].join('/') : f.path.join('/'), length: f.length })),
        announce: m.announce,
        private: m.private,
        magnet: toMagnet(m)
      }, o.json)
    })
}
