/**
 * Off-loop piece hashing (hashWorkers > 0, opt-in since the default hashes on the event loop): the
 * worker pool's digests equal node:crypto's, a download verified by it is byte-identical, and a
 * stopped pool refuses new work with an error instead of hanging.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { Rng } from '../../src/overlay/rng.js'
import { bittorrent, type BitTorrentService } from '../../src/bittorrent/index.js'
import { Sha1Workers } from '../../src/bittorrent/live/sha1-workers.js'
import { createSwarm } from '../../src/runtime/libp2p/swarm.js'

describe('bittorrent: SHA-1 on worker threads (hashWorkers)', function () {
  this.timeout(60_000)

  it('digests of pieces given as blocks equal node:crypto\'s, batched or not', async () => {
    const pool = new Sha1Workers(2)
    const rng = new Rng('sha1-workers')
    try {
      const pieces = Array.from({ length: 40 }, (_x, i) => Array.from({ length: 1 + (i % 5) }, () => rng.bytes(1 + rng.int(40_000))))
      // 40 in one turn (batched, across both workers), then one more on its own
      const digests = await Promise.all(pieces.map(async p => await pool.hash(p)))
      digests.push(await pool.hash(pieces[0]))
      for (const [i, d] of digests.entries()) {
        const h = createHash('sha1')
        for (const part of pieces[i % pieces.length]) h.update(part)
        assert.deepEqual(d, new Uint8Array(h.digest()), `piece ${i}`)
      }
    } finally {
      await pool.stop()
    }
    await assert.rejects(pool.hash([new Uint8Array(1)]), /stopped/)
  })

  it('batch buffers come back from the workers and are reused: later batches still hash exactly their own bytes', async () => {
    const pool = new Sha1Workers(1)
    const rng = new Rng('sha1-pool')
    const expect = (parts: Uint8Array[]): Uint8Array => { const h = createHash('sha1'); for (const p of parts) h.update(p); return new Uint8Array(h.digest()) }
    try {
      // one round at a time, so each batch gets the buffer the previous one returned; sizes shrink and
      // grow, so stale bytes past a smaller batch would show; one piece is larger than a pooled buffer
      for (const size of [300_000, 5_000, 200_000, 5 * 1024 * 1024, 17]) {
        const pieces = Array.from({ length: 3 }, () => [rng.bytes(size), rng.bytes(1 + rng.int(100))])
        const digests = await Promise.all(pieces.map(async p => await pool.hash(p)))
        for (const [i, d] of digests.entries()) assert.deepEqual(d, expect(pieces[i]), `size ${size}, piece ${i}`)
      }
      assert.ok((pool as unknown as { pool: ArrayBuffer[] }).pool.length >= 1, 'a returned buffer is kept')
    } finally {
      await pool.stop()
    }
  })

  it('a leecher verifying on a worker downloads byte-identical', async () => {
    const swarm = await createSwarm<{ bittorrent: BitTorrentService }>(2, (i) => ({ bittorrent: bittorrent({ seed: `hw-${i}`, hashWorkers: i }) }), { transport: 'memory', seed: 'hash-workers', connect: 'full' })
    try {
      const data = new Rng('hw-data').bytes(2 * 1024 * 1024 + 333)
      const seeded = await swarm.nodes[0].services.bittorrent.seed(data, { name: 'x.bin', pieceLength: 65536 })
      const d = await swarm.nodes[1].services.bittorrent.download(seeded.torrentFile, { peers: [swarm.nodes[0].services.bittorrent.self] })
      await d.done
      assert.deepEqual(await d.read(), data)
      assert.equal(d.progress().bytes, data.byteLength)
      await d.stop(); await seeded.stop()
    } finally {
      await swarm.stop()
    }
  })
})
