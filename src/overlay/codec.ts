/**
 * Codec helpers with hard limits: a bounds-checked byte reader/writer for hand-made binary formats,
 * and a wrapper that turns any decoder failure into a DecodeError.
 */
import { DecodeError, LimitError } from './errors.js'

/** Throw LimitError when `n > max`. */
export function checkLimit (n: number, max: number, what: string): void {
  if (n > max) throw new LimitError(`${what}: ${n} exceeds the limit of ${max}`)
}

/** Run a decoder; any throw becomes a DecodeError (the original kept as cause). */
export function decodeGuard<T> (what: string, bytes: Uint8Array, maxBytes: number, fn: (bytes: Uint8Array) => T): T {
  if (bytes.byteLength > maxBytes) throw new DecodeError(`${what}: frame of ${bytes.byteLength} bytes exceeds ${maxBytes}`)
  try {
    return fn(bytes)
  } catch (err) {
    if (err instanceof DecodeError) throw err
    throw new DecodeError(`${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err })
  }
}

export class ByteReader {
  private pos = 0
  private readonly view: DataView
  constructor (readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  get offset (): number { return this.pos }
  get remaining (): number { return this.bytes.byteLength - this.pos }

  private need (n: number): void {
    if (n < 0 || this.pos + n > this.bytes.byteLength) {
      throw new DecodeError(`truncated: need ${n} bytes at offset ${this.pos}, have ${this.remaining}`)
    }
  }

  u8 (): number { this.need(1); return this.view.getUint8(this.pos++) }
  u16le (): number { this.need(2); const v = this.view.getUint16(this.pos, true); this.pos += 2; return v }
  u16be (): number { this.need(2); const v = this.view.getUint16(this.pos, false); this.pos += 2; return v }
  u32le (): number { this.need(4); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v }
  u32be (): number { this.need(4); const v = this.view.getUint32(this.pos, false); this.pos += 4; return v }
  u64be (): bigint { this.need(8); const v = this.view.getBigUint64(this.pos, false); this.pos += 8; return v }

  bytesN (n: number): Uint8Array {
    this.need(n)
    const out = this.bytes.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }

  rest (): Uint8Array { return this.bytesN(this.remaining) }

  /** Bytes up to (not including) a terminator byte, which is consumed. At most `max` bytes. */
  until (terminator: number, max: number): Uint8Array {
    const end = this.bytes.indexOf(terminator, this.pos)
    if (end < 0) throw new DecodeError(`missing terminator 0x${terminator.toString(16)} at offset ${this.pos}`)
    if (end - this.pos > max) throw new DecodeError(`field of ${end - this.pos} bytes exceeds ${max}`)
    const out = this.bytes.subarray(this.pos, end)
    this.pos = end + 1
    return out
  }

  end (): void {
    if (this.remaining !== 0) throw new DecodeError(`${this.remaining} trailing bytes`)
  }
}

export class ByteWriter {
  private buf: Uint8Array
  private view: DataView
  private pos = 0
  constructor (private readonly maxBytes = 16 * 1024 * 1024, initial = 64) {
    this.buf = new Uint8Array(initial)
    this.view = new DataView(this.buf.buffer)
  }

  private ensure (n: number): void {
    if (this.pos + n > this.maxBytes) throw new LimitError(`message of ${this.pos + n} bytes exceeds ${this.maxBytes}`)
    if (this.pos + n <= this.buf.byteLength) return
    let size = this.buf.byteLength * 2
    while (size < this.pos + n) size *= 2
    const grown = new Uint8Array(size)
    grown.set(this.buf.subarray(0, this.pos))
    this.buf = grown
    this.view = new DataView(grown.buffer)
  }

  u8 (v: number): this { this.ensure(1); this.view.setUint8(this.pos, v); this.pos += 1; return this }
  u16le (v: number): this { this.ensure(2); this.view.setUint16(this.pos, v, true); this.pos += 2; return this }
  u16be (v: number): this { this.ensure(2); this.view.setUint16(this.pos, v, false); this.pos += 2; return this }
  u32le (v: number): this { this.ensure(4); this.view.setUint32(this.pos, v, true); this.pos += 4; return this }
  u32be (v: number): this { this.ensure(4); this.view.setUint32(this.pos, v, false); this.pos += 4; return this }
  u64be (v: bigint): this { this.ensure(8); this.view.setBigUint64(this.pos, v, false); this.pos += 8; return this }
  bytes (b: Uint8Array): this { this.ensure(b.byteLength); this.buf.set(b, this.pos); this.pos += b.byteLength; return this }

  get length (): number { return this.pos }
  finish (): Uint8Array { return this.buf.slice(0, this.pos) }
}
