/**
 * Live: real libp2p nodes on TCP. Real files on disk are seeded and downloaded byte-identical via
 * the tracker and via Chord's ContentRouting; selective multi-file download; resume after restart.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Rng } from '../../src/overlay/rng.js'
import { bittorrent, type BitTorrentService } from '../../src/bittorrent/index.js'
import { chord, type ChordService } from '../../src/chord/index.js'
import { checkRing } from '../../src/chord/oracle.js'
import { createSwarm, type Swarm } from '../../src/runtime/libp2p/swarm.js'

type S = { bittorrent: BitTorrentService, chord: ChordService }

async function until (cond: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

async function withTimeout<T> (p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([p, new Promise<T>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`timed out: ${what}`)) }, ms) })])
  } finally { clearTimeout(timer) }
}

describe('bittorrent live (libp2p, TCP, files on disk)', function () {
  this.timeout(60_000)
  let swarm: Swarm<S> | undefined
  let dir = ''
  const bt = (i: number): BitTorrentService => swarm!.nodes[i].services.bittorrent
  const rng = new Rng('bt-live')

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'okbt-'))
    swarm = await createSwarm<S>(5, (i) => ({
      chord: chord({ stabilizeMs: 150, fixFingersMs: 150, checkPredecessorMs: 500, replicateMs: 1000, rpcTimeoutMs: 2000 }),
      bittorrent: bittorrent({ serveTracker: i === 0, announceIntervalMs: 2000, seed: `live-${i}` })
    }), { transport: 'tcp', seed: 'bt-live' })
    for (let i = 1; i < 5; i++) await swarm.nodes[i].services.chord.join(swarm.addr(0))
    await until(() => checkRing(swarm!.nodes.map(n => n.services.chord.machine)).length === 0, 'the chord ring')
  })

  after(async () => {
    await swarm?.stop()
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  it('seeds a real file from disk and two leechers download it byte-identical via the tracker', async () => {
    const data = rng.bytes(3 * 1024 * 1024 + 777)
    await mkdir(join(dir, 'seed1'))
    await writeFile(join(dir, 'seed1', 'movie.bin'), data)
    const tracker = swarm!.addr(0).toString()
    const seeded = await bt(1).seed(join(dir, 'seed1', 'movie.bin'), { tracker, pieceLength: 65536 })
    let progressEvents = 0
    let lastProgress: any
    const downloads = await Promise.all([2, 3].map(async i => await bt(i).download(seeded.torrentFile, {
      path: join(dir, `dl${i}`), tracker, onProgress: p => { progressEvents++; lastProgress = p }
    })))
    await withTimeout(Promise.all(downloads.map(async d => { await d.done })), 30_000, 'downloads via tracker')
    for (const i of [2, 3]) {
      const got = await readFile(join(dir, `dl${i}`, 'movie.bin'))
      assert.ok(got.equals(Buffer.from(data)), `leecher ${i} has the exact bytes`)
    }
    assert.ok(downloads[0].discovered.size >= 1, 'the tracker returned peers')
    assert.ok(progressEvents >= seeded.metainfo.pieceCount, `progress events: ${progressEvents}`)
    assert.equal(lastProgress.bytes, data.length)
    assert.equal(typeof lastProgress.downRate, 'number')
    const [scrape] = await new Promise<any[]>((resolve, reject) => bt(2).tracker.scrape(swarm!.nodes[0].services.bittorrent.self, [seeded.metainfo.infoHashBytes], (e, f) => e !== null ? reject(e) : resolve(f!)))
    assert.ok(scrape.complete >= 2, `scrape counts seeds: ${JSON.stringify(scrape)}`)
    // a third node starts from the magnet link alone: the metadata comes from the swarm (BEP 9)
    const byMagnet = await bt(4).download(seeded.magnet)
    await withTimeout(byMagnet.done, 30_000, 'download from a magnet link')
    assert.equal(byMagnet.metainfo.infoHash, seeded.infoHash)
    assert.ok(Buffer.from((byMagnet.hosted!.machine.store as any).bytes).equals(Buffer.from(data)))
    for (const t of [seeded, ...downloads, byMagnet]) await t.stop()
  })

  it('finds the seeder through Chord (no tracker) and fetches a multi-file torrent', async () => {
    const a = rng.bytes(700_000); const b = rng.bytes(1_200_000)
    await mkdir(join(dir, 'seed2', 'album', 'disc'), { recursive: true })
    await writeFile(join(dir, 'seed2', 'album', 'a.bin'), a)
    await writeFile(join(dir, 'seed2', 'album', 'disc', 'b.bin'), b)
    const seeded = await bt(1).seed(join(dir, 'seed2', 'album'), { contentRouting: swarm!.nodes[1].services.chord, pieceLength: 32768 })
    assert.equal(seeded.metainfo.files.length, 2)
    const d = await bt(4).download(seeded.torrentFile, { path: join(dir, 'dl4'), contentRouting: swarm!.nodes[4].services.chord })
    await withTimeout(d.done, 30_000, 'download via chord')
    // whichever side queried first found the other through Chord
    assert.ok(d.discovered.has(swarm!.nodes[1].peerId.toString()) || seeded.discovered.has(swarm!.nodes[4].peerId.toString()), 'chord returned the other peer')
    assert.ok((await readFile(join(dir, 'dl4', 'album', 'a.bin'))).equals(Buffer.from(a)))
    assert.ok((await readFile(join(dir, 'dl4', 'album', 'disc', 'b.bin'))).equals(Buffer.from(b)))

    // selective: only the second file; the first is never fetched beyond the shared boundary piece
    const s = await bt(3).download(seeded.torrentFile, { path: join(dir, 'dl3sel'), files: [1], peers: [bt(1).self] })
    await withTimeout(s.done, 30_000, 'selective download')
    assert.ok((await readFile(join(dir, 'dl3sel', 'album', 'disc', 'b.bin'))).equals(Buffer.from(b)))
    const m = s.hosted!.machine
    assert.ok(m.downloaded <= b.length + 32768, `fetched ${m.downloaded} bytes for a ${b.length}-byte file`)
    // a.bin exists only because the boundary piece (21) spans both files; the rest of it is a hole
    const boundary = Math.floor(a.length / 32768) * 32768
    const aBytes = await readFile(join(dir, 'dl3sel', 'album', 'a.bin')).catch(() => Buffer.alloc(0))
    assert.ok(aBytes.subarray(0, boundary).every(x => x === 0), 'nothing of the deselected file before the boundary piece was written')
    for (const t of [seeded, d, s]) await t.stop()
  })

  it('an AbortSignal stops a download and rejects its done promise', async () => {
    const data = rng.bytes(1024 * 1024)
    const seeded = await bt(1).seed(data, { name: 'abort.bin', pieceLength: 16384 })
    const ac = new AbortController()
    const d = await bt(3).download(seeded.torrentFile, { peers: [bt(1).self], downloadRate: 200_000, signal: ac.signal })
    await until(() => d.progress().pieces >= 2, 'a few pieces')
    ac.abort()
    await assert.rejects(d.done, (e: any) => e.name === 'AbortError')
    assert.equal(bt(3).get(seeded.infoHash), undefined, 'the torrent is gone from the service')
    await seeded.stop()
  })

  it('resumes after a restart from the persisted bitfield, and re-verifies on demand', async () => {
    const data = rng.bytes(2 * 1024 * 1024)
    const seeded = await bt(1).seed(data, { name: 'resume.bin', pieceLength: 65536 })
    const path = join(dir, 'dl-resume')
    // first run: rate-limited, stopped half way
    const first = await bt(2).download(seeded.torrentFile, { path, peers: [bt(1).self], downloadRate: 2 * 1024 * 1024 })
    await until(() => first.progress().pieces >= 12, 'half the pieces')
    await first.stop() // resolves after the final resume write
    const had = first.hosted!.machine.picker.have.count
    // restart: the bitfield is trusted without re-hashing, only the rest is fetched
    const second = await bt(2).download(seeded.torrentFile, { path, peers: [bt(1).self], paused: true })
    await until(() => second.progress().pieces >= had - 1, 'resume data loaded')
    assert.ok(second.progress().pieces >= 12, `resumed with ${second.progress().pieces} pieces`)
    second.resume()
    await withTimeout(second.done, 20_000, 'resumed download')
    assert.ok(second.hosted!.machine.downloaded <= data.length - 11 * 65536, 'only the missing part was downloaded again')
    assert.ok((await readFile(join(path, 'resume.bin'))).equals(Buffer.from(data)))
    // corrupt a byte on disk: verify() finds it and the piece is fetched again
    const buf = await readFile(join(path, 'resume.bin'))
    buf[70_000] ^= 0xff
    await writeFile(join(path, 'resume.bin'), buf)
    const v = await second.verify()
    assert.deepEqual(v, { checked: 32, bad: 1 })
    await until(() => second.progress().done, 'the bad piece fetched again')
    await until(() => second.progress().pieces === 32, 'all pieces')
    await second.stop(); await seeded.stop()
    assert.ok((await readFile(join(path, 'resume.bin'))).equals(Buffer.from(data)))
  })
})
