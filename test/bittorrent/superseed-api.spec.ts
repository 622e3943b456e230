/**
 * Live: super-seeding (BEP 16) through the public API, `seed(…, { superSeed: true })`, on real
 * libp2p nodes (memory transport). The seed must send no bitfield, only offers by `have`, and the
 * leechers must still end up with the exact bytes; a plain seed on the same host is the control.
 */
import assert from 'node:assert/strict'
import { Rng } from '../../src/overlay/rng.js'
import { bittorrent, type BitTorrentService } from '../../src/bittorrent/index.js'
import { createSwarm, type Swarm } from '../../src/runtime/libp2p/swarm.js'
import type { Torrent } from '../../src/bittorrent/live/torrent.js'

type S = { bittorrent: BitTorrentService }

async function withTimeout<T> (p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([p, new Promise<T>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`timed out: ${what}`)) }, ms) })])
  } finally { clearTimeout(timer) }
}

const sentOf = (bt: BitTorrentService, type: string): number => bt.host.stats.messages.get(type)?.sent ?? 0
const bytesOf = (t: Torrent): Buffer => Buffer.from((t.hosted!.machine.store as unknown as { bytes: Uint8Array }).bytes)

describe('bittorrent super-seeding through the public API (libp2p, memory)', function () {
  this.timeout(60_000)
  let swarm: Swarm<S> | undefined
  const bt = (i: number): BitTorrentService => swarm!.nodes[i].services.bittorrent
  const rng = new Rng('bt-superseed-api')

  before(async () => {
    swarm = await createSwarm<S>(3, i => ({ bittorrent: bittorrent({ seed: `ss-${i}` }) }), { transport: 'memory', seed: 'bt-superseed-api' })
  })

  after(async () => { await swarm?.stop() })

  /** Seed `data` from node 0, download it on nodes 1 and 2 (2 also knows 1); returns what node 0 sent. */
  async function swarmOnce (data: Uint8Array, superSeed: boolean | undefined): Promise<{ bitfields: number, haves: number, uploaded: number, seeded: Torrent }> {
    const bitfields0 = sentOf(bt(0), 'bitfield')
    const haves0 = sentOf(bt(0), 'have')
    const seeded = await bt(0).seed(data, { name: `ss-${String(superSeed)}.bin`, pieceLength: 16384, superSeed })
    const downloads = [
      await bt(1).download(seeded.torrentFile, { peers: [bt(0).self] }),
      await bt(2).download(seeded.torrentFile, { peers: [bt(0).self, bt(1).self] })
    ]
    try {
      await withTimeout(Promise.all(downloads.map(async d => { await d.done })), 30_000, `downloads (superSeed ${String(superSeed)})`)
      for (const [k, d] of downloads.entries()) assert.ok(bytesOf(d).equals(Buffer.from(data)), `leecher ${k + 1} has the exact bytes`)
      return { bitfields: sentOf(bt(0), 'bitfield') - bitfields0, haves: sentOf(bt(0), 'have') - haves0, uploaded: seeded.hosted!.machine.uploaded, seeded }
    } finally {
      await Promise.all([...downloads, seeded].map(async t => { await t.stop() }))
    }
  }

  it('a super-seeding seed sends no bitfield, offers pieces by have, and the download completes byte-identical', async () => {
    const data = rng.bytes(1024 * 1024 + 333)
    const r = await swarmOnce(data, true)
    assert.equal(r.bitfields, 0, 'the super-seed sent no bitfield')
    assert.ok(r.haves >= 2, `the super-seed offered pieces with have (${r.haves})`)
    assert.ok(r.uploaded > 0, 'the seed served blocks')
    assert.equal(r.seeded.progress().done, true)
  })

  it('control: the same seed without superSeed sends its bitfield', async () => {
    const data = rng.bytes(256 * 1024 + 5)
    const r = await swarmOnce(data, undefined)
    assert.ok(r.bitfields >= 1, `a plain seed sends its bitfield (${r.bitfields})`)
    assert.equal(r.haves, 0, 'a plain seed has nothing new to announce')
  })
})
