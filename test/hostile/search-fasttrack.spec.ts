/**
 * Hostile peers against FastTrack, live (memory and TCP, Noise + yamux), the attacker a puppet speaking
 * the real protocol: a supernode that links to an honest one and answers every query with hits its
 * leaves never uploaded (naming a third party, junk hashes); a leaf that floods queries and share lists.
 */
import assert from 'node:assert/strict'
import type { Libp2p } from '@libp2p/interface'
import { fasttrack, type FastTrackService } from '../../src/fasttrack/service.js'
import type { FastTrackMsg, HitEntry } from '../../src/fasttrack/messages.js'
import { fasttrackSpec } from '../../src/fasttrack/spec.js'
import { sha256Bytes, toHex } from '../../src/overlay/ids.js'
import { Rng } from '../../src/overlay/rng.js'
import type { PeerRef } from '../../src/overlay/types.js'
import { MemoryBlobStorage } from '../../src/runtime/libp2p/storage.js'
import { createNode, type SwarmTransport } from '../../src/runtime/libp2p/swarm.js'
import { collect, waitFor } from '../search/live-util.js'
import { puppetNode, type PuppetService } from './search-puppet.js'

type F = Libp2p<{ fasttrack: FastTrackService }>
type P = Libp2p<{ puppet: PuppetService<FastTrackMsg> }>

const refOf = (n: Libp2p): PeerRef => ({ id: n.peerId.toString(), addrs: n.getMultiaddrs().map(a => a.toString().replace(/\/p2p\/[^/]+$/, '')) })

for (const transport of ['memory', 'tcp'] as SwarmTransport[]) {
  describe(`hostile fasttrack peers (live, ${transport}, noise + yamux)`, function () {
    this.timeout(60_000)
    const seed = `hostile-ft-${transport}`
    let sn: F, searcher: F, holder: F, third: F
    const nodes: Libp2p[] = []
    const file = new Rng('velvet').bytes(80_000)
    const mk = async (i: number, kbps: number, bootstrap: PeerRef[]): Promise<F> => {
      const n: F = await createNode({
        fasttrack: fasttrack({
          bootstrap, capacity: { upKbps: kbps }, minLeaves: 1, maintenanceMs: 1000, replyTimeoutMs: 2000, attachTimeoutMs: 1000,
          electionTimeoutMs: 300, coordinatorTimeoutMs: 1500, leafTimeoutMs: 5000, driver: { storage: new MemoryBlobStorage(), seed: i }
        })
      }, { transport, seed, index: i })
      nodes.push(n)
      return n
    }
    const puppet = async (name: string): Promise<P> => { const p = await puppetNode(fasttrackSpec, transport, `${seed}-${name}`); nodes.push(p); return p }

    before(async function () {
      sn = await mk(0, 8000, [])
      searcher = await mk(1, 200, [refOf(sn)])
      holder = await mk(2, 200, [refOf(sn)])
      third = await mk(3, 200, [refOf(sn)])
      for (const n of [sn, searcher, holder, third]) await n.services.fasttrack.waitAttached()
      await waitFor(() => sn.services.fasttrack.role === 'supernode' && sn.services.fasttrack.leaves().length === 3, 'the capable node to be the supernode of the others', 20_000)
      await holder.services.fasttrack.shareBytes('velvet thunder.mp3', file)
    })

    after(async function () { await Promise.all(nodes.map(async n => { await n.stop() })) })

    it('a linked supernode reporting shares no leaf uploaded fills at most half a search; the honest hit downloads intact', async function () {
      const m = await puppet('supernode')
      const evil = m.services.puppet
      const me = refOf(m)
      const victim = refOf(third)
      evil.machine.react = (from, msg) => {
        if (msg.type !== 'query') return
        const hits: HitEntry[] = Array.from({ length: 60 }, (_, i) => ({ peer: victim, via: me, firewalled: false, name: `velvet thunder ${i}.mp3`, size: 1000, hash: toHex(sha256Bytes(`junk ${i}`)) }))
        evil.machine.send(from, { type: 'hit', qid: msg.qid, hops: 1, hits })
      }
      evil.machine.send(refOf(sn), { type: 'link', capacity: 1_000_000, leaves: 0, addrs: me.addrs })
      await waitFor(() => sn.services.fasttrack.links().includes(me.id), 'the hostile supernode to be linked')
      let hits: Awaited<ReturnType<typeof collect>> = []
      // the share upload may still be in flight: search until the honest hit is there
      for (let i = 0; i < 10 && !hits.some(h => h.peer.id === holder.peerId.toString()); i++) {
        hits = await collect(searcher.services.fasttrack.search('velvet thunder', { limit: 20, timeoutMs: 1500 }))
      }
      const lies = hits.filter(h => h.peer.id === victim.id)
      const honest = hits.find(h => h.peer.id === holder.peerId.toString())
      assert.ok(honest !== undefined, 'the honest hit arrived')
      assert.ok(lies.length > 0 && lies.length <= 10, `${lies.length} lying hits delivered (cap: half of 20)`)
      assert.ok(searcher.services.fasttrack.stats.get('ft.bad.hit-supernode-cap') >= 50)
      await assert.rejects(searcher.services.fasttrack.fetch(lies[0]), /no longer shares/)
      assert.deepEqual(await searcher.services.fasttrack.fetch(honest), file)
      evil.machine.react = undefined
    })

    it('a leaf flooding queries and share lists is cut to its rates, counted; honest search still works', async function () {
      const m = await puppet('leaf')
      const evil = m.services.puppet
      const me = refOf(m)
      evil.machine.send(refOf(sn), { type: 'attach', capacity: 100, firewalled: false, addrs: me.addrs })
      await waitFor(() => sn.services.fasttrack.leaves().includes(me.id), 'the hostile leaf to be attached')
      const rng = new Rng('ft-flood')
      for (let i = 0; i < 300; i++) evil.machine.send(refOf(sn), { type: 'query', qid: toHex(rng.bytes(16)), ttl: 4, hops: 0, text: `nothing ${i}` })
      for (let e = 1; e <= 30; e++) {
        const files = Array.from({ length: 500 }, (_, i) => ({ name: `spam ${e} ${i}`, size: 1, hash: toHex(sha256Bytes(`spam ${e} ${i}`)) }))
        evil.machine.send(refOf(sn), { type: 'shares', epoch: e, files })
      }
      const stats = sn.services.fasttrack.stats
      await waitFor(() => stats.get('ft.bad.query-rate') >= 250 && stats.get('ft.bad.share-rate') >= 1, 'the floods to be refused')
      // the burst (20 queries, 10 000 files) passes, nothing beyond it
      assert.ok(stats.get('ft.bad.query-rate') <= 300 - 20 + 5)
      const hits = await collect(searcher.services.fasttrack.search('velvet thunder', { limit: 20, timeoutMs: 1500 }))
      assert.ok(hits.some(h => h.peer.id === holder.peerId.toString()))
    })
  })
}
