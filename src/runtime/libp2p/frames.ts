/**
 * Length-prefixed frames on a libp2p stream: unsigned-varint length, then the codec's bytes —
 * exactly it-length-prefixed's format (the libp2p convention; test/runtime/frames.spec.ts checks both
 * directions against it-length-prefixed). Encoder and reader are written out here rather than
 * calling it-length-prefixed because its encoder yields [prefix, body] chunks and its decoder is an
 * async generator over the stream's async iterator; on a sub-0.1 ms round trip those cost more than
 * the rest of the driver (benchmarks/driver-rtt.ts). The reader enforces the codec's frame limit
 * (`maxDataLength` = codec.maxFrameBytes) on the length prefix itself, before buffering the body, so
 * a peer cannot make us hold an oversize frame.
 */
import { Uint8ArrayList } from 'uint8arraylist'
import type { Stream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'

/**
 * One frame ready for `stream.send()`: varint length prefix + body in one contiguous buffer. One
 * buffer rather than a [prefix, body] list because each chunk handed down becomes its own muxer
 * and Noise frame; the copy is cheaper than the extra encryption.
 */
export function encodeFrame (body: Uint8Array, maxFrameBytes: number): Uint8Array {
  const n = body.byteLength
  if (n > maxFrameBytes) throw new RangeError(`frame of ${n} bytes exceeds ${maxFrameBytes}`)
  let prefix = 1
  for (let v = n; v >= 0x80; v = Math.floor(v / 128)) prefix++
  const out = new Uint8Array(prefix + n)
  let v = n
  let i = 0
  while (v >= 0x80) { out[i++] = (v & 0x7f) | 0x80; v = Math.floor(v / 128) }
  out[i] = v
  out.set(body, prefix)
  return out
}

/** Why a read loop ended. */
export type ReadEnd =
  /** The remote closed its writable end cleanly. */
  | { reason: 'eof' }
  /** A length prefix announced more than the limit (or was itself malformed): not resynchronisable. */
  | { reason: 'oversize', error: Error }
  /** The stream ended in the middle of a frame. */
  | { reason: 'truncated', error: Error }
  /** Reset, aborted or the connection closed. */
  | { reason: 'closed', error: Error }
  /** The reader was stopped by its owner (budget, deadline, idle, peer cut off); the owner resets or closes the stream. */
  | { reason: 'stopped', why: string }

/** Longest varint length prefix we accept (enough for any 53-bit length). */
const MAX_PREFIX_BYTES = 8

/**
 * A partial frame announcing at least this many bytes may be collected into one buffer of its
 * announced length instead of being held as the transport's chunks (`compact`). Those chunks (Noise's
 * decrypted messages, ≤ 64 KiB each) come from glibc's heap: held for long among short-lived
 * allocations (slow or never-finished frames), they leave holes glibc never gives back to the OS —
 * tens of MiB of RSS after a slow-partial-frames attack although the JS heap and ArrayBuffers are back
 * where they were. The one buffer is a resizable ArrayBuffer, which V8 reserves with mmap and releases
 * with munmap, outside glibc (a plain one this size lands in glibc's heap too once glibc has raised its
 * mmap threshold). Fresh pages cost page faults (~3–4 ms per MiB on this VM) where glibc would reuse
 * warm ones, so only frames that look held for long are collected: when the peer already holds part
 * of a frame on another stream (our own driver sends one frame at a time per peer and protocol), or
 * when the owner's sweep finds the frame pending for a while. Honest large frames never pay.
 */
export const CONTIGUOUS_FRAME_BYTES = 256 * 1024
/** …once this much of its body is here (a bare length prefix, the cheapest thing to send, reserves nothing). */
export const CONTIGUOUS_AFTER_BYTES = 64 * 1024

/** A buffer of `n` bytes outside glibc's heap (see CONTIGUOUS_FRAME_BYTES). */
function reserve (n: number): Uint8Array {
  // the options argument (ES2024) is missing from the project's TypeScript lib
  const Resizable = ArrayBuffer as unknown as new (n: number, opts: { maxByteLength: number }) => ArrayBuffer
  return new Uint8Array(new Resizable(n, { maxByteLength: n }), 0, n)
}

/** What a reader reports to its owner; every call is synchronous and must not throw. */
export interface FrameSink {
  frame (body: Uint8Array): void
  /**
   * The bytes held for incomplete frames change by `delta` (positive: more arrived; negative: a frame
   * completed or the reader ended). Returning false refuses a positive delta: the reader stops
   * ('stopped', 'over-budget') holding nothing.
   */
  hold? (delta: number): boolean
  /**
   * May a frame of `bytes` be delivered now? 0 = yes; otherwise the ms to wait: the reader pauses the
   * stream (the muxer stops granting window, so the sender slows down instead of losing frames) and
   * tries again then.
   */
  admit? (bytes: number): number
  /**
   * Does the peer hold part of a frame on another stream too? `held` is what this reader holds (as
   * last reported through `hold`). True makes the reader collect its large partial frame in one buffer.
   */
  crowded? (held: number): boolean
}

/**
 * Reads length-prefixed frames from one stream until it ends or `stop()` is called. It listens to the
 * stream's 'message' events and decodes in place rather than going through the stream's async iterator
 * and `lp.decode`: same framing, but no async-generator hops per frame, which is most of the
 * per-message cost at sub-millisecond RTTs (see benchmarks/driver-rtt.ts).
 *
 * `partialSince` (0 when nothing is pending) and `lastActivity` (performance.now() of the last bytes)
 * let the owner enforce a frame deadline and an idle timeout with one sweep over all its readers.
 */
export class FrameReader {
  readonly ended: Promise<ReadEnd>
  partialSince = 0
  lastActivity = performance.now()
  private readonly buf = new Uint8ArrayList()
  /** The large frame being collected in one buffer (CONTIGUOUS_FRAME_BYTES), and how much of it has arrived. */
  private big: Uint8Array | undefined
  private bigFilled = 0
  /** The next fall in `pending` is a frame moving into one buffer, not a frame completing. */
  private keepSince = false
  private held = 0
  private done = false
  private throttle: ReturnType<typeof setTimeout> | undefined
  /** The stream ended while throttled: finish once the frames already here are delivered. */
  private pendingEnd = false
  private resolve!: (end: ReadEnd) => void

  constructor (readonly stream: Stream, private readonly maxFrameBytes: number, private readonly sink: FrameSink) {
    this.ended = new Promise<ReadEnd>(resolve => { this.resolve = resolve })
    this.onMessage = this.onMessage.bind(this)
    this.onEnd = this.onEnd.bind(this)
    this.onClose = this.onClose.bind(this)
    stream.addEventListener('message', this.onMessage)
    stream.addEventListener('end', this.onEnd)
    stream.addEventListener('close', this.onClose)
    if (stream.status !== 'open' || stream.readableEnded) {
      // it may have finished before we attached; 'close'/'end' would never come
      queueMicrotask(() => { if (stream.readBufferLength === 0) this.finish(stream.status === 'open' ? this.endState() : { reason: 'closed', error: new Error(`stream ${stream.status}`) }) })
    }
  }

  /** Bytes held for incomplete frames (and, while throttled, complete frames not yet delivered). */
  get pending (): number { return this.buf.byteLength + this.bigFilled }

  /** Paused by the rate limit. */
  get throttled (): boolean { return this.throttle !== undefined }

  /** Stop reading (the owner then resets or closes the stream); releases what was held. */
  stop (why: string): void { this.finish({ reason: 'stopped', why }) }

  private finish (end: ReadEnd): void {
    if (this.done) return
    this.done = true
    if (this.throttle !== undefined) { clearTimeout(this.throttle); this.throttle = undefined }
    const s = this.stream
    s.removeEventListener('message', this.onMessage)
    s.removeEventListener('end', this.onEnd)
    s.removeEventListener('close', this.onClose)
    if (this.held > 0) this.sink.hold?.(-this.held)
    this.held = 0
    this.buf.consume(this.buf.byteLength)
    this.big = undefined
    this.bigFilled = 0
    this.partialSince = 0
    this.resolve(end)
  }

  private onMessage (evt: StreamMessageEvent): void {
    if (this.done) return
    const big = this.big
    if (big !== undefined && this.bigFilled < big.byteLength) this.fill(big, evt.data)
    else this.buf.append(evt.data)
    this.lastActivity = performance.now()
    // bytes already in flight when we paused: held (and budgeted) until the throttle ends
    if (this.throttle !== undefined) { this.account(); return }
    this.process()
  }

  /** Copy what `data` has of the large frame into it; the rest (the next frames) goes to the chunk buffer. */
  private fill (big: Uint8Array, data: Uint8Array | Uint8ArrayList): void {
    for (const chunk of data instanceof Uint8Array ? [data] : data) {
      const room = big.byteLength - this.bigFilled
      if (room === 0) { this.buf.append(chunk); continue }
      const n = Math.min(room, chunk.byteLength)
      big.set(n === chunk.byteLength ? chunk : chunk.subarray(0, n), this.bigFilled)
      this.bigFilled += n
      if (n < chunk.byteLength) this.buf.append(chunk.subarray(n))
    }
  }

  /** Deliver every complete frame in the buffer, unless the rate limit says wait. */
  private process (): void {
    const buf = this.buf
    const max = this.maxFrameBytes
    const big = this.big
    if (big !== undefined) {
      if (this.bigFilled < big.byteLength) { this.account(); return }
      const wait = this.sink.admit?.(big.byteLength) ?? 0
      if (wait > 0) { this.pause(wait); this.account(); return }
      this.big = undefined
      this.bigFilled = 0
      this.sink.frame(big)
      if (this.done) return
    }
    while (buf.byteLength > 0) {
      // unsigned varint length, checked against the limit byte by byte
      let len = 0
      let i = 0
      let complete = false
      while (i < buf.byteLength && i < MAX_PREFIX_BYTES) {
        const b = buf.get(i)
        len += (b & 0x7f) * 2 ** (7 * i)
        i++
        if (len > max) { this.finish({ reason: 'oversize', error: new InvalidDataLengthError(`frame length ${len}+ exceeds ${max}`) }); return }
        if (b < 0x80) { complete = true; break }
      }
      if (!complete) {
        if (i >= MAX_PREFIX_BYTES) { this.finish({ reason: 'oversize', error: new InvalidDataLengthError('length prefix too long') }); return }
        break
      }
      if (buf.byteLength < i + len) {
        if (len >= CONTIGUOUS_FRAME_BYTES && buf.byteLength - i >= CONTIGUOUS_AFTER_BYTES && this.sink.crowded?.(this.held) === true) this.collect(i, len)
        break
      }
      const wait = this.sink.admit?.(len) ?? 0
      if (wait > 0) { this.pause(wait); break }
      const body = buf.subarray(i, i + len)
      buf.consume(i + len)
      this.sink.frame(body)
      if (this.done) return
    }
    this.account()
    if (this.pendingEnd && this.throttle === undefined) this.finish(this.endState())
  }

  /**
   * Collect the pending large frame in one buffer (see CONTIGUOUS_FRAME_BYTES), for an owner whose
   * sweep finds it pending for a while. False when there is nothing to collect.
   */
  compact (): boolean {
    // throttled, the buffer may start with complete frames waiting their turn: nothing to do then
    if (this.done || this.big !== undefined || this.throttle !== undefined) return false
    const buf = this.buf
    let len = 0
    let i = 0
    for (;;) {
      if (i >= buf.byteLength || i >= MAX_PREFIX_BYTES) return false
      const b = buf.get(i)
      len += (b & 0x7f) * 2 ** (7 * i)
      i++
      if (b < 0x80) break
    }
    if (len < CONTIGUOUS_FRAME_BYTES || buf.byteLength - i < CONTIGUOUS_AFTER_BYTES || buf.byteLength >= i + len) return false
    this.collect(i, len)
    this.account()
    return true
  }

  /** Move the pending frame (prefix of `i` bytes, body of `len`) from the chunks into one buffer; the chunks are released now. */
  private collect (i: number, len: number): void {
    const target = reserve(len)
    this.buf.consume(i)
    this.big = target
    this.fill(target, this.buf)
    this.buf.consume(this.bigFilled)
    // the prefix bytes leave `pending`: not a completed frame, so the frame deadline keeps running
    this.keepSince = true
  }

  private pause (ms: number): void {
    try { if (this.stream.readStatus === 'readable') this.stream.pause() } catch { /* closing */ }
    this.throttle = setTimeout(() => {
      this.throttle = undefined
      if (this.done) return
      try { if (this.stream.readStatus === 'paused') this.stream.resume() } catch { /* closing */ }
      this.process()
    }, ms)
  }

  /** Tell the owner how much is held now; a refusal stops the reader. */
  private account (): void {
    const now = this.pending
    const delta = now - this.held
    if (delta !== 0) {
      if (this.sink.hold !== undefined && !this.sink.hold(delta)) { this.finish({ reason: 'stopped', why: 'over-budget' }); return }
      this.held = now
    }
    // a throttled stream waits on us, not the peer: no frame deadline runs meanwhile
    if (now === 0 || this.throttle !== undefined) this.partialSince = 0
    else if (this.partialSince === 0 || (delta < 0 && !this.keepSince)) this.partialSince = this.lastActivity
    this.keepSince = false
  }

  private endState (): ReadEnd {
    return this.pending > 0
      ? { reason: 'truncated', error: new Error(`stream ended inside a frame (${this.pending} bytes pending)`) }
      : { reason: 'eof' }
  }

  private onEnd (): void {
    if (this.throttle !== undefined) { this.pendingEnd = true; return }
    this.finish(this.endState())
  }

  private onClose (evt: StreamCloseEvent): void {
    if (evt.error === undefined && this.throttle !== undefined) { this.pendingEnd = true; return }
    this.finish(evt.error !== undefined ? { reason: 'closed', error: evt.error } : this.endState())
  }
}

/**
 * Read frames until the stream ends, calling `onFrame` synchronously for each (the callback must
 * not throw; the driver guards the machine). Never rejects. No budgets: see FrameReader for those.
 */
export async function readFrames (stream: Stream, maxFrameBytes: number, onFrame: (body: Uint8Array) => void): Promise<ReadEnd> {
  return await new FrameReader(stream, maxFrameBytes, { frame: onFrame }).ended
}

class InvalidDataLengthError extends Error {
  override name = 'InvalidDataLengthError'
}
