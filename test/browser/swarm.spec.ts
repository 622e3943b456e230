/**
 * Pages as full peers (issue 14): three pages in headless Chromium and one Node relay (circuit relay
 * v2 on WebSockets). Each page reserves a slot on the relay and announces a relayed and a WebRTC
 * address; the pages then
 * - form one Chord ring among themselves (joined through each other's addresses, not the relay's),
 *   and every page's lookup of the same keys names the same owner;
 * - form one gossip group: an update from one page reaches the other two exactly once;
 * - transfer a file page to page: page A downloads what page B seeds, SHA-256 checked, and the
 *   peer-wire streams ride a WebRTC connection between A and B (its remote multiaddr has /webrtc and it
 *   is not limited) — not the relayed connection.
 * Every wait is bounded; the pages, the relay and the browser stop in `after`.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { CHROMIUM, pageConnections, pageDeliveries, pageDownload, pageJoin, pageLookup, pagePublish, pageRing, pageSeed, pageStart, ringFormed, startWorld, until, type PageInfo, type PageSwarmWorld } from '../../benchmarks/lib/page-swarm.js'

describe('browser: three pages and a relay (WebRTC, circuit relay v2)', function () {
  this.timeout(120_000)
  let world: PageSwarmWorld | undefined
  const pages: any[] = []
  const info: PageInfo[] = []
  const problems: string[] = []

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      (skipped: ${CHROMIUM} is missing; install Debian's chromium, as .ci/run does, to run the browser test)`)
      this.skip()
    }
    world = await startWorld()
    for (let i = 0; i < 3; i++) {
      const page = await world.newPage()
      page.on('pageerror', (e: Error) => { problems.push(`page ${i} error: ${e.message}`) })
      pages.push(page)
      info.push(await page.evaluate(pageStart, { relay: world.relayAddr, timeoutMs: 20_000 }))
    }
  })

  after(async () => {
    for (const p of pages) await p.evaluate(async () => { await (globalThis as any).ok?.node.stop() }).catch(() => {})
    await world?.close()
  })

  it('each page reserves a slot on the relay and announces relayed and WebRTC addresses', () => {
    for (const p of info) {
      assert.ok(p.relayed.startsWith(world!.relayAddr + '/p2p-circuit/p2p/'), p.relayed)
      assert.ok(p.webrtc.startsWith(world!.relayAddr + '/p2p-circuit/webrtc/p2p/'), p.webrtc)
    }
  })

  it('the pages form one Chord ring and agree on lookup owners', async () => {
    // page 0 is the ring; pages 1 and 2 join through page 0's WebRTC address
    for (let i = 1; i < 3; i++) await pages[i].evaluate(pageJoin, { bootstrap: info[0].webrtc, timeoutMs: 20_000 })
    const ms = await until('a ring of 3 pages', async () => ringFormed(await Promise.all(pages.map(async p => await p.evaluate(pageRing)))), 30_000)
    const ids = await Promise.all(pages.map(async p => (await p.evaluate(pageRing)).id))
    for (const key of ['alpha', 'beta', 'gamma', 'delta']) {
      let owners: string[] = []
      // a lookup may fail while the ring settles (a page's WebRTC dial still pending): ask again, bounded
      await until(`the pages agree on the owner of ${key}`, async () => {
        owners = await Promise.all(pages.map(async p => await p.evaluate(pageLookup, key).catch((err: Error) => `failed: ${err.message.split('\n')[0]}`)))
        return new Set(owners).size === 1 && !owners[0].startsWith('failed')
      }, 30_000).catch((err: Error) => { throw new Error(`${err.message}: ${owners.join(' ')}`) })
      assert.ok(ids.includes(owners[0]), `the owner of ${key} is one of the pages`)
    }
    // the ring among pages runs page to page: each page has a WebRTC connection to another page
    for (const [i, p] of pages.entries()) {
      const conns = await p.evaluate(pageConnections)
      assert.ok(conns.some((c: any) => c.kind === 'webrtc' && info.some(x => x.peerId === c.peer)), `page ${i} has a WebRTC connection to a page: ${JSON.stringify(conns)}`)
    }
    console.log(`      ring of 3 pages formed ${ms} ms after the joins`)
  })

  it('a gossip update from one page reaches the other two exactly once', async () => {
    await pages[1].evaluate(pagePublish, 'hello from page 1')
    await until('every other page delivers the update', async () => {
      const d = await Promise.all([0, 2].map(async i => await pages[i].evaluate(pageDeliveries, 'hello from page 1')))
      return d.every(x => x.count >= 1)
    }, 15_000)
    // a later update (and its anti-entropy rounds) passes before counting: no duplicate may have arrived
    await pages[2].evaluate(pagePublish, 'hello from page 2')
    await until('the second update', async () => {
      const d = await Promise.all([0, 1].map(async i => await pages[i].evaluate(pageDeliveries, 'hello from page 2')))
      return d.every(x => x.count >= 1)
    }, 15_000)
    for (const i of [0, 2]) assert.equal((await pages[i].evaluate(pageDeliveries, 'hello from page 1')).count, 1, `page ${i} delivered once`)
    assert.equal((await pages[1].evaluate(pageDeliveries, 'hello from page 1')).count, 0, 'the publisher does not deliver its own update')
  })

  it('page A downloads what page B seeds, hash-verified, over a WebRTC connection between them', async () => {
    const seeded = await pages[1].evaluate(pageSeed, { size: 1_500_000, pieceLength: 65536, salt: 11 })
    const r = await pages[0].evaluate(pageDownload, { torrent: seeded.torrent, peer: info[1].webrtc, timeoutMs: 30_000 })
    assert.equal(r.length, 1_500_000)
    assert.equal(r.sha256, seeded.sha256, 'the bytes page A holds hash to what page B seeded')
    assert.ok(r.carriers.length > 0, 'a connection to page B carried peer-wire streams')
    for (const c of r.carriers) {
      assert.equal(c.kind, 'webrtc', `the pieces travelled over ${c.addr}`)
      // the WebRTC transport names the connection /webrtc/p2p/<B> (the relay only carried the SDP exchange)
      assert.ok(c.addr.endsWith(`/webrtc/p2p/${info[1].peerId}`), c.addr)
      assert.equal(c.limited, false, 'a WebRTC connection is direct: no relay limits')
    }
    // the relay saw no peer-wire stream
    const relayStreams = world!.relay.getConnections().flatMap(c => c.streams.map(s => s.protocol))
    assert.ok(!relayStreams.includes('/overlaykit/bittorrent/1.0.0'), `relay streams: ${relayStreams.join(' ')}`)
    console.log(`      ${r.length} bytes page to page over ${r.carriers[0].addr.replace(/\/p2p\/\w+$/, '/p2p/<B>')} in ${Math.round(r.ms)} ms (${(r.length / 1e6 / (r.ms / 1000)).toFixed(1)} MB/s)`)
    assert.deepEqual(problems, [])
  })
})
