/**
 * Live FastTrack: 12 real libp2p nodes on TCP (Noise + yamux) with real files on disk. Three nodes are
 * capable enough to be supernodes; one leaf is firewalled (it listens nowhere). The nodes elect
 * supernodes, leaves attach and upload their share lists, files are found through the supernode tier
 * and downloaded byte-identical (directly and by push), and after a supernode dies without a goodbye
 * its leaves re-attach elsewhere and their files are found and downloaded again.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Libp2p } from '@libp2p/interface'
import type { PeerRef } from '../../src/overlay/index.js'
import { FsBlobStorage } from '../../src/runtime/libp2p/storage.js'
import { createNode } from '../../src/runtime/libp2p/swarm.js'
import { fasttrack, type FastTrackService } from '../../src/fasttrack/service.js'
import { collect, tempRoot, waitFor, writeRandomFile } from '../search/live-util.js'

type Node = Libp2p<{ fasttrack: FastTrackService }>

describe('fasttrack live (TCP, 12 nodes, real files)', function () {
  this.timeout(60_000)
  const N = 12
  const FIREWALLED = 11
  // upload kbit/s: 0, 5 and 9 may become supernodes (≥ 1000), everyone else is a modem
  const kbps = (i: number): number => i === 0 ? 8000 : i === 5 ? 6000 : i === 9 ? 3000 : 200
  const SHARERS: Record<number, { store: string, size: number }> = {
    3: { store: 'share/Velvet Thunder.mp3', size: 400_000 },
    7: { store: 'share/frozen river (live).ogg', size: 900_000 },
    8: { store: 'share/paper moon.txt', size: 150_000 },
    [FIREWALLED]: { store: 'share/secret garden.mp3', size: 250_000 }
  }
  let nodes: Node[] = []
  let root: { dir: string, cleanup: () => Promise<void> }
  const bytes: Record<number, Uint8Array> = {}
  const ft = (i: number): FastTrackService => nodes[i].services.fasttrack
  const dir = (i: number): string => join(root.dir, `node${i}`)
  const idOf = (i: number): string => nodes[i].peerId.toString()
  const indexOf = (id: string | undefined): number => nodes.findIndex(n => n.peerId.toString() === id)
  const alive = new Set<number>()

  before(async function () {
    root = await tempRoot('fasttrack')
    for (const [i, f] of Object.entries(SHARERS)) bytes[Number(i)] = await writeRandomFile(dir(Number(i)), f.store, f.size, `ft-${i}`)
    const refs: PeerRef[] = []
    for (let i = 0; i < N; i++) {
      const node: Node = await createNode({
        fasttrack: fasttrack({
          bootstrap: refs.slice(0, 3),
          capacity: { upKbps: kbps(i), firewalled: i === FIREWALLED },
          maxLeaves: 6,
          minLeaves: 1,
          maintenanceMs: 1000,
          replyTimeoutMs: 1000,
          attachTimeoutMs: 1000,
          electionTimeoutMs: 300,
          coordinatorTimeoutMs: 1500,
          leafTimeoutMs: 3000,
          driver: { storage: new FsBlobStorage(dir(i)), seed: i }
        })
      }, { transport: 'tcp', seed: 'fasttrack-live', index: i, ...(i === FIREWALLED ? { listen: [] } : {}) })
      nodes.push(node)
      alive.add(i)
      if (i !== FIREWALLED) refs.push({ id: node.peerId.toString(), addrs: node.getMultiaddrs().map(a => a.decapsulate('/p2p').toString()) })
    }
    await Promise.all(nodes.map(async (_, i) => { await ft(i).waitAttached({ timeoutMs: 40_000 }) }))
    for (const [i, f] of Object.entries(SHARERS)) await ft(Number(i)).shareStored(f.store)
  })

  after(async function () {
    await Promise.all(nodes.map(async n => { await n.stop() }))
    nodes = []
    await root?.cleanup()
  })

  /** Wait until every live node is a supernode or attached to a live one that lists it as a leaf. */
  async function settled (): Promise<void> {
    await waitFor(() => [...alive].every(i => {
      if (ft(i).role === 'supernode') return true
      const sn = indexOf(ft(i).supernode)
      return sn >= 0 && alive.has(sn) && ft(sn).role === 'supernode' && ft(sn).leaves().includes(idOf(i))
    }), 'every node attached to a live supernode', 30_000)
  }

  async function find (from: number, text: string, holder: number): Promise<NonNullable<Awaited<ReturnType<typeof collect>>[number]> & { firewalled: boolean, via: PeerRef }> {
    // an upload of a share list may still be in flight: retry a few times rather than sleep
    for (let attempt = 0; attempt < 20; attempt++) {
      const hits = await collect(ft(from).search(text, { timeoutMs: 1500 }), h => h.peer.id === idOf(holder))
      const hit = hits.find(h => h.peer.id === idOf(holder))
      if (hit !== undefined) return hit
    }
    throw new Error(`no hit for "${text}" from node ${holder}`)
  }

  it('elects supernodes among the capable nodes only, and every other node attaches to one', async () => {
    await settled()
    const sns = [...alive].filter(i => ft(i).role === 'supernode')
    assert.ok(sns.length >= 2, `supernodes ${sns.join(',')} (maxLeaves 6 needs at least two)`)
    for (const i of sns) assert.ok(kbps(i) >= 1000 && i !== FIREWALLED, `node ${i} is not capable`)
    for (const i of sns) assert.ok(ft(i).leaves().length <= 6)
    const total = sns.reduce((a, i) => a + ft(i).leaves().length, 0)
    assert.equal(total, N - sns.length)
    assert.ok(sns.some(i => ft(i).links().length > 0), 'supernodes are linked')
  })

  it('finds a file through the supernode tier and downloads it byte-identical to disk', async () => {
    const hit = await find(1, 'frozen river', 7)
    assert.equal(hit.name, 'frozen river (live).ogg')
    assert.equal(hit.via.id, ft(7).supernode)
    const progress: number[] = []
    const got = await ft(1).fetch(hit, { onProgress: p => progress.push(p.bytes) })
    assert.deepEqual(got, bytes[7])
    assert.deepEqual(new Uint8Array(await readFile(join(dir(1), 'download', hit.hash))), bytes[7])
    assert.equal(progress.at(-1), bytes[7].length)
  })

  it('downloads from a firewalled leaf by push through its supernode', async () => {
    assert.equal(nodes[FIREWALLED].getMultiaddrs().length, 0, 'the firewalled node listens nowhere')
    const hit = await find(2, 'secret garden', FIREWALLED)
    assert.equal(hit.firewalled, true)
    const r = await ft(2).fetchFile(hit)
    assert.equal(r.viaPush, true)
    assert.deepEqual(r.bytes, bytes[FIREWALLED])
    assert.ok(ft(FIREWALLED).stats.get('xfer:push-answered') >= 1)
  })

  it('ContentRouting through the supernodes: provide(key) on one leaf, findProviders(key) on another', async () => {
    const key = new TextEncoder().encode('an info hash, say')
    await ft(4).provide(key)
    let found: string[] = []
    for (let attempt = 0; attempt < 20 && found.length === 0; attempt++) {
      found = []
      for await (const p of ft(10).findProviders(key, { limit: 1 })) found.push(p.id)
    }
    assert.deepEqual(found, [idOf(4)])
  })

  it('survives a supernode dying without a goodbye: its leaves re-attach and their files are found again', async () => {
    const victim = indexOf(ft(3).supernode)
    assert.ok(victim >= 0, 'node 3 is a leaf with a supernode')
    const orphans = ft(victim).leaves().map(indexOf)
    assert.ok(orphans.includes(3))
    // a crash: no detach messages to the leaves, no unlink to the other supernodes
    ft(victim).machine.stop = () => {}
    alive.delete(victim)
    await nodes[victim].stop()
    await settled()
    for (const o of orphans) assert.notEqual(indexOf(ft(o).supernode), victim)
    const asker = [...alive].find(i => !orphans.includes(i) && i !== 3) as number
    const hit = await find(asker, 'velvet thunder', 3)
    assert.notEqual(hit.via.id, idOf(victim))
    const got = await ft(asker).fetch(hit)
    assert.deepEqual(got, bytes[3])
    assert.ok(orphans.some(o => ft(o).stats.get('ft.failover') >= 1))
  })
})
