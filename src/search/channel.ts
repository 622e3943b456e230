/**
 * One-byte channel tags, so an overlay's stream carries its own historic frames (a Gnutella
 * descriptor, an OpenNap message) byte for byte *and* the shared transfer frames. The tag is a framing
 * layer like the libp2p length prefix around it; the bytes after it are the unmodified format.
 */
import { DecodeError } from '../overlay/errors.js'

/** The overlay's own format follows. */
export const OVERLAY_CHANNEL = 0x00
/** A transfer frame (encodeXfer) follows. */
export const XFER_CHANNEL = 0x58

export function frameChannel (channel: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.byteLength + 1)
  out[0] = channel
  out.set(body, 1)
  return out
}

/** Split a frame into its channel and body (a view, not a copy). */
export function splitChannel (frame: Uint8Array): { channel: number, body: Uint8Array } {
  if (frame.byteLength < 1) throw new DecodeError('empty frame')
  const channel = frame[0]
  // a plain DecodeError, not UnknownTypeError: 254 of 256 random first bytes are "unknown channels",
  // so garbage would be counted as a newer peer's message; the message types behind the tag are checked
  if (channel !== OVERLAY_CHANNEL && channel !== XFER_CHANNEL) throw new DecodeError(`unknown channel 0x${channel.toString(16)}`)
  return { channel, body: frame.subarray(1) }
}
