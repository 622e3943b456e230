/** Blob storage behind env.io: memory and filesystem, same semantics as the simulator's BlobStore. */
import assert from 'node:assert/strict'
import { mkdtemp, rm, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FsBlobStorage, MemoryBlobStorage, performIo, type BlobStorage } from '../../src/runtime/libp2p/storage.js'
import { InvalidArgumentError, NotFoundError } from '../../src/overlay/errors.js'

describe('blob storage', function () {
  let dir: string
  before(async function () { dir = await mkdtemp(join(tmpdir(), 'overlaykit-blobs-')) })
  after(async function () { await rm(dir, { recursive: true, force: true }) })

  const kinds: Array<[string, () => BlobStorage]> = [
    ['memory', () => new MemoryBlobStorage()],
    ['filesystem', () => new FsBlobStorage(join(dir, String(Math.random()).slice(2)))]
  ]
  for (const [name, make] of kinds) {
    describe(name, function () {
      it('writes grow the blob zero-filled; reads return exact ranges', async function () {
        const s = make()
        assert.equal(await s.write('a/b.bin', 3, Uint8Array.from([1, 2])), 5)
        assert.equal(await s.write('a/b.bin', 0, Uint8Array.from([9])), 5)
        assert.deepEqual(await s.read('a/b.bin', 0, 5), Uint8Array.from([9, 0, 0, 1, 2]))
        assert.equal(await s.size('a/b.bin'), 5)
      })

      it('missing blobs are NotFoundError, reads past the end RangeError', async function () {
        const s = make()
        await assert.rejects(s.read('nope', 0, 1), NotFoundError)
        await assert.rejects(s.size('nope'), NotFoundError)
        await s.write('x', 0, new Uint8Array(4))
        await assert.rejects(s.read('x', 2, 3), RangeError)
        await assert.rejects(s.read('x', -1, 1), RangeError)
      })

      it('performIo turns results and errors into IoResults', async function () {
        const s = make()
        assert.deepEqual(await performIo(s, { op: 'write', store: 'k', offset: 0, data: Uint8Array.from([5]), token: 't' }), { ok: true, size: 1 })
        assert.deepEqual(await performIo(s, { op: 'read', store: 'k', offset: 0, length: 1, token: 't' }), { ok: true, data: Uint8Array.from([5]) })
        const bad = await performIo(s, { op: 'size', store: 'zz', token: 't' })
        assert.equal(bad.ok, false)
      })
    })
  }

  it('the filesystem store reuses read handles: reads interleaved with growing writes stay exact', async function () {
    const fs = new FsBlobStorage(join(dir, 'handles'))
    const ref = new Uint8Array(300_000)
    for (let k = 0; k < 30; k++) {
      const chunk = new Uint8Array(10_000).fill(k + 1)
      await fs.write('grow.bin', k * 10_000, chunk)
      ref.set(chunk, k * 10_000)
      // many concurrent reads on one cached handle, including the bytes just written
      const reads = await Promise.all(Array.from({ length: k + 1 }, async (_x, j) => await fs.read('grow.bin', j * 10_000, 10_000)))
      reads.forEach((r, j) => { assert.deepEqual(r, ref.subarray(j * 10_000, (j + 1) * 10_000)) })
      await assert.rejects(fs.read('grow.bin', 0, (k + 1) * 10_000 + 1), RangeError)
    }
    await fs.close()
    assert.deepEqual(await fs.read('grow.bin', 295_000, 5000), ref.subarray(295_000), 'reopens after close()')
    await fs.close()
  })

  it('the filesystem store: concurrent first writes to a new file all land (none truncates another)', async function () {
    // A downloader keeps several chunk writes in flight and the first ones race to create the file.
    // The race, made deterministic: the first writer's open is answered only after the second writer
    // has written its chunk (as a busy libuv thread pool may do in a live process).
    const s = new FsBlobStorage(join(dir, 'race'))
    const real = await import('node:fs/promises')
    let opens = 0
    let secondWritten: Promise<number> | undefined
    const slowFirstOpen = {
      ...real,
      open: async (...args: Parameters<typeof real.open>) => {
        const n = opens++
        const result = await real.open(...args).then(fh => ({ fh }), (err: Error) => ({ err }))
        if (n === 0) await secondWritten
        if ('err' in result) throw result.err
        return result.fh
      }
    }
    ;(s as unknown as { mods: Promise<unknown> }).mods = Promise.resolve({ fs: slowFirstOpen, path: await import('node:path') })
    const first = s.write('f.bin', 0, new Uint8Array(4096).fill(1))
    secondWritten = s.write('f.bin', 4096, new Uint8Array(4096).fill(2))
    await Promise.all([first, secondWritten])
    const all = await s.read('f.bin', 0, 8192)
    assert.ok(all.subarray(0, 4096).every(b => b === 1), 'the first chunk was lost')
    assert.ok(all.subarray(4096).every(b => b === 2), 'the second chunk was lost')
  })

  it('the filesystem store refuses names that leave its root', async function () {
    const root = join(dir, 'jail')
    const s = new FsBlobStorage(root)
    for (const name of ['../escape', 'a/../../escape', '/etc/passwd', 'a\0b', '', '..', 'C:\\x']) {
      await assert.rejects(s.write(name, 0, Uint8Array.from([1])), InvalidArgumentError, JSON.stringify(name))
    }
    await s.write('inside/ok.bin', 0, Uint8Array.from([1, 2, 3]))
    assert.deepEqual(new Uint8Array(await readFile(join(root, 'inside', 'ok.bin'))), Uint8Array.from([1, 2, 3]))
  })
})
