/** The napster codec: OpenNap frames on the overlay channel, shared transfer frames beside them. */
import { decodeGuard } from '../overlay/codec.js'
import type { Codec } from '../overlay/types.js'
import { frameChannel, OVERLAY_CHANNEL, splitChannel, XFER_CHANNEL } from '../search/channel.js'
import { decodeXfer, encodeXfer, isXferMsg, MAX_XFER_FRAME, xferSize, type XferMsg } from '../search/transfer-codec.js'
import { decodeNap, encodeNap, NAP_HEADER_BYTES, NAP_MAX_DATA, type NapMsg } from './messages.js'

export type NapsterMsg = NapMsg | XferMsg

export const NAPSTER_MAX_FRAME = 1 + Math.max(NAP_HEADER_BYTES + NAP_MAX_DATA, MAX_XFER_FRAME)

export const napsterCodec: Codec<NapsterMsg> = {
  maxFrameBytes: NAPSTER_MAX_FRAME,
  encode (msg) {
    return isXferMsg(msg) ? frameChannel(XFER_CHANNEL, encodeXfer(msg)) : frameChannel(OVERLAY_CHANNEL, encodeNap(msg))
  },
  decode (bytes) {
    return decodeGuard('napster', bytes, NAPSTER_MAX_FRAME, b => {
      const { channel, body } = splitChannel(b)
      return channel === XFER_CHANNEL ? decodeXfer(body) : decodeNap(body)
    })
  },
  typeOf (msg) { return msg.type },
  sizeOf (msg) { return isXferMsg(msg) ? 1 + xferSize(msg) : this.encode(msg).byteLength }
}
