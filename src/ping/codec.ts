/** The ping codec: protobuf (protons, generated into pb.ts from ping.proto) with hard limits. */
import { decodeGuard } from '../overlay/codec.js'
import { LimitError } from '../overlay/errors.js'
import type { Codec } from '../overlay/types.js'
import { PingFrame } from './pb.js'

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
      const f = PingFrame.decode(b, { limits: { payload: MAX_PING_PAYLOAD } } as any)
      if (f.payload.byteLength > MAX_PING_PAYLOAD) throw new Error('payload too large')
      // protons maps unknown enum numbers to undefined: that is an unknown message type
      if (f.kind !== PingFrame.Kind.PING && f.kind !== PingFrame.Kind.PONG) throw new Error('unknown message kind')
      return { type: f.kind === PingFrame.Kind.PING ? 'ping' : 'pong', seq: f.seq, payload: f.payload }
    })
  },
  typeOf (msg) { return msg.type },
  sizeOf (msg) { return 8 + msg.payload.byteLength }
}
