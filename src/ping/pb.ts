import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface PingFrame {
  kind: PingFrame.Kind
  seq: number
  payload: Uint8Array<ArrayBuffer>
}

export namespace PingFrame {
  export enum Kind {
    PING = 'PING',
    PONG = 'PONG'
  }

  enum __KindValues {
    PING = 0,
    PONG = 1
  }

  export namespace Kind {
    export const codec = (): Codec<Kind> => {
      return enumeration<Kind>(__KindValues)
    }
  }

  let _codec: Codec<PingFrame>

  export const codec = (): Codec<PingFrame> => {
    if (_codec == null) {
      _codec = message<PingFrame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.kind != null && __KindValues[obj.kind] !== 0) {
          w.uint32(8)
          PingFrame.Kind.codec().encode(obj.kind, w)
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(16)
          w.uint32(obj.seq)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.payload)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          kind: Kind.PING,
          seq: 0,
          payload: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.kind = PingFrame.Kind.codec().decode(reader)
              break
            }
            case 2: {
              obj.seq = reader.uint32()
              break
            }
            case 3: {
              obj.payload = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.kind`,
                value: PingFrame.Kind.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PingFrameKindFieldEvent {
    field: '$.kind'
    value: PingFrame.Kind
  }

  export interface PingFrameSeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface PingFramePayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PingFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PingFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PingFrame>): PingFrame {
    return decodeMessage(buf, PingFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PingFrame>): Generator<PingFrameKindFieldEvent | PingFrameSeqFieldEvent | PingFramePayloadFieldEvent> {
    return streamMessage(buf, PingFrame.codec(), opts)
  }
}
