/**
 * Hostile peers against the search overlays, live: real libp2p nodes (Noise + yamux) on the memory and
 * TCP transports, the attacker a puppet speaking the real Gnutella protocol with crafted descriptors.
 * Each case asserts the honest outcome and that the attacker's messages were counted as refused.
 *
 * - a QueryHit naming a third party's peer, 36 results, cannot fill a search (it filled 18 of 20);
 * - a hit that lies about its bytes (the honest file's hash, junk data) fails the download, counted,
 *   and data injected by a peer other than the holder is refused (peer ids are Noise-authenticated);
 * - 3000 queries with fresh ids reach the other servents at most at the per-neighbour rate, and the
 *   flooder is evicted and refused on reconnect;
 * - fake identities holding every neighbour slot lose an idle slot to an honest servent.
 */
import assert from 'node:assert/strict'
import type { Libp2p } from '@libp2p/interface'
import type { GnutellaMsg } from '../../src/gnutella/codec.js'
import type { Descriptor } from '../../src/gnutella/descriptor.js'
import { ConnectRefusedError, gnutella, type GnutellaService } from '../../src/gnutella/service.js'
import { serventIdOf, type GnutellaHit } from '../../src/gnutella/servent.js'
import { gnutellaSpec } from '../../src/gnutella/spec.js'
import { sha256Bytes, toHex } from '../../src/overlay/ids.js'
import { Rng } from '../../src/overlay/rng.js'
import type { PeerRef } from '../../src/overlay/types.js'
import { MemoryBlobStorage } from '../../src/runtime/libp2p/storage.js'
import { createNode, type SwarmTransport } from '../../src/runtime/libp2p/swarm.js'
import { collect, waitFor } from '../search/live-util.js'
import { puppetNode, type PuppetService } from './search-puppet.js'

type G = Libp2p<{ gnutella: GnutellaService }>
type P = Libp2p<{ puppet: PuppetService<GnutellaMsg> }>

const refOf = (n: Libp2p): PeerRef => ({ id: n.peerId.toString(), addrs: n.getMultiaddrs().map(a => a.toString().replace(/\/p2p\/[^/]+$/, '')) })

function queryHit (query: Extract<Descriptor, { type: 'query' }>, peer: PeerRef, results: Array<{ name: string, size: number, hash: string }>): Descriptor {
  return {
    type: 'queryhit', id: query.id, ttl: 7, hops: 0, port: 0, ip: '0.0.0.0', speed: 1,
    results: results.map((r, index) => ({ index, ...r })), servent: serventIdOf(peer.id), push: false, vendor: 'OVKT', peer
  }
}

for (const transport of ['memory', 'tcp'] as SwarmTransport[]) {
  describe(`hostile gnutella peers (live, ${transport}, noise + yamux)`, function () {
    this.timeout(60_000)
    const seed = `hostile-search-${transport}`
    let a: G, b: G, c: G
    let m: P
    const file = new Rng('blue').bytes(100_000)
    let fileHash = ''
    const nodes: Libp2p[] = []
    const mk = async (i: number, extra: Record<string, unknown> = {}): Promise<G> => {
      // the servent's own defences are under test: the driver's peer score (test/hostile/driver.spec.ts) would cut the puppet off first
      const n: G = await createNode({ gnutella: gnutella({ targetDegree: 1, driver: { storage: new MemoryBlobStorage(), seed: i, resources: { score: { threshold: Infinity } } }, ...extra }) }, { transport, seed, index: i })
      nodes.push(n)
      return n
    }
    const puppet = (): PuppetService<GnutellaMsg> => m.services.puppet
    const search = async (text: string, limit = 20): Promise<GnutellaHit[]> => await collect(a.services.gnutella.search(text, { limit, timeoutMs: 1500 }))

    before(async function () {
      a = await mk(0); b = await mk(1); c = await mk(2)
      m = await puppetNode(gnutellaSpec, transport, `${seed}-attacker`)
      nodes.push(m)
      fileHash = (await b.services.gnutella.shareBytes('blue moon.mp3', file)).hash
      await b.services.gnutella.connectServent(a.getMultiaddrs()[0].toString())
      await c.services.gnutella.connectServent(a.getMultiaddrs()[0].toString())
      // the attacker becomes A's neighbour with a plain GNUTELLA CONNECT
      puppet().machine.send(refOf(a), { type: 'connect' })
      await waitFor(() => a.services.gnutella.neighbours().includes(m.peerId.toString()), 'the attacker to be a neighbour')
    })

    after(async function () { await Promise.all(nodes.map(async n => { await n.stop() })) })

    it('a QueryHit flood naming a third party fills at most half of a search; the honest hit arrives and downloads intact', async function () {
      const third = refOf(c)
      const junk = (k: number): Array<{ name: string, size: number, hash: string }> =>
        Array.from({ length: 18 }, (_, i) => ({ name: `blue moon ${k}-${i}.mp3`, size: 1000 + i, hash: toHex(sha256Bytes(`junk ${k} ${i}`)) }))
      puppet().machine.react = (from, msg) => {
        if (msg.type !== 'query') return
        puppet().machine.send(from, queryHit(msg, third, junk(1)))
        puppet().machine.send(from, queryHit(msg, third, junk(2)))
      }
      const before = a.services.gnutella.stats.get('gnutella:hit-neighbour-cap')
      const hits = await search('blue moon')
      puppet().machine.react = undefined
      const lies = hits.filter(h => h.peer.id === third.id)
      const honest = hits.filter(h => h.peer.id === b.peerId.toString())
      assert.equal(honest.length, 1, 'the honest hit arrived')
      assert.ok(lies.length <= 10, `${lies.length} lying results delivered (cap: half of 20)`)
      assert.ok(a.services.gnutella.stats.get('gnutella:hit-neighbour-cap') - before >= 26, 'the rest refused and counted')
      // the third party does not have the file: the lie costs one failed request, no bytes
      await assert.rejects(a.services.gnutella.fetch(lies[0]), /no longer shares|not-found|refused/)
      assert.deepEqual(await a.services.gnutella.fetch(honest[0]), file)
    })

    it('a hit that lies about its bytes fails the download (hash checked), and data from anyone but the holder is refused', async function () {
      const self = puppet().self
      const mine = { id: self.id, addrs: refOf(m).addrs }
      puppet().machine.react = (from, msg) => {
        if (msg.type === 'query') puppet().machine.send(from, queryHit(msg, mine, [{ name: 'blue moon.mp3', size: file.byteLength, hash: fileHash }]))
        // serve junk of the right length for the honest file's hash
        if (msg.type === 'xfer-get') puppet().machine.send(from, { type: 'xfer-data', req: msg.req, offset: msg.offset, total: file.byteLength, data: new Rng(`junk${msg.offset}`).bytes(msg.length) })
      }
      const hits = await search('blue moon')
      const lie = hits.find(h => h.peer.id === self.id)
      const honest = hits.find(h => h.peer.id === b.peerId.toString())
      assert.ok(lie !== undefined && honest !== undefined)
      const mismatches = a.services.gnutella.stats.get('xfer:hash-mismatch')
      await assert.rejects(a.services.gnutella.fetch(lie), /does not match its hash/)
      assert.equal(a.services.gnutella.stats.get('xfer:hash-mismatch'), mismatches + 1)

      // a download from C (which has no such file) while the attacker sprays data for every likely request id
      const spoofed: GnutellaHit = { ...honest, peer: refOf(c), servent: serventIdOf(c.peerId.toString()) }
      const unsolicited = a.services.gnutella.stats.get('xfer:unsolicited')
      const fetching = a.services.gnutella.fetch(spoofed)
      for (let req = 1; req < 400; req++) puppet().machine.send(refOf(a), { type: 'xfer-data', req, offset: 0, total: file.byteLength, data: new Uint8Array(65536) })
      await assert.rejects(fetching, /no longer shares/)
      await waitFor(() => a.services.gnutella.stats.get('xfer:unsolicited') > unsolicited, 'the sprayed data to be refused')
      puppet().machine.react = undefined
      assert.deepEqual(await a.services.gnutella.fetch(honest), file, 'the honest holder still serves the real bytes')
    })

    it('3000 queries with fresh ids: forwarded at most at the per-neighbour rate, the flooder evicted and refused', async function () {
      // a fresh identity (the first attacker is already banned by the driver for its lies above)
      const m2: P = await puppetNode(gnutellaSpec, transport, `${seed}-flooder`)
      nodes.push(m2)
      const flooder = m2.services.puppet
      flooder.machine.send(refOf(a), { type: 'connect' })
      await waitFor(() => a.services.gnutella.neighbours().includes(m2.peerId.toString()), 'the flooder to be a neighbour')
      const seenAtB = b.services.gnutella.stats.get('gnutella:queries-seen')
      const stats = a.services.gnutella.stats
      const counted = (): number => stats.get('gnutella:queries-seen') + stats.get('gnutella:query-rate') + stats.get('gnutella:drop-not-neighbour')
      const start = counted()
      const rng = new Rng('flood')
      for (let i = 0; i < 3000; i++) flooder.machine.send(refOf(a), { type: 'query', id: toHex(rng.bytes(16)), ttl: 7, hops: 0, minSpeed: 0, criteria: `nothing ${i}` })
      // (the attacker's own driver may drop part of its burst at its send queue: wait for the eviction)
      await waitFor(() => !a.services.gnutella.neighbours().includes(m2.peerId.toString()), 'the flooder to be evicted')
      assert.ok(stats.get('gnutella:query-rate') >= 200, `over-rate queries counted: ${stats.get('gnutella:query-rate')}`)
      // evicted by the servent (abusive), or cut off by the driver's peer score first (unreachable)
      assert.ok(stats.get('gnutella:neighbour-lost:abusive') + stats.get('gnutella:neighbour-lost:unreachable') >= 1)
      const forwarded = b.services.gnutella.stats.get('gnutella:queries-seen') - seenAtB
      assert.ok(forwarded <= 400, `B saw ${forwarded} of 3000 flooded queries (burst 200 + 50/s)`)
      // reconnecting is refused for the back-off: by the servent (busy), or by the driver, which has
      // banned the peer its refusals penalised (its streams are refused)
      flooder.machine.send(refOf(a), { type: 'connect' })
      const refusedAgain = (): boolean => flooder.machine.inbox.some(e => e.msg.type === 'busy') || stats.get('driver:refused-streams') > 0 || stats.get('driver:banned') > 0
      await waitFor(refusedAgain, 'the reconnect to be refused')
      assert.ok(stats.get('gnutella:connect-refused-abusive') + stats.get('driver:refused-streams') + stats.get('driver:banned') >= 1)
      assert.ok(!a.services.gnutella.neighbours().includes(m2.peerId.toString()))
      // honest searching is unaffected (B drained A's query budget while the flood passed: it refills at
      // 50/s, so a search right after may need another try on a loaded machine)
      let found = false
      for (let i = 0; i < 5 && !found; i++) found = (await search('blue moon')).some(h => h.peer.id === b.peerId.toString())
      assert.ok(found)
    })

    it('fake identities holding every neighbour slot lose an idle slot to an honest servent', async function () {
      const victim = await mk(10, { maxDegree: 3, idleEvictMs: 2000 })
      const honest = await mk(11)
      const squatters: P[] = []
      for (let i = 0; i < 3; i++) { const s = await puppetNode(gnutellaSpec, transport, `${seed}-squatter-${i}`); nodes.push(s); squatters.push(s) }
      for (const s of squatters) s.services.puppet.machine.send(refOf(victim), { type: 'connect' })
      await waitFor(() => victim.services.gnutella.neighbours().length === 3, 'the squatters to fill every slot')
      await assert.rejects(honest.services.gnutella.connectServent(refOf(victim)), (e: unknown) => e instanceof ConnectRefusedError && e.reason === 'busy')
      // they keep their links alive with keep-alive pings, but send no query and no hit
      for (const s of squatters) s.services.puppet.machine.send(refOf(victim), { type: 'ping', id: toHex(new Rng(s.peerId.toString()).bytes(16)), ttl: 1, hops: 0 })
      let joined = false
      let trying = false
      await waitFor(() => {
        if (!joined && !trying) {
          trying = true
          honest.services.gnutella.connectServent(refOf(victim)).then(() => { joined = true }, () => {}).finally(() => { trying = false })
        }
        return joined
      }, 'the honest servent to get a slot', 10_000)
      assert.ok(victim.services.gnutella.neighbours().includes(honest.peerId.toString()))
      assert.ok(victim.services.gnutella.stats.get('gnutella:neighbour-lost:evicted-idle') >= 1)
      assert.ok(victim.services.gnutella.stats.get('gnutella:refused-full') >= 1)
    })
  })
}
