// Gnutella: five servents in a line (0 - 1 - 2 - 3 - 4). Node 4 shares a file; node 0's query
// floods hop by hop (TTL), the hit comes back along the reverse path, and node 0 downloads the file
// directly from node 4, checked against its SHA-256. Run: node examples/search-gnutella.mjs
import { gnutella } from 'overlaykit/gnutella'
import { MemoryBlobStorage } from 'overlaykit/runtime'
import { firstHit, startNode, stopAll } from './node.mjs'

const nodes = []
for (let i = 0; i < 5; i++) {
  const node = await startNode({ gnutella: gnutella({ driver: { storage: new MemoryBlobStorage() } }) })
  if (i > 0) await node.services.gnutella.connectServent(nodes[i - 1].getMultiaddrs()[0].toString(), { timeoutMs: 5000 })
  nodes.push(node)
}

const song = new TextEncoder().encode('la la la '.repeat(10_000))
await nodes[4].services.gnutella.shareBytes('overlaykit demo song.mp3', song)

const hit = await firstHit(nodes[0].services.gnutella, 'demo song')
console.log(`found "${hit.name}" at ${hit.peer.id.slice(-8)}, ${hit.hops} hops away`)
const bytes = await nodes[0].services.gnutella.fetch(hit, { signal: AbortSignal.timeout(10_000) })
console.log(`downloaded ${bytes.length} bytes, hash verified`)

await stopAll(nodes)
