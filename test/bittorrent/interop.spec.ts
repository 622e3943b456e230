/** Interop with the stock `webtorrent` client over plain TCP on 127.0.0.1, both directions. */
import assert from 'node:assert/strict'
import { Rng } from '../../src/overlay/rng.js'
import { createTorrent } from '../../src/bittorrent/metainfo.js'
import { parseMagnet, toMagnet } from '../../src/bittorrent/magnet.js'
import { MetadataMachine } from '../../src/bittorrent/metadata.js'
import { TorrentHost } from '../../src/bittorrent/live/host.js'
import { TcpEndpoint, tcpPeerId } from '../../src/runtime/bytestream/tcp-endpoint.js'
import { MemoryStore } from '../../src/bittorrent/memory-store.js'
import { wtClient, wtDestroy } from './wt-helpers.js'

async function until (cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setImmediate(resolve))
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

describe('bittorrent interop with webtorrent (TCP, loopback)', function () {
  this.timeout(30_000)
  const data = new Rng('interop').bytes(3 * 1024 * 1024 + 12345)

  it('webtorrent downloads a torrent from our seeder', async () => {
    const { torrent, metainfo } = createTorrent([{ path: 'blob.bin', data }], { name: 'blob.bin', pieceLength: 65536 })
    const host = new TorrentHost({ self: { id: 'seeder' }, seed: 1 })
    const tcp = new TcpEndpoint(host)
    host.addTransport(tcp)
    await tcp.listen()
    host.add({ metainfo, seed: true, storage: 'memory', content: data })
    const client = await wtClient()
    try {
      const t = client.add(Buffer.from(torrent), { store: MemoryChunkStoreShim(), destroyStoreOnDestroy: true })
      await new Promise<void>(resolve => t.once('infoHash', () => { resolve() }))
      assert.equal(t.infoHash, metainfo.infoHash)
      t.addPeer(`127.0.0.1:${tcp.port}`)
      await new Promise<void>((resolve, reject) => { t.once('done', () => { resolve() }); t.once('error', reject) })
      const got = Buffer.from(await t.files[0].arrayBuffer())
      assert.ok(got.equals(Buffer.from(data)), 'webtorrent got the exact bytes')
      assert.ok(host.torrents.get(metainfo.infoHash)!.machine.uploaded >= data.length)
    } finally {
      await wtDestroy(client)
      await host.stop()
      await tcp.close()
    }
  })

  it('our leecher downloads from a webtorrent seeder', async () => {
    const client = await wtClient()
    const host = new TorrentHost({ self: { id: 'leecher' }, seed: 2 })
    const tcp = new TcpEndpoint(host)
    host.addTransport(tcp)
    try {
      const buf = Buffer.from(data) as any
      buf.name = 'wt.bin'
      const seeded: any = await new Promise(resolve => client.seed(buf, { name: 'wt.bin', pieceLength: 32768, announce: [], store: MemoryChunkStoreShim() }, resolve))
      const { parseTorrent } = await import('../../src/bittorrent/metainfo.js')
      const metainfo = parseTorrent(new Uint8Array(seeded.torrentFile))
      assert.equal(metainfo.infoHash, seeded.infoHash)
      const t = host.add({ metainfo, storage: 'memory' })
      t.connect({ id: tcpPeerId('127.0.0.1', client.address().port) })
      await until(() => t.machine.done, 25_000, 'download from webtorrent')
      assert.ok(Buffer.from((t.machine.store as MemoryStore).bytes).equals(Buffer.from(data)))
    } finally {
      await host.stop()
      await tcp.close()
      await wtDestroy(client)
    }
  })
})

describe('bittorrent magnet links with webtorrent (BEP 9 metadata over TCP)', function () {
  this.timeout(30_000)
  const data = new Rng('interop-magnet').bytes(1024 * 1024 + 99)

  it('webtorrent fetches the metadata and the data from our seeder given only a magnet link', async () => {
    const { metainfo } = createTorrent([{ path: 'm.bin', data }], { name: 'm.bin', pieceLength: 32768 })
    const host = new TorrentHost({ self: { id: 'seeder' }, seed: 3 })
    const tcp = new TcpEndpoint(host)
    host.addTransport(tcp)
    await tcp.listen()
    host.add({ metainfo, seed: true, content: data })
    const client = await wtClient()
    try {
      const t = client.add(toMagnet(metainfo), { store: MemoryChunkStore })
      t.once('infoHash', () => { t.addPeer(`127.0.0.1:${tcp.port}`) })
      await new Promise<void>((resolve, reject) => { t.once('done', () => { resolve() }); t.once('error', reject) })
      assert.equal(t.infoHash, metainfo.infoHash)
      assert.ok(Buffer.from(await t.files[0].arrayBuffer()).equals(Buffer.from(data)))
    } finally {
      await wtDestroy(client)
      await host.stop()
      await tcp.close()
    }
  })

  it('we fetch the metadata from a webtorrent seeder given only the info hash, then download', async () => {
    const client = await wtClient()
    const host = new TorrentHost({ self: { id: 'leecher' }, seed: 4 })
    const tcp = new TcpEndpoint(host)
    host.addTransport(tcp)
    try {
      const buf = Buffer.from(data) as any
      buf.name = 'wtm.bin'
      const seeded: any = await new Promise(resolve => client.seed(buf, { name: 'wtm.bin', pieceLength: 16384, announce: [], store: MemoryChunkStore }, resolve))
      const magnet = parseMagnet(seeded.magnetURI)
      const peer = { id: tcpPeerId('127.0.0.1', client.address().port) }
      const fetch = host.addMachine(magnet.infoHash, env => new MetadataMachine(env, { infoHash: magnet.infoHashBytes }))
      fetch.connect(peer)
      await until(() => fetch.machine.result !== undefined, 20_000, 'metadata from webtorrent')
      const metainfo = fetch.machine.result!
      assert.equal(metainfo.infoHash, seeded.infoHash)
      assert.equal(metainfo.length, data.length)
      await host.remove(magnet.infoHash)
      const t = host.add({ metainfo, storage: 'memory' })
      t.connect(peer)
      await until(() => t.machine.done, 20_000, 'download after the metadata')
      assert.ok(Buffer.from((t.machine.store as MemoryStore).bytes).equals(Buffer.from(data)))
    } finally {
      await host.stop()
      await tcp.close()
      await wtDestroy(client)
    }
  })
})

/** webtorrent's default store writes to a temp folder; keep chunks in memory instead. */
function MemoryChunkStoreShim (): any {
  return MemoryChunkStore
}
// @ts-expect-error no types
import MemoryChunkStore from 'memory-chunk-store'
