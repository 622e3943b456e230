/**
 * Trackerless discovery through each search overlay: the seeder announces the info hash with
 * `provide`, the leecher finds it with `findProviders` — through a Gnutella flood, the Napster
 * index, or the FastTrack supernodes — and the download completes byte-identical. The swarm code
 * is the same as with Chord (live.spec.ts): it only sees the ContentRouting capability.
 */
import assert from 'node:assert/strict'
import type { Libp2p } from '@libp2p/interface'
import { createNode } from '../../src/runtime/libp2p/swarm.js'
import { bittorrent, type BitTorrentService } from '../../src/bittorrent/index.js'
import { gnutella } from '../../src/gnutella/service.js'
import { napster, napsterServer } from '../../src/napster/service.js'
import { fasttrack } from '../../src/fasttrack/service.js'
import { Rng } from '../../src/overlay/rng.js'
import type { ContentRouting } from '../../src/overlay/capabilities.js'
import type { PeerRef } from '../../src/overlay/types.js'

type Node = Libp2p<Record<string, any>>

async function withTimeout<T> (p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([p, new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`timed out: ${what}`)) }, ms) })])
  } finally { clearTimeout(timer) }
}

/** Seed on `seeder`, download on `leecher`, each finding the other only through its own ContentRouting. */
async function swarmThrough (seeder: Node, leecher: Node, routing: (n: Node) => ContentRouting, label: string): Promise<void> {
  const data = new Rng(`discovery-${label}`).bytes(600_000)
  const bt = (n: Node): BitTorrentService => n.services.bittorrent
  const seeded = await bt(seeder).seed(data, { name: `${label}.bin`, pieceLength: 32768, contentRouting: routing(seeder), announceIntervalMs: 500 })
  const d = await bt(leecher).download(seeded.torrentFile, { contentRouting: routing(leecher), announceIntervalMs: 500 })
  try {
    await withTimeout(d.done, 30_000, `download through ${label}`)
    assert.ok(d.discovered.has(seeder.peerId.toString()) || seeded.discovered.has(leecher.peerId.toString()), `${label} named the other peer`)
    assert.ok(Buffer.from(await d.read()).equals(Buffer.from(data)), 'byte-identical')
    assert.ok(Buffer.from(await d.read(100_000, 50_000)).equals(Buffer.from(data.subarray(100_000, 150_000))), 'a range')
    await assert.rejects(d.read(599_999, 2), /outside/)
  } finally {
    await d.stop()
    await seeded.stop()
  }
}

describe('bittorrent trackerless discovery through the search overlays (libp2p, memory)', function () {
  this.timeout(60_000)
  const nodes: Node[] = []
  after(async () => { await Promise.all(nodes.splice(0).map(async n => { await n.stop() })) })

  it('through Gnutella: provide and findProviders ride a query flood', async () => {
    const g: Node[] = []
    for (let i = 0; i < 3; i++) g.push(await createNode({ gnutella: gnutella({ targetDegree: 1, maxDegree: 4, driver: { seed: i } }), bittorrent: bittorrent({ seed: `g${i}` }) }, { seed: 'bt-discovery-g', index: i }))
    nodes.push(...g)
    // a line 0 - 1 - 2: the seeder and the leecher are two hops apart
    for (let i = 1; i < 3; i++) await g[i].services.gnutella.connectServent(g[i - 1].getMultiaddrs()[0].toString())
    await swarmThrough(g[0], g[2], n => n.services.gnutella, 'gnutella')
  })

  it('through Napster: the provider record sits in the central index', async () => {
    const server = await createNode({ napsterServer: napsterServer() }, { seed: 'bt-discovery-n', index: 100 })
    nodes.push(server)
    const addr = server.getMultiaddrs()[0].toString()
    const c: Node[] = []
    for (let i = 0; i < 2; i++) c.push(await createNode({ napster: napster({ server: addr, driver: { seed: i } }), bittorrent: bittorrent({ seed: `n${i}` }) }, { seed: 'bt-discovery-n', index: i }))
    nodes.push(...c)
    await Promise.all(c.map(async n => { await n.services.napster.waitOnline({ timeoutMs: 10_000 }) }))
    await swarmThrough(c[0], c[1], n => n.services.napster, 'napster')
  })

  it('through FastTrack: a leaf provides, another leaf finds it through the supernode', async () => {
    const refs: PeerRef[] = []
    const f: Node[] = []
    for (let i = 0; i < 3; i++) {
      const node = await createNode({
        fasttrack: fasttrack({
          bootstrap: refs.slice(0, 1),
          capacity: { upKbps: i === 0 ? 8000 : 200, firewalled: false },
          maintenanceMs: 500, replyTimeoutMs: 1000, attachTimeoutMs: 1000, electionTimeoutMs: 300, coordinatorTimeoutMs: 1500,
          driver: { seed: i }
        }),
        bittorrent: bittorrent({ seed: `f${i}` })
      }, { seed: 'bt-discovery-f', index: i })
      f.push(node)
      refs.push({ id: node.peerId.toString(), addrs: node.getMultiaddrs().map(a => a.decapsulate('/p2p').toString()) })
    }
    nodes.push(...f)
    await Promise.all(f.map(async n => { await n.services.fasttrack.waitAttached({ timeoutMs: 20_000 }) }))
    await swarmThrough(f[1], f[2], n => n.services.fasttrack, 'fasttrack')
  })
})
