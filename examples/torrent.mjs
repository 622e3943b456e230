// BitTorrent: one node runs a tracker and seeds 1 MiB; three others download it from the seed and
// from each other (rarest first, pieces checked against their SHA-1), finding each other through
// the tracker. Run: node examples/torrent.mjs
import { bittorrent } from 'overlaykit/bittorrent'
import { startNode, stopAll } from './node.mjs'

const seeder = await startNode({ bittorrent: bittorrent({ serveTracker: true }) })
const tracker = seeder.getMultiaddrs()[0].toString() // ends in /p2p/<peer id>

const content = new Uint8Array(1024 * 1024).map((_, i) => (i * 7) % 256)
const seeded = await seeder.services.bittorrent.seed(content, { name: 'data.bin', pieceLength: 64 * 1024, tracker })
console.log('seeding', seeded.magnet)

const leechers = []
for (let i = 0; i < 3; i++) leechers.push(await startNode({ bittorrent: bittorrent({ tracker }) }))

// the .torrent file travels out of band (a web page, a message); a magnet link works too
await Promise.all(leechers.map(async (node, i) => {
  const t = await node.services.bittorrent.download(seeded.torrentFile, { signal: AbortSignal.timeout(30_000) })
  await t.done
  const bytes = await t.read()
  console.log(`leecher ${i} has all ${bytes.length} bytes, ${t.progress().peers} peers`)
}))

await stopAll([...leechers, seeder])
