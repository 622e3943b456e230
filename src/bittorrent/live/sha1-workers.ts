/**
 * SHA-1 of pieces on worker threads (Node only): the torrent machine stays synchronous and receives
 * each digest later as a completion (TorrentHost's `hashAsync` → the machine's `hashPiece`), the way an
 * io result arrives, so verifying pieces no longer blocks the event loop that parses the peer wire.
 *
 * Pieces completed in the same turn of the event loop go to a worker as one message: their blocks are
 * copied once into a buffer that is transferred (not cloned) to the worker, which hashes each piece
 * with node:crypto and transfers the buffer back with the digests. Blocks may be views into larger
 * receive buffers, which a structured clone would copy whole; one copy of the piece bytes is all this
 * costs. The buffers are kept for the next batches: a fresh one per batch (the first version) cost
 * page faults and garbage that outweighed the hashing it moved off the loop, and a SharedArrayBuffer
 * is filled by V8 with relaxed-atomic copies, several times slower than memcpy.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
parentPort.on('message', (m) => {
  const all = new Uint8Array(m.buf)
  const out = new Uint8Array(20 * m.sizes.length)
  let off = 0
  for (let i = 0; i < m.sizes.length; i++) {
    out.set(createHash('sha1').update(all.subarray(off, off + m.sizes[i])).digest(), 20 * i)
    off += m.sizes[i]
  }
  parentPort.postMessage({ id: m.id, digests: out, buf: m.buf }, [out.buffer, m.buf])
})
`

/** A batch is sent at the end of the current turn, or at once when it holds this many bytes. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024
/** Batch buffers kept for reuse (each at least MAX_BATCH_BYTES: a batch is flushed once it reaches that). */
const POOLED_BUFFERS = 4

interface Waiter { resolve: (d: Uint8Array) => void, reject: (e: Error) => void }
interface Batch { pieces: Array<readonly Uint8Array[]>, waiters: Waiter[], bytes: number }

export class Sha1Workers {
  private readonly workers: Worker[] = []
  private readonly pending = new Map<number, { worker: Worker, waiters: Waiter[] }>()
  private batch: Batch | undefined
  private readonly pool: ArrayBuffer[] = []
  private seq = 0
  private next = 0
  private stopped = false

  /** `threads`: workers to run (default: the cores beyond the one the event loop uses, 1 to 4). */
  constructor (private readonly threads = Math.max(1, Math.min(4, availableParallelism() - 1))) {}

  /** Digest of the concatenation of `parts` (one piece as its blocks). */
  readonly hash = (parts: readonly Uint8Array[]): Promise<Uint8Array> => {
    if (this.stopped) return Promise.reject(new Error('sha1 workers stopped'))
    return new Promise<Uint8Array>((resolve, reject) => {
      let b = this.batch
      if (b === undefined) {
        b = this.batch = { pieces: [], waiters: [], bytes: 0 }
        queueMicrotask(() => { if (this.batch === b) this.flush() })
      }
      b.pieces.push(parts)
      b.waiters.push({ resolve, reject })
      for (const p of parts) b.bytes += p.byteLength
      if (b.bytes >= MAX_BATCH_BYTES) this.flush()
    })
  }

  private flush (): void {
    const b = this.batch
    this.batch = undefined
    if (b === undefined || b.pieces.length === 0) return
    let buf = this.pool.pop()
    if (buf === undefined || buf.byteLength < b.bytes) buf = new ArrayBuffer(Math.max(b.bytes, MAX_BATCH_BYTES))
    const all = new Uint8Array(buf)
    const sizes: number[] = []
    let off = 0
    for (const parts of b.pieces) {
      const start = off
      for (const p of parts) { all.set(p, off); off += p.byteLength }
      sizes.push(off - start)
    }
    const worker = this.worker()
    const id = ++this.seq
    this.pending.set(id, { worker, waiters: b.waiters })
    worker.postMessage({ id, buf, sizes }, [buf])
  }

  private worker (): Worker {
    if (this.workers.length < this.threads) {
      const w = new Worker(WORKER_SOURCE, { eval: true })
      // idle workers must not keep a process alive; a pending hash is always tied to a live stream
      w.unref()
      w.on('message', (m: { id: number, digests: Uint8Array, buf: ArrayBuffer }) => {
        if (this.pool.length < POOLED_BUFFERS && !this.stopped) this.pool.push(m.buf)
        const p = this.pending.get(m.id)
        if (p === undefined) return
        this.pending.delete(m.id)
        p.waiters.forEach((x, i) => { x.resolve(m.digests.subarray(20 * i, 20 * i + 20)) })
      })
      w.on('error', (err: Error) => { this.failWorker(w, err) })
      w.on('exit', () => { this.failWorker(w, new Error('sha1 worker exited')) })
      this.workers.push(w)
      return w
    }
    return this.workers[this.next++ % this.workers.length]
  }

  private failWorker (w: Worker, err: Error): void {
    const k = this.workers.indexOf(w)
    if (k >= 0) this.workers.splice(k, 1)
    for (const [id, p] of this.pending) {
      if (p.worker !== w) continue
      this.pending.delete(id)
      for (const x of p.waiters) x.reject(err)
    }
  }

  async stop (): Promise<void> {
    this.stopped = true
    await Promise.all(this.workers.map(async w => await w.terminate()))
    this.workers.length = 0
  }
}
