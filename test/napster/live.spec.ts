/**
 * Live Napster: an index server and 8 clients, real libp2p nodes on TCP, real files on disk. Files
 * are found through the server and downloaded peer to peer byte-identical (including a resume and a
 * push from a firewalled client); the server is stopped mid-test — searches fail with a clear error —
 * and restarted, and the clients log in and re-share by themselves.
 */
import assert from 'node:assert/strict'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Libp2p } from '@libp2p/interface'
import { FsBlobStorage } from '../../src/runtime/libp2p/storage.js'
import { createNode } from '../../src/runtime/libp2p/swarm.js'
import { napster, napsterServer, type NapsterServerService, type NapsterService } from '../../src/napster/service.js'
import { collect, tempRoot, waitFor, writeRandomFile } from '../search/live-util.js'

type Client = Libp2p<{ napster: NapsterService }>
type Server = Libp2p<{ napsterServer: NapsterServerService }>

describe('napster live (TCP, server + 8 clients, real files)', function () {
  this.timeout(60_000)
  const N = 8
  const FIREWALLED = 7
  let server: Server | undefined
  let serverAddr = ''
  let clients: Client[] = []
  let root: { dir: string, cleanup: () => Promise<void> }
  const files: Record<string, Uint8Array> = {}
  const c = (i: number): NapsterService => clients[i].services.napster
  const dir = (i: number): string => join(root.dir, `client${i}`)
  const startServer = async (listen?: string[]): Promise<Server> => await createNode({ napsterServer: napsterServer() }, { transport: 'tcp', seed: 'napster-live', index: 100, ...(listen !== undefined ? { listen } : {}) })

  before(async function () {
    root = await tempRoot('napster')
    files.blue = await writeRandomFile(dir(1), 'share/Blue Moon.mp3', 250_000, 'nblue')
    files.red = await writeRandomFile(dir(3), 'share/Red River.ogg', 900_000, 'nred')
    files.other = await writeRandomFile(dir(3), 'share/green field.mp3', 10_000, 'ngreen')
    files.secret = await writeRandomFile(dir(FIREWALLED), 'share/secret garden.txt', 150_000, 'nsecret')
    server = await startServer()
    serverAddr = server.getMultiaddrs()[0].toString()
    for (let i = 0; i < N; i++) {
      clients.push(await createNode({
        napster: napster({
          server: serverAddr, firewalled: i === FIREWALLED, requestTimeoutMs: 2000, keepaliveMs: 2000,
          reconnectMinMs: 100, reconnectMaxMs: 500, driver: { storage: new FsBlobStorage(dir(i)), seed: i, unreachableBackoffMs: 100 }
        })
      }, { transport: 'tcp', seed: 'napster-live', index: i, ...(i === FIREWALLED ? { listen: [] } : {}) }))
    }
    await Promise.all(clients.map(async (_, i) => { await c(i).waitOnline() }))
    await c(1).shareStored('share/Blue Moon.mp3')
    await c(3).shareStored('share/Red River.ogg')
    await c(3).shareStored('share/green field.mp3')
    await c(FIREWALLED).shareStored('share/secret garden.txt')
    await waitFor(() => server?.services.napsterServer.indexSize === 4, 'the server to index 4 files')
  })

  after(async function () {
    await Promise.all([...clients, ...(server !== undefined ? [server] : [])].map(async n => { await n.stop() }))
    clients = []
    await root?.cleanup()
  })

  it('searches through the server and downloads peer to peer, byte-identical', async function () {
    const hits = await collect(c(0).search('blue moon', { timeoutMs: 3000 }))
    assert.equal(hits.length, 1)
    assert.equal(hits[0].peer.id, clients[1].peerId.toString())
    const before = server?.services.napsterServer.stats.totals().bytesReceived ?? 0
    const bytes = await c(0).fetch(hits[0])
    assert.deepEqual(bytes, files.blue)
    assert.deepEqual(new Uint8Array(await readFile(join(dir(0), 'download', hits[0].hash))), files.blue)
    // the 250 kB never went through the server
    const through = (server?.services.napsterServer.stats.totals().bytesReceived ?? 0) - before
    assert.ok(through < 2000, `the server received ${through} bytes during the download`)
  })

  it('browses a user and resumes a partial download from an offset', async function () {
    const listed = await c(2).browse(clients[3].peerId.toString())
    assert.deepEqual(listed.map(f => f.name).sort(), ['Red River.ogg', 'green field.mp3'])
    const [hit] = await collect(c(2).search('red river', { timeoutMs: 3000 }))
    const offset = 333_333
    await mkdir(join(dir(2), 'download'), { recursive: true })
    await writeFile(join(dir(2), 'download/red.part'), files.red.subarray(0, offset))
    const r = await c(2).fetchFile(hit, { offset, store: 'download/red.part' })
    assert.equal(r.bytesReceived, files.red.length - offset)
    assert.deepEqual(r.bytes, files.red)
    assert.deepEqual(new Uint8Array(await readFile(join(dir(2), 'download/red.part'))), files.red)
  })

  it('downloads from a firewalled client by push through the server', async function () {
    const [hit] = await collect(c(4).search('secret garden', { timeoutMs: 3000 }))
    assert.ok(hit !== undefined)
    const r = await c(4).fetchFile(hit)
    assert.equal(r.viaPush, true)
    assert.deepEqual(r.bytes, files.secret)
    assert.equal(server?.services.napsterServer.stats.get('napster:push-relayed'), 1)
  })

  it('ContentRouting through the index: provide(key) on one client, findProviders(key) on another', async function () {
    const key = new Uint8Array(20).fill(7)
    await c(3).provide(key)
    const found: string[] = []
    for await (const p of c(6).findProviders(key)) found.push(p.id)
    assert.deepEqual(found, [clients[3].peerId.toString()])
  })

  it('server down: searches fail with a clear error; back up: clients log in and re-share by themselves', async function () {
    const port = Number(serverAddr.split('/tcp/')[1].split('/')[0])
    await server?.stop()
    server = undefined
    await waitFor(() => clients.every((_, i) => !c(i).online), 'every client to notice the server is gone')
    await assert.rejects(collect(c(0).search('blue moon', { timeoutMs: 3000 })), (err: any) => {
      assert.equal(err.code, 'ERR_UNREACHABLE')
      assert.match(err.message, /napster server .* is unreachable/)
      return true
    })
    server = await startServer([`/ip4/127.0.0.1/tcp/${port}`])
    assert.equal(server.getMultiaddrs()[0].toString(), serverAddr)
    await waitFor(() => clients.every((_, i) => c(i).online), 'every client to log in again', 20_000)
    await waitFor(() => server?.services.napsterServer.indexSize === 5, 'the re-shared index (4 files + 1 provider record)', 10_000)
    assert.equal(server.services.napsterServer.users, N)
    const hits = await collect(c(5).search('blue moon', { timeoutMs: 3000 }))
    assert.equal(hits.length, 1)
    assert.deepEqual(await c(5).fetch(hits[0]), files.blue)
  })
})
