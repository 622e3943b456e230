/** The ping codec: protobuf (protons, generated into pb.ts from ping.proto) with hard limits. */
import { decodeGuard } from '../overlay/codec.js'
import { LimitError, UnknownTypeError } from '../overlay/errors.js'
import type { Codec } from '../overlay/types.js'
import { PingFrame } from './pb.js'
import { unknownEnum } from '../overlay/pb-enum.js'
import { protobufCheck } from '../overlay/pb-check.js'

export type PingMessage =
  | { type: 'ping', seq: number, payload: Uint8Array }
  | { type: 'pong', seq: number, payload: Uint8Array }

/** Largest payload a ping may carry. */
export const MAX_PING_PAYLOAD = 64 * 1024
const MAX_FRAME = MAX_PING_PAYLOAD + 32

export const pingCodec: Codec<PingMessage> = {
  maxFrameBytes: MAX_FRAME,
  encode (msg) {
    if (msg.payload.byteLength > MAX_PING_PAYLOAD) throw new LimitError(`ping payload of ${msg.payload.byteLength} bytes exceeds ${MAX_PING_PAYLOAD}`)
    return PingFrame.encode({
      kind: msg.type === 'ping' ? PingFrame.Kind.PING : PingFrame.Kind.PONG,
      seq: msg.seq,
      payload: msg.payload as Uint8Array<ArrayBuffer>
    })
  },
  decode (bytes) {
    return decodeGuard('ping', bytes, MAX_FRAME, b => {
      let f: PingFrame
      try {
        f = PingFrame.decode(b, { limits: { payload: MAX_PING_PAYLOAD } } as any)
      } catch (err) {
        // protons throws a plain Error for an enum value it does not know; a well-formed frame whose
        // kind is such a value comes from a newer peer and is reported apart from garbage
        const kind = unknownEnum(b, 1, PingFrame.Kind.codec())
        if (kind !== undefined) throw new UnknownTypeError(kind, `unknown ping kind ${kind}`)
        throw err
      }
      if (f.payload.byteLength > MAX_PING_PAYLOAD) throw new Error('payload too large')
      return { type: f.kind === PingFrame.Kind.PING ? 'ping' : 'pong', seq: f.seq, payload: f.payload }
    })
  },
  // garbage and unknown kinds are dropped by the driver without an exception (decode would throw)
  check: protobufCheck(PingFrame.Kind.codec(), MAX_FRAME),
  typeOf (msg) { return msg.type },
  sizeOf (msg) { return 8 + msg.payload.byteLength }
}

