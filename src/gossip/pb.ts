import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface GossipFrame {
  type: GossipFrame.Type
  updates: GossipFrame.Update[]
  pull: boolean
  known: GossipFrame.Dep[]
  aeMode: number
  digest: GossipFrame.DigestEntry[]
  hasDigest: boolean
  mapSum: number
  entries: GossipFrame.MapEntry[]
  hasEntries: boolean
  origin: string
  seq: number
  data?: Uint8Array<ArrayBuffer>
  peers: GossipFrame.Descriptor[]
  fresh: GossipFrame.Dep[]
  sum: number
}

export namespace GossipFrame {
  export enum Type {
    RUMOR = 'RUMOR',
    REPLY = 'REPLY',
    FEEDBACK = 'FEEDBACK',
    BUSY = 'BUSY',
    AE = 'AE',
    AE_REPLY = 'AE_REPLY',
    AE_PUSH = 'AE_PUSH',
    FETCH = 'FETCH',
    BODY = 'BODY',
    SHUFFLE = 'SHUFFLE',
    SHUFFLE_REPLY = 'SHUFFLE_REPLY'
  }

  enum __TypeValues {
    RUMOR = 0,
    REPLY = 1,
    FEEDBACK = 2,
    BUSY = 3,
    AE = 4,
    AE_REPLY = 5,
    AE_PUSH = 6,
    FETCH = 7,
    BODY = 8,
    SHUFFLE = 9,
    SHUFFLE_REPLY = 10
  }

  export namespace Type {
    export const codec = (): Codec<Type> => {
      return enumeration<Type>(__TypeValues)
    }
  }

  export interface Dep {
    origin: string
    seq: number
  }

  export namespace Dep {
    let _codec: Codec<Dep>

    export const codec = (): Codec<Dep> => {
      if (_codec == null) {
        _codec = message<Dep>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.origin != null && obj.origin !== '')) {
            w.uint32(10)
            w.string(obj.origin)
          }

          if ((obj.seq != null && obj.seq !== 0)) {
            w.uint32(16)
            w.uint64Number(obj.seq)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            origin: '',
            seq: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.origin = reader.string()
                break
              }
              case 2: {
                obj.seq = reader.uint64Number()
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
                  field: `${prefix}.origin`,
                  value: reader.string()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.seq`,
                  value: reader.uint64Number()
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

    export interface DepOriginFieldEvent {
      field: '$.origin'
      value: string
    }

    export interface DepSeqFieldEvent {
      field: '$.seq'
      value: number
    }

    export function encode (obj: Partial<Dep>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Dep.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Dep>): Dep {
      return decodeMessage(buf, Dep.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Dep>): Generator<DepOriginFieldEvent | DepSeqFieldEvent> {
      return streamMessage(buf, Dep.codec(), opts)
    }
  }

  export interface Update {
    origin: string
    seq: number
    time: number
    kind: number
    topic: string
    key?: string
    lamport?: number
    data?: Uint8Array<ArrayBuffer>
    hash?: Uint8Array<ArrayBuffer>
    size: number
    deps: GossipFrame.Dep[]
    sig?: Uint8Array<ArrayBuffer>
  }

  export namespace Update {
    let _codec: Codec<Update>

    export const codec = (): Codec<Update> => {
      if (_codec == null) {
        _codec = message<Update>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.origin != null && obj.origin !== '')) {
            w.uint32(10)
            w.string(obj.origin)
          }

          if ((obj.seq != null && obj.seq !== 0)) {
            w.uint32(16)
            w.uint64Number(obj.seq)
          }

          if ((obj.time != null && obj.time !== 0)) {
            w.uint32(25)
            w.double(obj.time)
          }

          if ((obj.kind != null && obj.kind !== 0)) {
            w.uint32(32)
            w.uint32(obj.kind)
          }

          if ((obj.topic != null && obj.topic !== '')) {
            w.uint32(42)
            w.string(obj.topic)
          }

          if (obj.key != null) {
            w.uint32(50)
            w.string(obj.key)
          }

          if (obj.lamport != null) {
            w.uint32(56)
            w.uint64Number(obj.lamport)
          }

          if (obj.data != null) {
            w.uint32(66)
            w.bytes(obj.data)
          }

          if (obj.hash != null) {
            w.uint32(74)
            w.bytes(obj.hash)
          }

          if ((obj.size != null && obj.size !== 0)) {
            w.uint32(80)
            w.uint32(obj.size)
          }

          if (obj.deps != null && obj.deps.length > 0) {
            for (const value of obj.deps) {
              w.uint32(90)
              GossipFrame.Dep.codec().encode(value, w)
            }
          }

          if (obj.sig != null) {
            w.uint32(98)
            w.bytes(obj.sig)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            origin: '',
            seq: 0,
            time: 0,
            kind: 0,
            topic: '',
            size: 0,
            deps: []
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.origin = reader.string()
                break
              }
              case 2: {
                obj.seq = reader.uint64Number()
                break
              }
              case 3: {
                obj.time = reader.double()
                break
              }
              case 4: {
                obj.kind = reader.uint32()
                break
              }
              case 5: {
                obj.topic = reader.string()
                break
              }
              case 6: {
                obj.key = reader.string()
                break
              }
              case 7: {
                obj.lamport = reader.uint64Number()
                break
              }
              case 8: {
                obj.data = reader.bytes()
                break
              }
              case 9: {
                obj.hash = reader.bytes()
                break
              }
              case 10: {
                obj.size = reader.uint32()
                break
              }
              case 11: {
                if (opts.limits?.deps != null && obj.deps.length === opts.limits.deps) {
                  throw new MaxLengthError('Decode error - repeated field "deps" had too many elements')
                }

                obj.deps.push(GossipFrame.Dep.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.deps$
                }))
                break
              }
              case 12: {
                obj.sig = reader.bytes()
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
          const obj = {
            deps: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.origin`,
                  value: reader.string()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.seq`,
                  value: reader.uint64Number()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.time`,
                  value: reader.double()
                }
                break
              }
              case 4: {
                yield {
                  field: `${prefix}.kind`,
                  value: reader.uint32()
                }
                break
              }
              case 5: {
                yield {
                  field: `${prefix}.topic`,
                  value: reader.string()
                }
                break
              }
              case 6: {
                yield {
                  field: `${prefix}.key`,
                  value: reader.string()
                }
                break
              }
              case 7: {
                yield {
                  field: `${prefix}.lamport`,
                  value: reader.uint64Number()
                }
                break
              }
              case 8: {
                yield {
                  field: `${prefix}.data`,
                  value: reader.bytes()
                }
                break
              }
              case 9: {
                yield {
                  field: `${prefix}.hash`,
                  value: reader.bytes()
                }
                break
              }
              case 10: {
                yield {
                  field: `${prefix}.size`,
                  value: reader.uint32()
                }
                break
              }
              case 11: {
                if (opts.limits?.deps != null && obj.deps === opts.limits.deps) {
                  throw new MaxLengthError('Streaming decode error - repeated field "deps" had too many elements')
                }

                for (const evt of GossipFrame.Dep.codec().stream(reader, reader.uint32(), `${prefix}.deps[]`, {
                  limits: opts.limits?.deps$
                })) {
                  yield {
                    ...evt,
                    index: obj.deps
                  }
                }

                obj.deps++

                break
              }
              case 12: {
                yield {
                  field: `${prefix}.sig`,
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

    export interface UpdateOriginFieldEvent {
      field: '$.origin'
      value: string
    }

    export interface UpdateSeqFieldEvent {
      field: '$.seq'
      value: number
    }

    export interface UpdateTimeFieldEvent {
      field: '$.time'
      value: number
    }

    export interface UpdateKindFieldEvent {
      field: '$.kind'
      value: number
    }

    export interface UpdateTopicFieldEvent {
      field: '$.topic'
      value: string
    }

    export interface UpdateKeyFieldEvent {
      field: '$.key'
      value: string
    }

    export interface UpdateLamportFieldEvent {
      field: '$.lamport'
      value: number
    }

    export interface UpdateDataFieldEvent {
      field: '$.data'
      value: Uint8Array<ArrayBuffer>
    }

    export interface UpdateHashFieldEvent {
      field: '$.hash'
      value: Uint8Array<ArrayBuffer>
    }

    export interface UpdateSizeFieldEvent {
      field: '$.size'
      value: number
    }

    export interface UpdateDepsOriginFieldEvent {
      field: '$.deps[].origin'
      value: string
      index: number
    }

    export interface UpdateDepsSeqFieldEvent {
      field: '$.deps[].seq'
      value: number
      index: number
    }

    export interface UpdateSigFieldEvent {
      field: '$.sig'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<Update>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Update.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Update>): Update {
      return decodeMessage(buf, Update.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Update>): Generator<UpdateOriginFieldEvent | UpdateSeqFieldEvent | UpdateTimeFieldEvent | UpdateKindFieldEvent | UpdateTopicFieldEvent | UpdateKeyFieldEvent | UpdateLamportFieldEvent | UpdateDataFieldEvent | UpdateHashFieldEvent | UpdateSizeFieldEvent | UpdateDepsOriginFieldEvent | UpdateDepsSeqFieldEvent | UpdateSigFieldEvent> {
      return streamMessage(buf, Update.codec(), opts)
    }
  }

  export interface DigestEntry {
    origin: string
    watermark: number
    extra: number[]
  }

  export namespace DigestEntry {
    let _codec: Codec<DigestEntry>

    export const codec = (): Codec<DigestEntry> => {
      if (_codec == null) {
        _codec = message<DigestEntry>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.origin != null && obj.origin !== '')) {
            w.uint32(10)
            w.string(obj.origin)
          }

          if ((obj.watermark != null && obj.watermark !== 0)) {
            w.uint32(16)
            w.uint64Number(obj.watermark)
          }

          if (obj.extra != null && obj.extra.length > 0) {
            for (const value of obj.extra) {
              w.uint32(24)
              w.uint64Number(value)
            }
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            origin: '',
            watermark: 0,
            extra: []
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.origin = reader.string()
                break
              }
              case 2: {
                obj.watermark = reader.uint64Number()
                break
              }
              case 3: {
                if (opts.limits?.extra != null && obj.extra.length === opts.limits.extra) {
                  throw new MaxLengthError('Decode error - repeated field "extra" had too many elements')
                }

                obj.extra.push(reader.uint64Number())
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
          const obj = {
            extra: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.origin`,
                  value: reader.string()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.watermark`,
                  value: reader.uint64Number()
                }
                break
              }
              case 3: {
                if (opts.limits?.extra != null && obj.extra === opts.limits.extra) {
                  throw new MaxLengthError('Streaming decode error - repeated field "extra" had too many elements')
                }

                yield {
                  field: `${prefix}.extra[]`,
                  index: obj.extra,
                  value: reader.uint64Number()
                }

                obj.extra++

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

    export interface DigestEntryOriginFieldEvent {
      field: '$.origin'
      value: string
    }

    export interface DigestEntryWatermarkFieldEvent {
      field: '$.watermark'
      value: number
    }

    export interface DigestEntryExtraFieldEvent {
      field: '$.extra[]'
      index: number
      value: number
    }

    export function encode (obj: Partial<DigestEntry>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, DigestEntry.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DigestEntry>): DigestEntry {
      return decodeMessage(buf, DigestEntry.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DigestEntry>): Generator<DigestEntryOriginFieldEvent | DigestEntryWatermarkFieldEvent | DigestEntryExtraFieldEvent> {
      return streamMessage(buf, DigestEntry.codec(), opts)
    }
  }

  export interface MapEntry {
    key: string
    lamport: number
    node: string
    value?: Uint8Array<ArrayBuffer>
    deleted: boolean
    origin: string
    seq: number
    time: number
    sig?: Uint8Array<ArrayBuffer>
    deps: GossipFrame.Dep[]
  }

  export namespace MapEntry {
    let _codec: Codec<MapEntry>

    export const codec = (): Codec<MapEntry> => {
      if (_codec == null) {
        _codec = message<MapEntry>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.key != null && obj.key !== '')) {
            w.uint32(10)
            w.string(obj.key)
          }

          if ((obj.lamport != null && obj.lamport !== 0)) {
            w.uint32(16)
            w.uint64Number(obj.lamport)
          }

          if ((obj.node != null && obj.node !== '')) {
            w.uint32(26)
            w.string(obj.node)
          }

          if (obj.value != null) {
            w.uint32(34)
            w.bytes(obj.value)
          }

          if ((obj.deleted != null && obj.deleted !== false)) {
            w.uint32(40)
            w.bool(obj.deleted)
          }

          if ((obj.origin != null && obj.origin !== '')) {
            w.uint32(50)
            w.string(obj.origin)
          }

          if ((obj.seq != null && obj.seq !== 0)) {
            w.uint32(56)
            w.uint64Number(obj.seq)
          }

          if ((obj.time != null && obj.time !== 0)) {
            w.uint32(65)
            w.double(obj.time)
          }

          if (obj.sig != null) {
            w.uint32(74)
            w.bytes(obj.sig)
          }

          if (obj.deps != null && obj.deps.length > 0) {
            for (const value of obj.deps) {
              w.uint32(82)
              GossipFrame.Dep.codec().encode(value, w)
            }
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            key: '',
            lamport: 0,
            node: '',
            deleted: false,
            origin: '',
            seq: 0,
            time: 0,
            deps: []
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.key = reader.string()
                break
              }
              case 2: {
                obj.lamport = reader.uint64Number()
                break
              }
              case 3: {
                obj.node = reader.string()
                break
              }
              case 4: {
                obj.value = reader.bytes()
                break
              }
              case 5: {
                obj.deleted = reader.bool()
                break
              }
              case 6: {
                obj.origin = reader.string()
                break
              }
              case 7: {
                obj.seq = reader.uint64Number()
                break
              }
              case 8: {
                obj.time = reader.double()
                break
              }
              case 9: {
                obj.sig = reader.bytes()
                break
              }
              case 10: {
                if (opts.limits?.deps != null && obj.deps.length === opts.limits.deps) {
                  throw new MaxLengthError('Decode error - repeated field "deps" had too many elements')
                }

                obj.deps.push(GossipFrame.Dep.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.deps$
                }))
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
          const obj = {
            deps: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.key`,
                  value: reader.string()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.lamport`,
                  value: reader.uint64Number()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.node`,
                  value: reader.string()
                }
                break
              }
              case 4: {
                yield {
                  field: `${prefix}.value`,
                  value: reader.bytes()
                }
                break
              }
              case 5: {
                yield {
                  field: `${prefix}.deleted`,
                  value: reader.bool()
                }
                break
              }
              case 6: {
                yield {
                  field: `${prefix}.origin`,
                  value: reader.string()
                }
                break
              }
              case 7: {
                yield {
                  field: `${prefix}.seq`,
                  value: reader.uint64Number()
                }
                break
              }
              case 8: {
                yield {
                  field: `${prefix}.time`,
                  value: reader.double()
                }
                break
              }
              case 9: {
                yield {
                  field: `${prefix}.sig`,
                  value: reader.bytes()
                }
                break
              }
              case 10: {
                if (opts.limits?.deps != null && obj.deps === opts.limits.deps) {
                  throw new MaxLengthError('Streaming decode error - repeated field "deps" had too many elements')
                }

                for (const evt of GossipFrame.Dep.codec().stream(reader, reader.uint32(), `${prefix}.deps[]`, {
                  limits: opts.limits?.deps$
                })) {
                  yield {
                    ...evt,
                    index: obj.deps
                  }
                }

                obj.deps++

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

    export interface MapEntryKeyFieldEvent {
      field: '$.key'
      value: string
    }

    export interface MapEntryLamportFieldEvent {
      field: '$.lamport'
      value: number
    }

    export interface MapEntryNodeFieldEvent {
      field: '$.node'
      value: string
    }

    export interface MapEntryValueFieldEvent {
      field: '$.value'
      value: Uint8Array<ArrayBuffer>
    }

    export interface MapEntryDeletedFieldEvent {
      field: '$.deleted'
      value: boolean
    }

    export interface MapEntryOriginFieldEvent {
      field: '$.origin'
      value: string
    }

    export interface MapEntrySeqFieldEvent {
      field: '$.seq'
      value: number
    }

    export interface MapEntryTimeFieldEvent {
      field: '$.time'
      value: number
    }

    export interface MapEntrySigFieldEvent {
      field: '$.sig'
      value: Uint8Array<ArrayBuffer>
    }

    export interface MapEntryDepsOriginFieldEvent {
      field: '$.deps[].origin'
      value: string
      index: number
    }

    export interface MapEntryDepsSeqFieldEvent {
      field: '$.deps[].seq'
      value: number
      index: number
    }

    export function encode (obj: Partial<MapEntry>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, MapEntry.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MapEntry>): MapEntry {
      return decodeMessage(buf, MapEntry.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MapEntry>): Generator<MapEntryKeyFieldEvent | MapEntryLamportFieldEvent | MapEntryNodeFieldEvent | MapEntryValueFieldEvent | MapEntryDeletedFieldEvent | MapEntryOriginFieldEvent | MapEntrySeqFieldEvent | MapEntryTimeFieldEvent | MapEntrySigFieldEvent | MapEntryDepsOriginFieldEvent | MapEntryDepsSeqFieldEvent> {
      return streamMessage(buf, MapEntry.codec(), opts)
    }
  }

  export interface Descriptor {
    id: string
    addrs: string[]
    age: number
  }

  export namespace Descriptor {
    let _codec: Codec<Descriptor>

    export const codec = (): Codec<Descriptor> => {
      if (_codec == null) {
        _codec = message<Descriptor>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.id != null && obj.id !== '')) {
            w.uint32(10)
            w.string(obj.id)
          }

          if (obj.addrs != null && obj.addrs.length > 0) {
            for (const value of obj.addrs) {
              w.uint32(18)
              w.string(value)
            }
          }

          if ((obj.age != null && obj.age !== 0)) {
            w.uint32(24)
            w.uint32(obj.age)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            id: '',
            addrs: [],
            age: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.id = reader.string()
                break
              }
              case 2: {
                if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                  throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
                }

                obj.addrs.push(reader.string())
                break
              }
              case 3: {
                obj.age = reader.uint32()
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
          const obj = {
            addrs: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.id`,
                  value: reader.string()
                }
                break
              }
              case 2: {
                if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                  throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
                }

                yield {
                  field: `${prefix}.addrs[]`,
                  index: obj.addrs,
                  value: reader.string()
                }

                obj.addrs++

                break
              }
              case 3: {
                yield {
                  field: `${prefix}.age`,
                  value: reader.uint32()
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

    export interface DescriptorIdFieldEvent {
      field: '$.id'
      value: string
    }

    export interface DescriptorAddrsFieldEvent {
      field: '$.addrs[]'
      index: number
      value: string
    }

    export interface DescriptorAgeFieldEvent {
      field: '$.age'
      value: number
    }

    export function encode (obj: Partial<Descriptor>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Descriptor.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Descriptor>): Descriptor {
      return decodeMessage(buf, Descriptor.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Descriptor>): Generator<DescriptorIdFieldEvent | DescriptorAddrsFieldEvent | DescriptorAgeFieldEvent> {
      return streamMessage(buf, Descriptor.codec(), opts)
    }
  }

  let _codec: Codec<GossipFrame>

  export const codec = (): Codec<GossipFrame> => {
    if (_codec == null) {
      _codec = message<GossipFrame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __TypeValues[obj.type] !== 0) {
          w.uint32(8)
          GossipFrame.Type.codec().encode(obj.type, w)
        }

        if (obj.updates != null && obj.updates.length > 0) {
          for (const value of obj.updates) {
            w.uint32(18)
            GossipFrame.Update.codec().encode(value, w)
          }
        }

        if ((obj.pull != null && obj.pull !== false)) {
          w.uint32(24)
          w.bool(obj.pull)
        }

        if (obj.known != null && obj.known.length > 0) {
          for (const value of obj.known) {
            w.uint32(34)
            GossipFrame.Dep.codec().encode(value, w)
          }
        }

        if ((obj.aeMode != null && obj.aeMode !== 0)) {
          w.uint32(40)
          w.uint32(obj.aeMode)
        }

        if (obj.digest != null && obj.digest.length > 0) {
          for (const value of obj.digest) {
            w.uint32(50)
            GossipFrame.DigestEntry.codec().encode(value, w)
          }
        }

        if ((obj.hasDigest != null && obj.hasDigest !== false)) {
          w.uint32(56)
          w.bool(obj.hasDigest)
        }

        if ((obj.mapSum != null && obj.mapSum !== 0)) {
          w.uint32(64)
          w.uint32(obj.mapSum)
        }

        if (obj.entries != null && obj.entries.length > 0) {
          for (const value of obj.entries) {
            w.uint32(74)
            GossipFrame.MapEntry.codec().encode(value, w)
          }
        }

        if ((obj.hasEntries != null && obj.hasEntries !== false)) {
          w.uint32(80)
          w.bool(obj.hasEntries)
        }

        if ((obj.origin != null && obj.origin !== '')) {
          w.uint32(90)
          w.string(obj.origin)
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(96)
          w.uint64Number(obj.seq)
        }

        if (obj.data != null) {
          w.uint32(106)
          w.bytes(obj.data)
        }

        if (obj.peers != null && obj.peers.length > 0) {
          for (const value of obj.peers) {
            w.uint32(114)
            GossipFrame.Descriptor.codec().encode(value, w)
          }
        }

        if (obj.fresh != null && obj.fresh.length > 0) {
          for (const value of obj.fresh) {
            w.uint32(122)
            GossipFrame.Dep.codec().encode(value, w)
          }
        }

        if ((obj.sum != null && obj.sum !== 0)) {
          w.uint32(128)
          w.uint64Number(obj.sum)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: Type.RUMOR,
          updates: [],
          pull: false,
          known: [],
          aeMode: 0,
          digest: [],
          hasDigest: false,
          mapSum: 0,
          entries: [],
          hasEntries: false,
          origin: '',
          seq: 0,
          peers: [],
          fresh: [],
          sum: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = GossipFrame.Type.codec().decode(reader)
              break
            }
            case 2: {
              if (opts.limits?.updates != null && obj.updates.length === opts.limits.updates) {
                throw new MaxLengthError('Decode error - repeated field "updates" had too many elements')
              }

              obj.updates.push(GossipFrame.Update.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.updates$
              }))
              break
            }
            case 3: {
              obj.pull = reader.bool()
              break
            }
            case 4: {
              if (opts.limits?.known != null && obj.known.length === opts.limits.known) {
                throw new MaxLengthError('Decode error - repeated field "known" had too many elements')
              }

              obj.known.push(GossipFrame.Dep.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.known$
              }))
              break
            }
            case 5: {
              obj.aeMode = reader.uint32()
              break
            }
            case 6: {
              if (opts.limits?.digest != null && obj.digest.length === opts.limits.digest) {
                throw new MaxLengthError('Decode error - repeated field "digest" had too many elements')
              }

              obj.digest.push(GossipFrame.DigestEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.digest$
              }))
              break
            }
            case 7: {
              obj.hasDigest = reader.bool()
              break
            }
            case 8: {
              obj.mapSum = reader.uint32()
              break
            }
            case 9: {
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - repeated field "entries" had too many elements')
              }

              obj.entries.push(GossipFrame.MapEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entries$
              }))
              break
            }
            case 10: {
              obj.hasEntries = reader.bool()
              break
            }
            case 11: {
              obj.origin = reader.string()
              break
            }
            case 12: {
              obj.seq = reader.uint64Number()
              break
            }
            case 13: {
              obj.data = reader.bytes()
              break
            }
            case 14: {
              if (opts.limits?.peers != null && obj.peers.length === opts.limits.peers) {
                throw new MaxLengthError('Decode error - repeated field "peers" had too many elements')
              }

              obj.peers.push(GossipFrame.Descriptor.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.peers$
              }))
              break
            }
            case 15: {
              if (opts.limits?.fresh != null && obj.fresh.length === opts.limits.fresh) {
                throw new MaxLengthError('Decode error - repeated field "fresh" had too many elements')
              }

              obj.fresh.push(GossipFrame.Dep.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fresh$
              }))
              break
            }
            case 16: {
              obj.sum = reader.uint64Number()
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
        const obj = {
          updates: 0,
          known: 0,
          digest: 0,
          entries: 0,
          peers: 0,
          fresh: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: GossipFrame.Type.codec().decode(reader)
              }
              break
            }
            case 2: {
              if (opts.limits?.updates != null && obj.updates === opts.limits.updates) {
                throw new MaxLengthError('Streaming decode error - repeated field "updates" had too many elements')
              }

              for (const evt of GossipFrame.Update.codec().stream(reader, reader.uint32(), `${prefix}.updates[]`, {
                limits: opts.limits?.updates$
              })) {
                yield {
                  ...evt,
                  index: obj.updates
                }
              }

              obj.updates++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.pull`,
                value: reader.bool()
              }
              break
            }
            case 4: {
              if (opts.limits?.known != null && obj.known === opts.limits.known) {
                throw new MaxLengthError('Streaming decode error - repeated field "known" had too many elements')
              }

              for (const evt of GossipFrame.Dep.codec().stream(reader, reader.uint32(), `${prefix}.known[]`, {
                limits: opts.limits?.known$
              })) {
                yield {
                  ...evt,
                  index: obj.known
                }
              }

              obj.known++

              break
            }
            case 5: {
              yield {
                field: `${prefix}.aeMode`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              if (opts.limits?.digest != null && obj.digest === opts.limits.digest) {
                throw new MaxLengthError('Streaming decode error - repeated field "digest" had too many elements')
              }

              for (const evt of GossipFrame.DigestEntry.codec().stream(reader, reader.uint32(), `${prefix}.digest[]`, {
                limits: opts.limits?.digest$
              })) {
                yield {
                  ...evt,
                  index: obj.digest
                }
              }

              obj.digest++

              break
            }
            case 7: {
              yield {
                field: `${prefix}.hasDigest`,
                value: reader.bool()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.mapSum`,
                value: reader.uint32()
              }
              break
            }
            case 9: {
              if (opts.limits?.entries != null && obj.entries === opts.limits.entries) {
                throw new MaxLengthError('Streaming decode error - repeated field "entries" had too many elements')
              }

              for (const evt of GossipFrame.MapEntry.codec().stream(reader, reader.uint32(), `${prefix}.entries[]`, {
                limits: opts.limits?.entries$
              })) {
                yield {
                  ...evt,
                  index: obj.entries
                }
              }

              obj.entries++

              break
            }
            case 10: {
              yield {
                field: `${prefix}.hasEntries`,
                value: reader.bool()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.origin`,
                value: reader.string()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64Number()
              }
              break
            }
            case 13: {
              yield {
                field: `${prefix}.data`,
                value: reader.bytes()
              }
              break
            }
            case 14: {
              if (opts.limits?.peers != null && obj.peers === opts.limits.peers) {
                throw new MaxLengthError('Streaming decode error - repeated field "peers" had too many elements')
              }

              for (const evt of GossipFrame.Descriptor.codec().stream(reader, reader.uint32(), `${prefix}.peers[]`, {
                limits: opts.limits?.peers$
              })) {
                yield {
                  ...evt,
                  index: obj.peers
                }
              }

              obj.peers++

              break
            }
            case 15: {
              if (opts.limits?.fresh != null && obj.fresh === opts.limits.fresh) {
                throw new MaxLengthError('Streaming decode error - repeated field "fresh" had too many elements')
              }

              for (const evt of GossipFrame.Dep.codec().stream(reader, reader.uint32(), `${prefix}.fresh[]`, {
                limits: opts.limits?.fresh$
              })) {
                yield {
                  ...evt,
                  index: obj.fresh
                }
              }

              obj.fresh++

              break
            }
            case 16: {
              yield {
                field: `${prefix}.sum`,
                value: reader.uint64Number()
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

  export interface GossipFrameTypeFieldEvent {
    field: '$.type'
    value: GossipFrame.Type
  }

  export interface GossipFrameUpdatesOriginFieldEvent {
    field: '$.updates[].origin'
    value: string
    index: number
  }

  export interface GossipFrameUpdatesSeqFieldEvent {
    field: '$.updates[].seq'
    value: number
    index: number
  }

  export interface GossipFrameUpdatesTimeFieldEvent {
    field: '$.updates[].time'
    value: number
    index: number
  }

  export interface GossipFrameUpdatesKindFieldEvent {
    field: '$.updates[].kind'
    value: number
    index: number
  }

  export interface GossipFrameUpdatesTopicFieldEvent {
    field: '$.updates[].topic'
    value: string
    index: number
  }

  export interface GossipFrameUpdatesKeyFieldEvent {
    field: '$.updates[].key'
    value: string
    index: number
  }

  export interface GossipFrameUpdatesLamportFieldEvent {
    field: '$.updates[].lamport'
    value: number
    index: number
  }

  export interface GossipFrameUpdatesDataFieldEvent {
    field: '$.updates[].data'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GossipFrameUpdatesHashFieldEvent {
    field: '$.updates[].hash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GossipFrameUpdatesSizeFieldEvent {
    field: '$.updates[].size'
    value: number
    index: number
  }

  export interface GossipFrameUpdatesDepsOriginFieldEvent {
    field: '$.updates[].deps[].origin'
    value: string
    index: number
  }

  export interface GossipFrameUpdatesDepsSeqFieldEvent {
    field: '$.updates[].deps[].seq'
    value: number
    index: number
  }

  export interface GossipFrameUpdatesSigFieldEvent {
    field: '$.updates[].sig'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GossipFramePullFieldEvent {
    field: '$.pull'
    value: boolean
  }

  export interface GossipFrameKnownOriginFieldEvent {
    field: '$.known[].origin'
    value: string
    index: number
  }

  export interface GossipFrameKnownSeqFieldEvent {
    field: '$.known[].seq'
    value: number
    index: number
  }

  export interface GossipFrameAeModeFieldEvent {
    field: '$.aeMode'
    value: number
  }

  export interface GossipFrameDigestOriginFieldEvent {
    field: '$.digest[].origin'
    value: string
    index: number
  }

  export interface GossipFrameDigestWatermarkFieldEvent {
    field: '$.digest[].watermark'
    value: number
    index: number
  }

  export interface GossipFrameDigestExtraFieldEvent {
    field: '$.digest[].extra[]'
    index: number
    value: number
  }

  export interface GossipFrameHasDigestFieldEvent {
    field: '$.hasDigest'
    value: boolean
  }

  export interface GossipFrameMapSumFieldEvent {
    field: '$.mapSum'
    value: number
  }

  export interface GossipFrameEntriesKeyFieldEvent {
    field: '$.entries[].key'
    value: string
    index: number
  }

  export interface GossipFrameEntriesLamportFieldEvent {
    field: '$.entries[].lamport'
    value: number
    index: number
  }

  export interface GossipFrameEntriesNodeFieldEvent {
    field: '$.entries[].node'
    value: string
    index: number
  }

  export interface GossipFrameEntriesValueFieldEvent {
    field: '$.entries[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GossipFrameEntriesDeletedFieldEvent {
    field: '$.entries[].deleted'
    value: boolean
    index: number
  }

  export interface GossipFrameEntriesOriginFieldEvent {
    field: '$.entries[].origin'
    value: string
    index: number
  }

  export interface GossipFrameEntriesSeqFieldEvent {
    field: '$.entries[].seq'
    value: number
    index: number
  }

  export interface GossipFrameEntriesTimeFieldEvent {
    field: '$.entries[].time'
    value: number
    index: number
  }

  export interface GossipFrameEntriesSigFieldEvent {
    field: '$.entries[].sig'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GossipFrameEntriesDepsOriginFieldEvent {
    field: '$.entries[].deps[].origin'
    value: string
    index: number
  }

  export interface GossipFrameEntriesDepsSeqFieldEvent {
    field: '$.entries[].deps[].seq'
    value: number
    index: number
  }

  export interface GossipFrameHasEntriesFieldEvent {
    field: '$.hasEntries'
    value: boolean
  }

  export interface GossipFrameOriginFieldEvent {
    field: '$.origin'
    value: string
  }

  export interface GossipFrameSeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface GossipFrameDataFieldEvent {
    field: '$.data'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GossipFramePeersIdFieldEvent {
    field: '$.peers[].id'
    value: string
    index: number
  }

  export interface GossipFramePeersAddrsFieldEvent {
    field: '$.peers[].addrs[]'
    index: number
    value: string
  }

  export interface GossipFramePeersAgeFieldEvent {
    field: '$.peers[].age'
    value: number
    index: number
  }

  export interface GossipFrameFreshOriginFieldEvent {
    field: '$.fresh[].origin'
    value: string
    index: number
  }

  export interface GossipFrameFreshSeqFieldEvent {
    field: '$.fresh[].seq'
    value: number
    index: number
  }

  export interface GossipFrameSumFieldEvent {
    field: '$.sum'
    value: number
  }

  export function encode (obj: Partial<GossipFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GossipFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GossipFrame>): GossipFrame {
    return decodeMessage(buf, GossipFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GossipFrame>): Generator<GossipFrameTypeFieldEvent | GossipFrameUpdatesOriginFieldEvent | GossipFrameUpdatesSeqFieldEvent | GossipFrameUpdatesTimeFieldEvent | GossipFrameUpdatesKindFieldEvent | GossipFrameUpdatesTopicFieldEvent | GossipFrameUpdatesKeyFieldEvent | GossipFrameUpdatesLamportFieldEvent | GossipFrameUpdatesDataFieldEvent | GossipFrameUpdatesHashFieldEvent | GossipFrameUpdatesSizeFieldEvent | GossipFrameUpdatesDepsOriginFieldEvent | GossipFrameUpdatesDepsSeqFieldEvent | GossipFrameUpdatesSigFieldEvent | GossipFramePullFieldEvent | GossipFrameKnownOriginFieldEvent | GossipFrameKnownSeqFieldEvent | GossipFrameAeModeFieldEvent | GossipFrameDigestOriginFieldEvent | GossipFrameDigestWatermarkFieldEvent | GossipFrameDigestExtraFieldEvent | GossipFrameHasDigestFieldEvent | GossipFrameMapSumFieldEvent | GossipFrameEntriesKeyFieldEvent | GossipFrameEntriesLamportFieldEvent | GossipFrameEntriesNodeFieldEvent | GossipFrameEntriesValueFieldEvent | GossipFrameEntriesDeletedFieldEvent | GossipFrameEntriesOriginFieldEvent | GossipFrameEntriesSeqFieldEvent | GossipFrameEntriesTimeFieldEvent | GossipFrameEntriesSigFieldEvent | GossipFrameEntriesDepsOriginFieldEvent | GossipFrameEntriesDepsSeqFieldEvent | GossipFrameHasEntriesFieldEvent | GossipFrameOriginFieldEvent | GossipFrameSeqFieldEvent | GossipFrameDataFieldEvent | GossipFramePeersIdFieldEvent | GossipFramePeersAddrsFieldEvent | GossipFramePeersAgeFieldEvent | GossipFrameFreshOriginFieldEvent | GossipFrameFreshSeqFieldEvent | GossipFrameSumFieldEvent> {
    return streamMessage(buf, GossipFrame.codec(), opts)
  }
}
