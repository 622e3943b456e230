/** Interop with the stock `webtorrent` client over plain TCP on 127.0.0.1, both directions. */
import assert from 'node:assert/strict'
import { Rng } from '../../src/overlay/rng.js'
import { createTorrent } from '../../src/bittorrent/metainfo.js'
import { TorrentHost } from '../../src/bittorrent/host.js'
import { TcpEndpoint, tcpPeerId } from '../../src/bittorrent/tcp-endpoint.js'
import { MemoryStore } from '../../src/bittorrent/store.js'
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

/** webtorrent's default store writes to a temp folder; keep chunks in memory instead. */
function MemoryChunkStoreShim (): any {
  return MemoryChunkStore
}
// @ts-expect-error no types
import MemoryChunkStore from 'memory-chunk-store'
