/**
 * Live Gnutella: 10 real libp2p servents on TCP (Noise + yamux), sharing real files on disk, two of
 * them undialable (no listen address at all; one knows it, one does not). Files are found by flooding and downloaded
 * byte-identical, including a resume from an offset and a push from the firewalled servent.
 */
import assert from 'node:assert/strict'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Libp2p } from '@libp2p/interface'
import { FsBlobStorage } from '../../src/runtime/libp2p/storage.js'
import { createNode } from '../../src/runtime/libp2p/swarm.js'
import { gnutella, type GnutellaService } from '../../src/gnutella/service.js'
import { collect, tempRoot, waitFor, writeRandomFile } from '../search/live-util.js'

type Node = Libp2p<{ gnutella: GnutellaService }>

describe('gnutella live (TCP, 10 servents, real files)', function () {
  this.timeout(60_000)
  const N = 10
  const FIREWALLED = 8
  /** Cannot be dialed either, but does not know it (flags itself reachable): the direct request fails and the downloader falls back to a push. */
  const HIDDEN = 9
  let nodes: Node[] = []
  let root: { dir: string, cleanup: () => Promise<void> }
  const files: Record<string, Uint8Array> = {}
  const g = (i: number): GnutellaService => nodes[i].services.gnutella
  const dir = (i: number): string => join(root.dir, `node${i}`)

  before(async function () {
    root = await tempRoot('gnutella')
    files.blue = await writeRandomFile(dir(2), 'share/Blue Moon.mp3', 300_000, 'blue')
    files.red = await writeRandomFile(dir(5), 'share/red river (live).ogg', 1_100_000, 'red')
    files.secret = await writeRandomFile(dir(FIREWALLED), 'share/secret garden.txt', 200_000, 'secret')
    files.hidden = await writeRandomFile(dir(HIDDEN), 'share/hidden track.mp3', 120_000, 'hidden')
    for (let i = 0; i < N; i++) {
      nodes.push(await createNode({
        gnutella: gnutella({ targetDegree: 1, maxDegree: 6, firewalled: i === FIREWALLED, driver: { storage: new FsBlobStorage(dir(i)), seed: i, unreachableBackoffMs: 100 } })
      }, { transport: 'tcp', seed: 'gnutella-live', index: i, ...(i === FIREWALLED || i === HIDDEN ? { listen: [] } : {}) }))
    }
    // a ring 0-1-…-7-0 plus the firewalled servent dialing out to 4 (targetDegree 1 keeps servents from
    // adding links of their own, so hop counts are known); the ring's cycle makes floods meet duplicates
    for (let i = 1; i < FIREWALLED; i++) await g(i).connectServent(nodes[i - 1].getMultiaddrs()[0].toString())
    await g(0).connectServent(nodes[FIREWALLED - 1].getMultiaddrs()[0].toString())
    await g(FIREWALLED).connectServent(nodes[4].getMultiaddrs()[0].toString())
    await g(HIDDEN).connectServent(nodes[6].getMultiaddrs()[0].toString())
    await g(2).shareStored('share/Blue Moon.mp3')
    await g(5).shareStored('share/red river (live).ogg')
    await g(FIREWALLED).shareStored('share/secret garden.txt')
    await g(HIDDEN).shareStored('share/hidden track.mp3')
  })

  after(async function () {
    await Promise.all(nodes.map(async n => { await n.stop() }))
    nodes = []
    await root?.cleanup()
  })

  it('finds a file several hops away and downloads it byte-identical to disk', async function () {
    const hits = await collect(g(0).search('blue moon', { timeoutMs: 3000 }), h => h.name === 'Blue Moon.mp3')
    const hit = hits.find(h => h.name === 'Blue Moon.mp3')
    assert.ok(hit !== undefined, 'no hit for blue moon')
    assert.equal(hit.peer.id, nodes[2].peerId.toString())
    assert.equal(hit.hops, 2)
    assert.equal(hit.firewalled, false)
    const progress: number[] = []
    const bytes = await g(0).fetch(hit, { onProgress: p => progress.push(p.bytes) })
    assert.deepEqual(bytes, files.blue)
    assert.deepEqual(new Uint8Array(await readFile(join(dir(0), 'download', hit.hash))), files.blue)
    assert.equal(progress.at(-1), files.blue.length)
  })

  it('resumes a partial download from an offset', async function () {
    const [hit] = await collect(g(7).search('red river', { timeoutMs: 3000 }), () => true)
    assert.ok(hit !== undefined, 'no hit for red river')
    const offset = 400_000
    await mkdir(join(dir(7), 'download'), { recursive: true })
    await writeFile(join(dir(7), 'download/partial.ogg'), files.red.subarray(0, offset))
    const r = await g(7).fetchFile(hit, { offset, store: 'download/partial.ogg' })
    assert.equal(r.resumedFrom, offset)
    assert.equal(r.bytesReceived, files.red.length - offset)
    assert.deepEqual(r.bytes, files.red)
    assert.deepEqual(new Uint8Array(await readFile(join(dir(7), 'download/partial.ogg'))), files.red)
  })

  it('reaches the firewalled servent by push (it connects out to the downloader)', async function () {
    const [hit] = await collect(g(0).search('secret garden', { timeoutMs: 3000 }), () => true)
    assert.ok(hit !== undefined, 'no hit for secret garden')
    assert.equal(hit.firewalled, true)
    assert.equal(nodes[FIREWALLED].getMultiaddrs().length, 0, 'the firewalled node listens nowhere')
    const r = await g(0).fetchFile(hit)
    assert.equal(r.viaPush, true)
    assert.deepEqual(r.bytes, files.secret)
    assert.ok(g(FIREWALLED).stats.get('xfer:push-answered') >= 1)
  })

  it('falls back to a push when a servent that claimed to be reachable cannot be dialed', async function () {
    const [hit] = await collect(g(1).search('hidden track', { timeoutMs: 3000 }), () => true)
    assert.ok(hit !== undefined, 'no hit for hidden track')
    assert.equal(hit.firewalled, false)
    const r = await g(1).fetchFile(hit)
    assert.equal(r.viaPush, true)
    assert.deepEqual(r.bytes, files.hidden)
    assert.equal(g(1).stats.get('xfer:fallback-to-push'), 1)
  })

  it('ContentRouting by flooding: provide(key) on one servent, findProviders(key) on another', async function () {
    const key = new Uint8Array(32).fill(9)
    await g(5).provide(key)
    const found: string[] = []
    for await (const p of g(0).findProviders(key, { limit: 1 })) found.push(p.id)
    assert.deepEqual(found, [nodes[5].peerId.toString()])
  })

  it('a flood reaches every servent exactly once (duplicates dropped) and a search with no match ends empty', async function () {
    const seen = (): number => nodes.reduce((a, _, i) => a + g(i).stats.get('gnutella:queries-seen'), 0)
    const before = seen()
    const hits = await collect(g(3).search('nothing like this', { timeoutMs: 800 }))
    assert.equal(hits.length, 0)
    await waitFor(() => seen() - before >= N - 1, 'the query to reach every servent')
    assert.equal(seen() - before, N - 1, 'some servent processed the query twice')
    const dups = nodes.reduce((a, _, i) => a + g(i).stats.get('gnutella:drop-duplicate'), 0)
    assert.ok(dups > 0, 'the ring should have delivered duplicates that were dropped')
  })
})
