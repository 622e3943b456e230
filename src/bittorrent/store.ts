/**
 * Where a torrent's bytes live, seen from the machine. Three kinds:
 *  - memory: the pieces in the machine, kept as the buffers they arrived in (memory-store.ts);
 *  - io: the driver's BlobStorage through `env.io` (files on disk live, blobs in the simulator),
 *    one store per torrent file, pieces split across file boundaries;
 *  - virtual: no bytes at all, blocks are zeros and hashes are not checked. Only for bandwidth
 *    simulations of thousands of peers, where holding N copies of the file would not fit.
 * Completions are callbacks; with io they arrive later through `onIo`.
 */
import type { Env, IoResult } from '../overlay/types.js'
import type { Metainfo } from './metainfo.js'

export type StorageKind = 'memory' | 'io' | 'virtual'

export interface PieceStore {
  readonly kind: StorageKind
  read (offset: number, length: number, done: (data: Uint8Array | undefined) => void): void
  /** `data` may be the piece as its blocks, in order (kept as received, not joined). */
  write (offset: number, data: Uint8Array | readonly Uint8Array[], done: (ok: boolean) => void): void
  /** Route an io completion; true when the token was ours. */
  onIo (token: string, result: IoResult): boolean
}

const ZEROS = new Uint8Array(16384)

export class VirtualStore implements PieceStore {
  readonly kind = 'virtual' as const
  read (_offset: number, length: number, done: (data: Uint8Array | undefined) => void): void {
    done(length <= ZEROS.length ? ZEROS.subarray(0, length) : new Uint8Array(length))
  }

  write (_offset: number, _data: Uint8Array | readonly Uint8Array[], done: (ok: boolean) => void): void { done(true) }
  onIo (): boolean { return false }
}

/** Names the blob that holds a torrent file: `<prefix><name>` or `<prefix><name>/<path…>`. */
export function storeName (m: Pick<Metainfo, 'name' | 'multiFile'>, path: string[], prefix = ''): string {
  return m.multiFile ? prefix + [m.name, ...path].join('/') : prefix + m.name
}

/** Bytes of whole pieces an io store keeps after reading them (8 pieces at most). */
const PIECE_CACHE_BYTES = 4 * 1024 * 1024

interface Span { store: string, at: number, len: number, pos: number }
/** One read or write split into per-file parts; `out` is set for reads. */
interface Op { parts: number, failed: boolean, spans: Span[], out?: Uint8Array, done: (r: any) => void, direct?: boolean }

export class IoStore implements PieceStore {
  readonly kind = 'io' as const
  private seq = 0
  private readonly pending = new Map<string, { op: Op, slot: number }>()

  constructor (private readonly env: Env<any>, private readonly meta: Metainfo, private readonly prefix = '', private readonly id = 'bt') {
    if (env.io === undefined) throw new Error('io storage needs a driver with storage (env.io)')
  }

  /** Pieces map onto files: (file, offset in file, length, offset in the buffer). */
  private spans (offset: number, length: number): Span[] {
    const out: Span[] = []
    const end = offset + length
    for (const f of this.meta.files) {
      const fEnd = f.offset + f.length
      if (fEnd <= offset || f.offset >= end || f.length === 0) continue
      const s = Math.max(offset, f.offset)
      const e = Math.min(end, fEnd)
      out.push({ store: storeName(this.meta, f.path, this.prefix), at: s - f.offset, len: e - s, pos: s - offset })
    }
    return out
  }

  /**
   * Whole pieces recently read, for the blocks that follow: peers ask for a piece block by block,
   * and one read of 256 KiB costs far less than sixteen of 16 KiB (and the blocks then leave
   * together). In flight: the callbacks waiting for it.
   */
  private readonly pieceCache = new Map<number, { data: Uint8Array | undefined, waiting: Array<(d: Uint8Array | undefined) => void> }>()

  read (offset: number, length: number, done: (data: Uint8Array | undefined) => void): void {
    const pl = this.meta.pieceLength
    const index = Math.floor(offset / pl)
    const start = index * pl
    const size = Math.min(pl, this.meta.length - start)
    if (offset + length > start + size || length >= size) { this.readSpans(offset, length, done); return }
    const serve = (d: Uint8Array | undefined): void => { done(d?.subarray(offset - start, offset - start + length)) }
    const hit = this.pieceCache.get(index)
    if (hit !== undefined) {
      // most recently used last
      this.pieceCache.delete(index); this.pieceCache.set(index, hit)
      if (hit.data !== undefined) serve(hit.data); else hit.waiting.push(serve)
      return
    }
    const entry = { data: undefined as Uint8Array | undefined, waiting: [serve] }
    this.pieceCache.set(index, entry)
    const keep = Math.max(1, Math.min(8, Math.floor(PIECE_CACHE_BYTES / pl)))
    for (const [k, e] of this.pieceCache) {
      if (this.pieceCache.size <= keep) break
      if (e.data !== undefined) this.pieceCache.delete(k)
    }
    this.readSpans(start, size, d => {
      if (d === undefined) { if (this.pieceCache.get(index) === entry) this.pieceCache.delete(index) } else entry.data = d
      for (const w of entry.waiting.splice(0)) w(d)
    })
  }

  private readSpans (offset: number, length: number, done: (data: Uint8Array | undefined) => void): void {
    const spans = this.spans(offset, length)
    if (spans.length === 1) {
      // inside one file: the storage's buffer is the answer, no second buffer and copy
      const token = `${this.id}:r${this.seq++}`
      this.pending.set(token, { op: { parts: 1, failed: false, spans, done: (d: Uint8Array | undefined) => { done(d) }, direct: true }, slot: 0 })
      this.env.io!({ op: 'read', store: spans[0].store, offset: spans[0].at, length: spans[0].len, token })
      return
    }
    const op: Op = { parts: spans.length, failed: false, spans, out: new Uint8Array(length), done }
    const tag = `${this.id}:r${this.seq++}`
    spans.forEach((s, k) => {
      const token = `${tag}:${k}`
      this.pending.set(token, { op, slot: k })
      this.env.io!({ op: 'read', store: s.store, offset: s.at, length: s.len, token })
    })
  }

  write (offset: number, parts: Uint8Array | readonly Uint8Array[], done: (ok: boolean) => void): void {
    // files are cut at arbitrary offsets: join the blocks once (the disk write costs far more)
    const data = parts instanceof Uint8Array ? parts : joinParts(parts)
    const pl = this.meta.pieceLength
    for (let i = Math.floor(offset / pl); i * pl < offset + data.length; i++) this.pieceCache.delete(i)
    const spans = this.spans(offset, data.length)
    const op: Op = { parts: spans.length, failed: false, spans, done }
    const tag = `${this.id}:w${this.seq++}`
    spans.forEach((s, k) => {
      const token = `${tag}:${k}`
      this.pending.set(token, { op, slot: k })
      this.env.io!({ op: 'write', store: s.store, offset: s.at, data: data.subarray(s.pos, s.pos + s.len), token })
    })
  }

  onIo (token: string, result: IoResult): boolean {
    const entry = this.pending.get(token)
    if (entry === undefined) return false
    this.pending.delete(token)
    const { op, slot } = entry
    if (op.direct === true) {
      op.done(result.ok && result.data !== undefined && result.data.length === op.spans[0].len ? result.data : undefined)
      return true
    }
    if (!result.ok) op.failed = true
    else if (op.out !== undefined) {
      const s = op.spans[slot]
      if (result.data === undefined || result.data.length !== s.len) op.failed = true
      else op.out.set(result.data, s.pos)
    }
    if (--op.parts === 0) op.done(op.out !== undefined ? (op.failed ? undefined : op.out) : !op.failed)
    return true
  }
}

function joinParts (parts: readonly Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let off = 0
  for (const p of parts) { out.set(p, off); off += p.length }
  return out
}
