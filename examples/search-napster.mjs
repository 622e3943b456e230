// Napster: a central index server and three clients. One client shares a file, another searches
// the server's index and downloads the file straight from the sharer, checked against its
// SHA-256. Run: node examples/search-napster.mjs
import { napster, napsterServer } from 'overlaykit/napster'
import { MemoryBlobStorage } from 'overlaykit/runtime'
import { firstHit, startNode, stopAll } from './node.mjs'

const server = await startNode({ napsterServer: napsterServer() })
const serverAddr = server.getMultiaddrs()[0].toString() // ends in /p2p/<server's peer id>

const clients = []
for (let i = 0; i < 3; i++) {
  // storage holds what a client shares and downloads (a FsBlobStorage keeps it on disk)
  clients.push(await startNode({ napster: napster({ server: serverAddr, driver: { storage: new MemoryBlobStorage() } }) }))
}
for (const c of clients) await c.services.napster.waitOnline({ timeoutMs: 10_000 })

const song = new TextEncoder().encode('la la la '.repeat(10_000))
await clients[0].services.napster.shareBytes('overlaykit demo song.mp3', song)

const hit = await firstHit(clients[2].services.napster, 'demo song')
console.log(`found "${hit.name}" (${hit.size} bytes) at ${hit.peer.id.slice(-8)}`)
const bytes = await clients[2].services.napster.fetch(hit, { signal: AbortSignal.timeout(10_000) })
console.log(`downloaded ${bytes.length} bytes, hash verified`)

await stopAll([...clients, server])
