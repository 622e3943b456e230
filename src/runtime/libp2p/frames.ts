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

/** Longest varint length prefix we accept (enough for any 53-bit length). */
const MAX_PREFIX_BYTES = 8

/**
 * Read frames until the stream ends, calling `onFrame` synchronously for each (the callback must
 * not throw; the driver guards the machine). Never rejects.
 *
 * It listens to the stream's 'message' events and decodes in place rather than going through the
 * stream's async iterator and `lp.decode`: same framing, but no async-generator hops per frame,
 * which is most of the per-message cost at sub-millisecond RTTs (see benchmarks/driver-rtt.ts).
 */
export async function readFrames (stream: Stream, maxFrameBytes: number, onFrame: (body: Uint8Array) => void): Promise<ReadEnd> {
  return await new Promise<ReadEnd>(resolve => {
    const buf = new Uint8ArrayList()
    let done = false
    const finish = (end: ReadEnd): void => {
      if (done) return
      done = true
      stream.removeEventListener('message', onMessage)
      stream.removeEventListener('end', onEnd)
      stream.removeEventListener('close', onClose)
      resolve(end)
    }
    const onMessage = (evt: StreamMessageEvent): void => {
      buf.append(evt.data)
      while (!done && buf.byteLength > 0) {
        // unsigned varint length, checked against the limit byte by byte
        let len = 0
        let i = 0
        let complete = false
        while (i < buf.byteLength && i < MAX_PREFIX_BYTES) {
          const b = buf.get(i)
          len += (b & 0x7f) * 2 ** (7 * i)
          i++
          if (len > maxFrameBytes) { finish({ reason: 'oversize', error: new InvalidDataLengthError(`frame length ${len}+ exceeds ${maxFrameBytes}`) }); return }
          if (b < 0x80) { complete = true; break }
        }
        if (!complete) {
          if (i >= MAX_PREFIX_BYTES) finish({ reason: 'oversize', error: new InvalidDataLengthError('length prefix too long') })
          return
        }
        if (buf.byteLength < i + len) return
        const body = buf.subarray(i, i + len)
        buf.consume(i + len)
        onFrame(body)
      }
    }
    const ended = (): ReadEnd => buf.byteLength > 0
      ? { reason: 'truncated', error: new Error(`stream ended inside a frame (${buf.byteLength} bytes pending)`) }
      : { reason: 'eof' }
    const onEnd = (): void => { finish(ended()) }
    const onClose = (evt: StreamCloseEvent): void => {
      finish(evt.error !== undefined ? { reason: 'closed', error: evt.error } : ended())
    }
    stream.addEventListener('message', onMessage)
    stream.addEventListener('end', onEnd)
    stream.addEventListener('close', onClose)
    if (stream.status !== 'open' || stream.readableEnded) {
      // it may have finished before we attached; 'close'/'end' would never come
      queueMicrotask(() => { if (stream.readBufferLength === 0) finish(stream.status === 'open' ? ended() : { reason: 'closed', error: new Error(`stream ${stream.status}`) }) })
    }
  })
}

class InvalidDataLengthError extends Error {
  override name = 'InvalidDataLengthError'
}
