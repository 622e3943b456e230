/**
 * The Gnutella servent's codec: on the overlay channel a 0.4 descriptor (descriptor.ts) or a
 * handshake line; on the transfer channel the shared direct-transfer frames. Hard limits throughout;
 * decode throws only DecodeError.
 */
import { decodeGuard } from '../overlay/codec.js'
import { DecodeError } from '../overlay/errors.js'
import type { Codec } from '../overlay/types.js'
import { frameChannel, OVERLAY_CHANNEL, splitChannel, XFER_CHANNEL } from '../search/channel.js'
import { decodeXfer, encodeXfer, isXferMsg, MAX_XFER_FRAME, xferSize, type XferMsg } from '../search/transfer-codec.js'
import { decodeDescriptor, decodeHandshake, encodeDescriptor, encodeHandshake, HEADER_BYTES, MAX_PAYLOAD, type Descriptor, type Handshake } from './descriptor.js'

export type GnutellaMsg = Descriptor | Handshake | XferMsg

export const GNUTELLA_MAX_FRAME = 1 + Math.max(HEADER_BYTES + MAX_PAYLOAD, MAX_XFER_FRAME)

function isHandshake (m: GnutellaMsg): m is Handshake {
  return m.type === 'connect' || m.type === 'ok' || m.type === 'busy' || m.type === 'bye'
}

export const gnutellaCodec: Codec<GnutellaMsg> = {
  maxFrameBytes: GNUTELLA_MAX_FRAME,
  encode (msg) {
    if (isXferMsg(msg)) return frameChannel(XFER_CHANNEL, encodeXfer(msg))
    if (isHandshake(msg)) return frameChannel(OVERLAY_CHANNEL, encodeHandshake(msg))
    return frameChannel(OVERLAY_CHANNEL, encodeDescriptor(msg))
  },
  decode (bytes) {
    return decodeGuard('gnutella', bytes, GNUTELLA_MAX_FRAME, b => {
      const { channel, body } = splitChannel(b)
      if (channel === XFER_CHANNEL) return decodeXfer(body)
      if (body.byteLength < HEADER_BYTES) {
        const h = decodeHandshake(body)
        if (h === undefined) throw new DecodeError('neither a handshake nor a descriptor')
        return h
      }
      return decodeDescriptor(body)
    })
  },
  typeOf (msg) { return msg.type },
  sizeOf (msg) {
    if (isXferMsg(msg)) return 1 + xferSize(msg)
    return this.encode(msg).byteLength
  }
}
