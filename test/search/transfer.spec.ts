import assert from 'node:assert/strict'
import { Simulator } from '../../src/sim/index.js'
import { Rng } from '../../src/overlay/rng.js'
import { describeBytes } from '../../src/search/describe.js'
import type { DownloadResult } from '../../src/search/transfer.js'
import { decodeXfer, encodeXfer } from '../../src/search/transfer-codec.js'
import { DecodeError } from '../../src/overlay/errors.js'
import { xferSpec } from './xfer-machine.js'

function setup (opts: { wire?: boolean, latency?: number, lossRate?: number } = {}) {
  const sim = new Simulator({ seed: 5, wire: opts.wire ?? true, latency: { kind: 'uniform', min: 1, max: opts.latency ?? 20 }, lossRate: opts.lossRate ?? 0 })
  const holder = sim.spawn(xferSpec, { chunkBytes: 1000, pipeline: 4, requestTimeoutMs: 500 })
  const getter = sim.spawn(xferSpec, { chunkBytes: 1000, pipeline: 4, requestTimeoutMs: 500 })
  const bytes = new Rng(9).bytes(10_500)
  const file = describeBytes('a song.mp3', bytes)
  sim.blobs.put(holder.id, 'disk/a song.mp3', bytes)
  holder.machine.catalog.add(file, 'disk/a song.mp3')
  return { sim, holder, getter, bytes, file }
}

function run (sim: Simulator, start: (done: (e: Error | null, r?: DownloadResult) => void) => void): { err: Error | null, res?: DownloadResult } {
  let out: { err: Error | null, res?: DownloadResult } | undefined
  start((err, res) => { out = { err, res } })
  sim.run({ until: sim.now + 60_000 })
  assert.ok(out !== undefined, 'download finished')
  return out
}

describe('direct transfer (simulated)', () => {
  it('downloads byte-identical, out-of-order chunks, verified', () => {
    const { sim, holder, getter, bytes, file } = setup()
    const progress: number[] = []
    const { err, res } = run(sim, done => getter.machine.transfers.download(
      { holder: holder.ref, hash: file.hash, size: file.size, store: 'dl' }, { done, onProgress: p => progress.push(p.bytes) }))
    assert.equal(err, null)
    assert.deepEqual(res?.bytes, bytes)
    assert.deepEqual(sim.blobs.get(getter.id, 'dl'), bytes)
    assert.equal(progress.at(-1), bytes.length)
    assert.equal(res?.bytesReceived, bytes.length)
  })

  it('resumes from an offset: only the rest crosses the network, the prefix is verified too', () => {
    const { sim, holder, getter, bytes, file } = setup()
    sim.blobs.put(getter.id, 'dl', bytes.slice(0, 4321))
    const { err, res } = run(sim, done => getter.machine.transfers.download(
      { holder: holder.ref, hash: file.hash, size: file.size, store: 'dl', offset: 4321 }, { done }))
    assert.equal(err, null)
    assert.equal(res?.bytesReceived, bytes.length - 4321)
    assert.deepEqual(res?.bytes, bytes)
    // a corrupt prefix is caught
    const s2 = setup()
    const bad = s2.bytes.slice(0, 4321); bad[7] ^= 1
    s2.sim.blobs.put(s2.getter.id, 'dl', bad)
    const r2 = run(s2.sim, done => s2.getter.machine.transfers.download(
      { holder: s2.holder.ref, hash: s2.file.hash, size: s2.file.size, store: 'dl', offset: 4321 }, { done }))
    assert.match(String(r2.err?.message), /does not match its hash/)
  })

  it('refuses data that does not match the hash', () => {
    const { sim, holder, getter, file } = setup()
    const corrupt = new Rng(10).bytes(10_500)
    sim.blobs.put(holder.id, 'disk/a song.mp3', corrupt)
    const { err } = run(sim, done => getter.machine.transfers.download({ holder: holder.ref, hash: file.hash, size: file.size, store: 'dl' }, { done }))
    assert.match(String(err?.message), /does not match its hash/)
    assert.equal(getter.stats.get('xfer:hash-mismatch'), 1)
  })

  it('survives message loss by retrying chunks', () => {
    const { sim, holder, getter, bytes, file } = setup({ lossRate: 0.1 })
    const { err, res } = run(sim, done => getter.machine.transfers.download({ holder: holder.ref, hash: file.hash, size: file.size, store: 'dl' }, { done }))
    assert.equal(err, null)
    assert.deepEqual(res?.bytes, bytes)
    assert.ok(getter.stats.get('xfer:chunk-timeouts') > 0)
  })

  it('reaches a firewalled holder by push: the holder connects out', () => {
    const { sim, holder, getter, bytes, file } = setup()
    let pushes = 0
    const { err, res } = run(sim, done => getter.machine.transfers.download({
      holder: holder.ref, hash: file.hash, size: file.size, store: 'dl', viaPush: true,
      push: () => { pushes++; sim.after(5, () => holder.machine.transfers.pushTo(getter.ref, file.hash)); return true }
    }, { done }))
    assert.equal(err, null)
    assert.equal(pushes, 1)
    assert.equal(res?.viaPush, true)
    assert.deepEqual(res?.bytes, bytes)
  })

  it('fails cleanly: unknown file, push never answered, offers nobody asked for', () => {
    const { sim, holder, getter, file } = setup()
    const r1 = run(sim, done => getter.machine.transfers.download({ holder: holder.ref, hash: 'ab'.repeat(32), size: 10, store: 'x' }, { done }))
    assert.equal((r1.err as any)?.code, 'ERR_NOT_FOUND')
    const r2 = run(sim, done => getter.machine.transfers.download({ holder: holder.ref, hash: file.hash, size: file.size, store: 'y', viaPush: true, push: () => true }, { done }))
    assert.equal((r2.err as any)?.code, 'ERR_TIMEOUT')
    holder.machine.transfers.pushTo(getter.ref, file.hash)
    sim.run({ until: sim.now + 1000 })
    assert.equal(getter.stats.get('xfer:unsolicited-offer'), 1)
    assert.equal(getter.machine.transfers.activeDownloads, 0)
  })
})

describe('transfer codec', () => {
  it('round-trips every message', () => {
    const msgs = [
      { type: 'xfer-get', req: 7, hash: 'ab'.repeat(32), offset: 2 ** 40, length: 65536 },
      { type: 'xfer-data', req: 1, offset: 10, total: 20, data: new Uint8Array([1, 2, 3]) },
      { type: 'xfer-err', req: 3, code: 'busy', total: 99 },
      { type: 'xfer-offer', hash: 'cd'.repeat(32) }
    ] as const
    for (const m of msgs) assert.deepEqual(decodeXfer(encodeXfer(m as any)), m)
  })

  it('fuzz: 10^5 random and mutated frames throw only DecodeError', () => {
    const rng = new Rng('xfer-fuzz')
    const seeds = [
      encodeXfer({ type: 'xfer-get', req: 7, hash: 'ab'.repeat(32), offset: 5, length: 100 }),
      encodeXfer({ type: 'xfer-data', req: 1, offset: 10, total: 20, data: new Uint8Array([1, 2, 3]) }),
      encodeXfer({ type: 'xfer-err', req: 3, code: 'io', total: 99 }),
      encodeXfer({ type: 'xfer-offer', hash: 'cd'.repeat(32) })
    ]
    let ok = 0
    // stack traces are most of a DecodeError's cost; the fuzz only needs the error's class
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
    for (let i = 0; i < 100_000; i++) {
      let b: Uint8Array
      if (i % 3 === 0) b = rng.bytes(rng.int(80))
      else {
        b = rng.pick(seeds).slice()
        const flips = 1 + rng.int(4)
        for (let k = 0; k < flips; k++) b[rng.int(b.length)] = rng.int(256)
        if (rng.bool(0.3)) b = b.subarray(0, rng.int(b.length + 1))
      }
      try { decodeXfer(b); ok++ } catch (err) { assert.ok(err instanceof DecodeError, String(err)) }
    }
    } finally { Error.stackTraceLimit = limit }
    assert.ok(ok > 0)
  })
})
