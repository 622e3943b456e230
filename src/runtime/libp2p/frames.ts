/**
 * Length-prefixed frames on a libp2p stream: unsigned-varint length, then the codec's bytes
 * (it-length-prefixed, the libp2p convention). The reader enforces the codec's frame limit on the
 * length prefix itself, before buffering the body, so a peer cannot make us hold an oversize frame.
 */
import * as lp from 'it-length-prefixed'
import type { Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/** One frame ready for `stream.send()`: length prefix + body, as a list (no copy of the body). */
export function encodeFrame (body: Uint8Array, maxFrameBytes: number): Uint8ArrayList {
  return lp.encode.single(body, { maxDataLength: maxFrameBytes })
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

const OVERSIZE = new Set(['InvalidDataLengthError', 'InvalidDataLengthLengthError', 'InvalidMessageLengthError'])

/**
 * Read frames until the stream ends, calling `onFrame` synchronously for each (the callback must
 * not throw; the driver guards the machine). Never rejects.
 */
export async function readFrames (stream: Stream, maxFrameBytes: number, onFrame: (body: Uint8Array) => void): Promise<ReadEnd> {
  try {
    for await (const frame of lp.decode(stream, { maxDataLength: maxFrameBytes })) {
      onFrame(frame.subarray())
    }
    return { reason: 'eof' }
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err))
    if (OVERSIZE.has(e.name)) return { reason: 'oversize', error: e }
    if (e.name === 'UnexpectedEOFError') return { reason: 'truncated', error: e }
    return { reason: 'closed', error: e }
  }
}
