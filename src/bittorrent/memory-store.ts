/**
 * In-memory piece storage that keeps each verified piece as the blocks it arrived in. Received
 * buffers are never written to again (drivers hand over fresh buffers), so storing them costs no
 * copy, and uploading a block later is a subarray of the one it came in. Seeded content stays the
 * caller's buffer. `bytes` joins everything once, for callers that want the file as one buffer.
 */
import type { PieceStore } from './store.js'

type Piece = Uint8Array | readonly Uint8Array[]

export class MemoryStore implements PieceStore {
  readonly kind = 'memory' as const
  private readonly pieces: Array<Piece | undefined>
  private joined: Uint8Array | undefined

  constructor (private readonly length: number, private readonly pieceLength: number, initial?: Uint8Array) {
    const count = Math.ceil(length / pieceLength)
    this.pieces = new Array<Piece | undefined>(count).fill(undefined)
    if (initial !== undefined) {
      for (let i = 0; i < count; i++) this.pieces[i] = initial.subarray(i * pieceLength, Math.min(length, (i + 1) * pieceLength))
      this.joined = initial
    }
  }

  /** The whole content as one buffer (missing pieces are zeros). */
  get bytes (): Uint8Array {
    if (this.joined === undefined) {
      const out = new Uint8Array(this.length)
      for (let i = 0; i < this.pieces.length; i++) this.copyOut(i, 0, out, i * this.pieceLength, this.sizeOf(i))
      this.joined = out
    }
    return this.joined
  }

  read (offset: number, length: number, done: (data: Uint8Array | undefined) => void): void {
    if (offset < 0 || length < 0 || offset + length > this.length) { done(undefined); return }
    const i = Math.floor(offset / this.pieceLength)
    const at = offset - i * this.pieceLength
    if (at + length <= this.sizeOf(i)) {
      // the usual case, a block inside one piece: no copy when it lies inside one stored buffer
      const hit = this.view(i, at, length)
      if (hit !== undefined) { done(hit); return }
    }
    const out = new Uint8Array(length)
    let pos = 0
    while (pos < length) {
      const k = Math.floor((offset + pos) / this.pieceLength)
      const from = offset + pos - k * this.pieceLength
      const n = Math.min(length - pos, this.sizeOf(k) - from)
      this.copyOut(k, from, out, pos, n)
      pos += n
    }
    done(out)
  }

  write (offset: number, data: Uint8Array | readonly Uint8Array[], done: (ok: boolean) => void): void {
    const total = data instanceof Uint8Array ? data.length : data.reduce((s, p) => s + p.length, 0)
    if (offset < 0 || offset + total > this.length) { done(false); return }
    this.joined = undefined
    const i = offset / this.pieceLength
    if (Number.isInteger(i) && total === this.sizeOf(i)) {
      // a whole piece, as the machine writes them: keep the buffers
      this.pieces[i] = data
      done(true)
      return
    }
    // anything else: make the pieces touched contiguous, then copy in
    const parts = data instanceof Uint8Array ? [data] : data
    let pos = offset
    for (const part of parts) {
      let copied = 0
      while (copied < part.length) {
        const k = Math.floor(pos / this.pieceLength)
        const from = pos - k * this.pieceLength
        const n = Math.min(part.length - copied, this.sizeOf(k) - from)
        const own = new Uint8Array(this.sizeOf(k))
        this.copyOut(k, 0, own, 0, own.length)
        own.set(part.subarray(copied, copied + n), from)
        this.pieces[k] = own
        copied += n; pos += n
      }
    }
    done(true)
  }

  onIo (): boolean { return false }

  private sizeOf (i: number): number { return Math.min(this.pieceLength, this.length - i * this.pieceLength) }

  /** `length` bytes at `at` in piece i, as a view into one stored buffer; undefined if they span buffers. */
  private view (i: number, at: number, length: number): Uint8Array | undefined {
    const p = this.pieces[i]
    if (p === undefined) return new Uint8Array(length)
    if (p instanceof Uint8Array) return p.subarray(at, at + length)
    let start = 0
    for (const part of p) {
      if (at >= start && at + length <= start + part.length) return part.subarray(at - start, at - start + length)
      start += part.length
      if (start > at) return undefined
    }
    return undefined
  }

  private copyOut (i: number, from: number, out: Uint8Array, to: number, n: number): void {
    const p = this.pieces[i]
    if (p === undefined) { out.fill(0, to, to + n); return }
    if (p instanceof Uint8Array) { out.set(p.subarray(from, from + n), to); return }
    let start = 0
    for (const part of p) {
      const end = start + part.length
      const a = Math.max(from, start)
      const b = Math.min(from + n, end)
      if (a < b) out.set(part.subarray(a - start, b - start), to + a - from)
      start = end
      if (start >= from + n) break
    }
  }
}
