// FastTrack: six nodes, two with a fast uplink. They elect supernodes among the capable ones; the
// others attach as leaves and upload their share lists to their supernode. A leaf's query floods
// the supernode tier only; the download goes leaf to leaf, checked against its SHA-256.
// Run: node examples/search-fasttrack.mjs
import { fasttrack, SMALL_SWARM } from 'overlaykit/fasttrack'
import { MemoryBlobStorage } from 'overlaykit/runtime'
import { firstHit, startNode, stopAll } from './node.mjs'

const nodes = []
for (let i = 0; i < 6; i++) {
  const bootstrap = nodes.map(n => ({ id: n.peerId.toString(), addrs: n.getMultiaddrs().map(String) }))
  nodes.push(await startNode({
    fasttrack: fasttrack({
      ...SMALL_SWARM, // timings for a handful of nodes (the defaults are made for thousands)
      bootstrap,
      capacity: { upKbps: i < 2 ? 4000 : 256 },
      driver: { storage: new MemoryBlobStorage() }
    })
  }))
}
await Promise.all(nodes.map(async n => { await n.services.fasttrack.waitAttached({ timeoutMs: 20_000 }) }))
console.log('roles:', nodes.map(n => n.services.fasttrack.role).join(', '))

const song = new TextEncoder().encode('la la la '.repeat(10_000))
await nodes[5].services.fasttrack.shareBytes('overlaykit demo song.mp3', song)

const hit = await firstHit(nodes[4].services.fasttrack, 'demo song')
console.log(`found "${hit.name}" at ${hit.peer.id.slice(-8)}`)
const bytes = await nodes[4].services.fasttrack.fetch(hit, { signal: AbortSignal.timeout(10_000) })
console.log(`downloaded ${bytes.length} bytes, hash verified`)

await stopAll(nodes)
