import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface PeerPB {
  id: string
  addrs: string[]
}

export namespace PeerPB {
  let _codec: Codec<PeerPB>

  export const codec = (): Codec<PeerPB> => {
    if (_codec == null) {
      _codec = message<PeerPB>((obj, w, opts = {}) => {
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

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: '',
          addrs: []
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

  export interface PeerPBIdFieldEvent {
    field: '$.id'
    value: string
  }

  export interface PeerPBAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<PeerPB>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PeerPB.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerPB>): PeerPB {
    return decodeMessage(buf, PeerPB.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerPB>): Generator<PeerPBIdFieldEvent | PeerPBAddrsFieldEvent> {
    return streamMessage(buf, PeerPB.codec(), opts)
  }
}

export interface SupernodePB {
  peer?: PeerPB
  capacity: number
  leaves: number
  room: boolean
}

export namespace SupernodePB {
  let _codec: Codec<SupernodePB>

  export const codec = (): Codec<SupernodePB> => {
    if (_codec == null) {
      _codec = message<SupernodePB>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.peer != null) {
          w.uint32(10)
          PeerPB.codec().encode(obj.peer, w)
        }

        if ((obj.capacity != null && obj.capacity !== 0)) {
          w.uint32(16)
          w.uint32(obj.capacity)
        }

        if ((obj.leaves != null && obj.leaves !== 0)) {
          w.uint32(24)
          w.uint32(obj.leaves)
        }

        if ((obj.room != null && obj.room !== false)) {
          w.uint32(32)
          w.bool(obj.room)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          capacity: 0,
          leaves: 0,
          room: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peer = PeerPB.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.peer
              })
              break
            }
            case 2: {
              obj.capacity = reader.uint32()
              break
            }
            case 3: {
              obj.leaves = reader.uint32()
              break
            }
            case 4: {
              obj.room = reader.bool()
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
              yield * PeerPB.codec().stream(reader, reader.uint32(), `${prefix}.peer`, {
                limits: opts.limits?.peer
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.capacity`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.leaves`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.room`,
                value: reader.bool()
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

  export interface SupernodePBPeerIdFieldEvent {
    field: '$.peer.id'
    value: string
  }

  export interface SupernodePBPeerAddrsFieldEvent {
    field: '$.peer.addrs[]'
    index: number
    value: string
  }

  export interface SupernodePBCapacityFieldEvent {
    field: '$.capacity'
    value: number
  }

  export interface SupernodePBLeavesFieldEvent {
    field: '$.leaves'
    value: number
  }

  export interface SupernodePBRoomFieldEvent {
    field: '$.room'
    value: boolean
  }

  export function encode (obj: Partial<SupernodePB>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SupernodePB.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SupernodePB>): SupernodePB {
    return decodeMessage(buf, SupernodePB.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SupernodePB>): Generator<SupernodePBPeerIdFieldEvent | SupernodePBPeerAddrsFieldEvent | SupernodePBCapacityFieldEvent | SupernodePBLeavesFieldEvent | SupernodePBRoomFieldEvent> {
    return streamMessage(buf, SupernodePB.codec(), opts)
  }
}

export interface CandidatePB {
  peer?: PeerPB
  capacity: number
}

export namespace CandidatePB {
  let _codec: Codec<CandidatePB>

  export const codec = (): Codec<CandidatePB> => {
    if (_codec == null) {
      _codec = message<CandidatePB>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.peer != null) {
          w.uint32(10)
          PeerPB.codec().encode(obj.peer, w)
        }

        if ((obj.capacity != null && obj.capacity !== 0)) {
          w.uint32(16)
          w.uint32(obj.capacity)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          capacity: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peer = PeerPB.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.peer
              })
              break
            }
            case 2: {
              obj.capacity = reader.uint32()
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
              yield * PeerPB.codec().stream(reader, reader.uint32(), `${prefix}.peer`, {
                limits: opts.limits?.peer
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.capacity`,
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

  export interface CandidatePBPeerIdFieldEvent {
    field: '$.peer.id'
    value: string
  }

  export interface CandidatePBPeerAddrsFieldEvent {
    field: '$.peer.addrs[]'
    index: number
    value: string
  }

  export interface CandidatePBCapacityFieldEvent {
    field: '$.capacity'
    value: number
  }

  export function encode (obj: Partial<CandidatePB>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CandidatePB.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CandidatePB>): CandidatePB {
    return decodeMessage(buf, CandidatePB.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CandidatePB>): Generator<CandidatePBPeerIdFieldEvent | CandidatePBPeerAddrsFieldEvent | CandidatePBCapacityFieldEvent> {
    return streamMessage(buf, CandidatePB.codec(), opts)
  }
}

export interface FilePB {
  name: string
  size: bigint
  hash: string
  keywords: string[]
}

export namespace FilePB {
  let _codec: Codec<FilePB>

  export const codec = (): Codec<FilePB> => {
    if (_codec == null) {
      _codec = message<FilePB>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(16)
          w.uint64(obj.size)
        }

        if ((obj.hash != null && obj.hash !== '')) {
          w.uint32(26)
          w.string(obj.hash)
        }

        if (obj.keywords != null && obj.keywords.length > 0) {
          for (const value of obj.keywords) {
            w.uint32(34)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: '',
          size: 0n,
          hash: '',
          keywords: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
              break
            }
            case 2: {
              obj.size = reader.uint64()
              break
            }
            case 3: {
              obj.hash = reader.string()
              break
            }
            case 4: {
              if (opts.limits?.keywords != null && obj.keywords.length === opts.limits.keywords) {
                throw new MaxLengthError('Decode error - repeated field "keywords" had too many elements')
              }

              obj.keywords.push(reader.string())
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
          keywords: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.hash`,
                value: reader.string()
              }
              break
            }
            case 4: {
              if (opts.limits?.keywords != null && obj.keywords === opts.limits.keywords) {
                throw new MaxLengthError('Streaming decode error - repeated field "keywords" had too many elements')
              }

              yield {
                field: `${prefix}.keywords[]`,
                index: obj.keywords,
                value: reader.string()
              }

              obj.keywords++

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

  export interface FilePBNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface FilePBSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface FilePBHashFieldEvent {
    field: '$.hash'
    value: string
  }

  export interface FilePBKeywordsFieldEvent {
    field: '$.keywords[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<FilePB>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FilePB.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FilePB>): FilePB {
    return decodeMessage(buf, FilePB.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FilePB>): Generator<FilePBNameFieldEvent | FilePBSizeFieldEvent | FilePBHashFieldEvent | FilePBKeywordsFieldEvent> {
    return streamMessage(buf, FilePB.codec(), opts)
  }
}

export interface HitPB {
  peer?: PeerPB
  via?: PeerPB
  firewalled: boolean
  name: string
  size: bigint
  hash: string
}

export namespace HitPB {
  let _codec: Codec<HitPB>

  export const codec = (): Codec<HitPB> => {
    if (_codec == null) {
      _codec = message<HitPB>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.peer != null) {
          w.uint32(10)
          PeerPB.codec().encode(obj.peer, w)
        }

        if (obj.via != null) {
          w.uint32(18)
          PeerPB.codec().encode(obj.via, w)
        }

        if ((obj.firewalled != null && obj.firewalled !== false)) {
          w.uint32(24)
          w.bool(obj.firewalled)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(34)
          w.string(obj.name)
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(40)
          w.uint64(obj.size)
        }

        if ((obj.hash != null && obj.hash !== '')) {
          w.uint32(50)
          w.string(obj.hash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          firewalled: false,
          name: '',
          size: 0n,
          hash: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peer = PeerPB.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.peer
              })
              break
            }
            case 2: {
              obj.via = PeerPB.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.via
              })
              break
            }
            case 3: {
              obj.firewalled = reader.bool()
              break
            }
            case 4: {
              obj.name = reader.string()
              break
            }
            case 5: {
              obj.size = reader.uint64()
              break
            }
            case 6: {
              obj.hash = reader.string()
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
              yield * PeerPB.codec().stream(reader, reader.uint32(), `${prefix}.peer`, {
                limits: opts.limits?.peer
              })

              break
            }
            case 2: {
              yield * PeerPB.codec().stream(reader, reader.uint32(), `${prefix}.via`, {
                limits: opts.limits?.via
              })

              break
            }
            case 3: {
              yield {
                field: `${prefix}.firewalled`,
                value: reader.bool()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.hash`,
                value: reader.string()
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

  export interface HitPBPeerIdFieldEvent {
    field: '$.peer.id'
    value: string
  }

  export interface HitPBPeerAddrsFieldEvent {
    field: '$.peer.addrs[]'
    index: number
    value: string
  }

  export interface HitPBViaIdFieldEvent {
    field: '$.via.id'
    value: string
  }

  export interface HitPBViaAddrsFieldEvent {
    field: '$.via.addrs[]'
    index: number
    value: string
  }

  export interface HitPBFirewalledFieldEvent {
    field: '$.firewalled'
    value: boolean
  }

  export interface HitPBNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface HitPBSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface HitPBHashFieldEvent {
    field: '$.hash'
    value: string
  }

  export function encode (obj: Partial<HitPB>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, HitPB.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HitPB>): HitPB {
    return decodeMessage(buf, HitPB.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HitPB>): Generator<HitPBPeerIdFieldEvent | HitPBPeerAddrsFieldEvent | HitPBViaIdFieldEvent | HitPBViaAddrsFieldEvent | HitPBFirewalledFieldEvent | HitPBNameFieldEvent | HitPBSizeFieldEvent | HitPBHashFieldEvent> {
    return streamMessage(buf, HitPB.codec(), opts)
  }
}

export interface FramePB {
  type: number
  capacity: number
  role: number
  leaves: number
  flag: boolean
  eid: number
  supernodes: SupernodePB[]
  candidates: CandidatePB[]
  files: FilePB[]
  hashes: string[]
  qid: Uint8Array<ArrayBuffer>
  ttl: number
  hops: number
  text: string
  hits: HitPB[]
  winner?: SupernodePB
  target: string
  requester?: PeerPB
  hash: string
  token: string
  reason: string
  ids: string[]
  addrs: string[]
}

export namespace FramePB {
  let _codec: Codec<FramePB>

  export const codec = (): Codec<FramePB> => {
    if (_codec == null) {
      _codec = message<FramePB>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.type != null && obj.type !== 0)) {
          w.uint32(8)
          w.uint32(obj.type)
        }

        if ((obj.capacity != null && obj.capacity !== 0)) {
          w.uint32(16)
          w.uint32(obj.capacity)
        }

        if ((obj.role != null && obj.role !== 0)) {
          w.uint32(24)
          w.uint32(obj.role)
        }

        if ((obj.leaves != null && obj.leaves !== 0)) {
          w.uint32(32)
          w.uint32(obj.leaves)
        }

        if ((obj.flag != null && obj.flag !== false)) {
          w.uint32(40)
          w.bool(obj.flag)
        }

        if ((obj.eid != null && obj.eid !== 0)) {
          w.uint32(48)
          w.uint32(obj.eid)
        }

        if (obj.supernodes != null && obj.supernodes.length > 0) {
          for (const value of obj.supernodes) {
            w.uint32(58)
            SupernodePB.codec().encode(value, w)
          }
        }

        if (obj.candidates != null && obj.candidates.length > 0) {
          for (const value of obj.candidates) {
            w.uint32(66)
            CandidatePB.codec().encode(value, w)
          }
        }

        if (obj.files != null && obj.files.length > 0) {
          for (const value of obj.files) {
            w.uint32(74)
            FilePB.codec().encode(value, w)
          }
        }

        if (obj.hashes != null && obj.hashes.length > 0) {
          for (const value of obj.hashes) {
            w.uint32(82)
            w.string(value)
          }
        }

        if ((obj.qid != null && obj.qid.byteLength > 0)) {
          w.uint32(90)
          w.bytes(obj.qid)
        }

        if ((obj.ttl != null && obj.ttl !== 0)) {
          w.uint32(96)
          w.uint32(obj.ttl)
        }

        if ((obj.hops != null && obj.hops !== 0)) {
          w.uint32(104)
          w.uint32(obj.hops)
        }

        if ((obj.text != null && obj.text !== '')) {
          w.uint32(114)
          w.string(obj.text)
        }

        if (obj.hits != null && obj.hits.length > 0) {
          for (const value of obj.hits) {
            w.uint32(122)
            HitPB.codec().encode(value, w)
          }
        }

        if (obj.winner != null) {
          w.uint32(130)
          SupernodePB.codec().encode(obj.winner, w)
        }

        if ((obj.target != null && obj.target !== '')) {
          w.uint32(138)
          w.string(obj.target)
        }

        if (obj.requester != null) {
          w.uint32(146)
          PeerPB.codec().encode(obj.requester, w)
        }

        if ((obj.hash != null && obj.hash !== '')) {
          w.uint32(154)
          w.string(obj.hash)
        }

        if ((obj.token != null && obj.token !== '')) {
          w.uint32(162)
          w.string(obj.token)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(170)
          w.string(obj.reason)
        }

        if (obj.ids != null && obj.ids.length > 0) {
          for (const value of obj.ids) {
            w.uint32(178)
            w.string(value)
          }
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(186)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: 0,
          capacity: 0,
          role: 0,
          leaves: 0,
          flag: false,
          eid: 0,
          supernodes: [],
          candidates: [],
          files: [],
          hashes: [],
          qid: uint8ArrayAlloc(0),
          ttl: 0,
          hops: 0,
          text: '',
          hits: [],
          target: '',
          hash: '',
          token: '',
          reason: '',
          ids: [],
          addrs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = reader.uint32()
              break
            }
            case 2: {
              obj.capacity = reader.uint32()
              break
            }
            case 3: {
              obj.role = reader.uint32()
              break
            }
            case 4: {
              obj.leaves = reader.uint32()
              break
            }
            case 5: {
              obj.flag = reader.bool()
              break
            }
            case 6: {
              obj.eid = reader.uint32()
              break
            }
            case 7: {
              if (opts.limits?.supernodes != null && obj.supernodes.length === opts.limits.supernodes) {
                throw new MaxLengthError('Decode error - repeated field "supernodes" had too many elements')
              }

              obj.supernodes.push(SupernodePB.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.supernodes$
              }))
              break
            }
            case 8: {
              if (opts.limits?.candidates != null && obj.candidates.length === opts.limits.candidates) {
                throw new MaxLengthError('Decode error - repeated field "candidates" had too many elements')
              }

              obj.candidates.push(CandidatePB.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.candidates$
              }))
              break
            }
            case 9: {
              if (opts.limits?.files != null && obj.files.length === opts.limits.files) {
                throw new MaxLengthError('Decode error - repeated field "files" had too many elements')
              }

              obj.files.push(FilePB.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.files$
              }))
              break
            }
            case 10: {
              if (opts.limits?.hashes != null && obj.hashes.length === opts.limits.hashes) {
                throw new MaxLengthError('Decode error - repeated field "hashes" had too many elements')
              }

              obj.hashes.push(reader.string())
              break
            }
            case 11: {
              obj.qid = reader.bytes()
              break
            }
            case 12: {
              obj.ttl = reader.uint32()
              break
            }
            case 13: {
              obj.hops = reader.uint32()
              break
            }
            case 14: {
              obj.text = reader.string()
              break
            }
            case 15: {
              if (opts.limits?.hits != null && obj.hits.length === opts.limits.hits) {
                throw new MaxLengthError('Decode error - repeated field "hits" had too many elements')
              }

              obj.hits.push(HitPB.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.hits$
              }))
              break
            }
            case 16: {
              obj.winner = SupernodePB.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.winner
              })
              break
            }
            case 17: {
              obj.target = reader.string()
              break
            }
            case 18: {
              obj.requester = PeerPB.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.requester
              })
              break
            }
            case 19: {
              obj.hash = reader.string()
              break
            }
            case 20: {
              obj.token = reader.string()
              break
            }
            case 21: {
              obj.reason = reader.string()
              break
            }
            case 22: {
              if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
              }

              obj.ids.push(reader.string())
              break
            }
            case 23: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.string())
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
          supernodes: 0,
          candidates: 0,
          files: 0,
          hashes: 0,
          hits: 0,
          ids: 0,
          addrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.capacity`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.role`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.leaves`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.flag`,
                value: reader.bool()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.eid`,
                value: reader.uint32()
              }
              break
            }
            case 7: {
              if (opts.limits?.supernodes != null && obj.supernodes === opts.limits.supernodes) {
                throw new MaxLengthError('Streaming decode error - repeated field "supernodes" had too many elements')
              }

              for (const evt of SupernodePB.codec().stream(reader, reader.uint32(), `${prefix}.supernodes[]`, {
                limits: opts.limits?.supernodes$
              })) {
                yield {
                  ...evt,
                  index: obj.supernodes
                }
              }

              obj.supernodes++

              break
            }
            case 8: {
              if (opts.limits?.candidates != null && obj.candidates === opts.limits.candidates) {
                throw new MaxLengthError('Streaming decode error - repeated field "candidates" had too many elements')
              }

              for (const evt of CandidatePB.codec().stream(reader, reader.uint32(), `${prefix}.candidates[]`, {
                limits: opts.limits?.candidates$
              })) {
                yield {
                  ...evt,
                  index: obj.candidates
                }
              }

              obj.candidates++

              break
            }
            case 9: {
              if (opts.limits?.files != null && obj.files === opts.limits.files) {
                throw new MaxLengthError('Streaming decode error - repeated field "files" had too many elements')
              }

              for (const evt of FilePB.codec().stream(reader, reader.uint32(), `${prefix}.files[]`, {
                limits: opts.limits?.files$
              })) {
                yield {
                  ...evt,
                  index: obj.files
                }
              }

              obj.files++

              break
            }
            case 10: {
              if (opts.limits?.hashes != null && obj.hashes === opts.limits.hashes) {
                throw new MaxLengthError('Streaming decode error - repeated field "hashes" had too many elements')
              }

              yield {
                field: `${prefix}.hashes[]`,
                index: obj.hashes,
                value: reader.string()
              }

              obj.hashes++

              break
            }
            case 11: {
              yield {
                field: `${prefix}.qid`,
                value: reader.bytes()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.ttl`,
                value: reader.uint32()
              }
              break
            }
            case 13: {
              yield {
                field: `${prefix}.hops`,
                value: reader.uint32()
              }
              break
            }
            case 14: {
              yield {
                field: `${prefix}.text`,
                value: reader.string()
              }
              break
            }
            case 15: {
              if (opts.limits?.hits != null && obj.hits === opts.limits.hits) {
                throw new MaxLengthError('Streaming decode error - repeated field "hits" had too many elements')
              }

              for (const evt of HitPB.codec().stream(reader, reader.uint32(), `${prefix}.hits[]`, {
                limits: opts.limits?.hits$
              })) {
                yield {
                  ...evt,
                  index: obj.hits
                }
              }

              obj.hits++

              break
            }
            case 16: {
              yield * SupernodePB.codec().stream(reader, reader.uint32(), `${prefix}.winner`, {
                limits: opts.limits?.winner
              })

              break
            }
            case 17: {
              yield {
                field: `${prefix}.target`,
                value: reader.string()
              }
              break
            }
            case 18: {
              yield * PeerPB.codec().stream(reader, reader.uint32(), `${prefix}.requester`, {
                limits: opts.limits?.requester
              })

              break
            }
            case 19: {
              yield {
                field: `${prefix}.hash`,
                value: reader.string()
              }
              break
            }
            case 20: {
              yield {
                field: `${prefix}.token`,
                value: reader.string()
              }
              break
            }
            case 21: {
              yield {
                field: `${prefix}.reason`,
                value: reader.string()
              }
              break
            }
            case 22: {
              if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
              }

              yield {
                field: `${prefix}.ids[]`,
                index: obj.ids,
                value: reader.string()
              }

              obj.ids++

              break
            }
            case 23: {
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

  export interface FramePBTypeFieldEvent {
    field: '$.type'
    value: number
  }

  export interface FramePBCapacityFieldEvent {
    field: '$.capacity'
    value: number
  }

  export interface FramePBRoleFieldEvent {
    field: '$.role'
    value: number
  }

  export interface FramePBLeavesFieldEvent {
    field: '$.leaves'
    value: number
  }

  export interface FramePBFlagFieldEvent {
    field: '$.flag'
    value: boolean
  }

  export interface FramePBEidFieldEvent {
    field: '$.eid'
    value: number
  }

  export interface FramePBSupernodesPeerIdFieldEvent {
    field: '$.supernodes[].peer.id'
    value: string
    index: number
  }

  export interface FramePBSupernodesPeerAddrsFieldEvent {
    field: '$.supernodes[].peer.addrs[]'
    index: number
    value: string
  }

  export interface FramePBSupernodesCapacityFieldEvent {
    field: '$.supernodes[].capacity'
    value: number
    index: number
  }

  export interface FramePBSupernodesLeavesFieldEvent {
    field: '$.supernodes[].leaves'
    value: number
    index: number
  }

  export interface FramePBSupernodesRoomFieldEvent {
    field: '$.supernodes[].room'
    value: boolean
    index: number
  }

  export interface FramePBCandidatesPeerIdFieldEvent {
    field: '$.candidates[].peer.id'
    value: string
    index: number
  }

  export interface FramePBCandidatesPeerAddrsFieldEvent {
    field: '$.candidates[].peer.addrs[]'
    index: number
    value: string
  }

  export interface FramePBCandidatesCapacityFieldEvent {
    field: '$.candidates[].capacity'
    value: number
    index: number
  }

  export interface FramePBFilesNameFieldEvent {
    field: '$.files[].name'
    value: string
    index: number
  }

  export interface FramePBFilesSizeFieldEvent {
    field: '$.files[].size'
    value: bigint
    index: number
  }

  export interface FramePBFilesHashFieldEvent {
    field: '$.files[].hash'
    value: string
    index: number
  }

  export interface FramePBFilesKeywordsFieldEvent {
    field: '$.files[].keywords[]'
    index: number
    value: string
  }

  export interface FramePBHashesFieldEvent {
    field: '$.hashes[]'
    index: number
    value: string
  }

  export interface FramePBQidFieldEvent {
    field: '$.qid'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FramePBTtlFieldEvent {
    field: '$.ttl'
    value: number
  }

  export interface FramePBHopsFieldEvent {
    field: '$.hops'
    value: number
  }

  export interface FramePBTextFieldEvent {
    field: '$.text'
    value: string
  }

  export interface FramePBHitsPeerIdFieldEvent {
    field: '$.hits[].peer.id'
    value: string
    index: number
  }

  export interface FramePBHitsPeerAddrsFieldEvent {
    field: '$.hits[].peer.addrs[]'
    index: number
    value: string
  }

  export interface FramePBHitsViaIdFieldEvent {
    field: '$.hits[].via.id'
    value: string
    index: number
  }

  export interface FramePBHitsViaAddrsFieldEvent {
    field: '$.hits[].via.addrs[]'
    index: number
    value: string
  }

  export interface FramePBHitsFirewalledFieldEvent {
    field: '$.hits[].firewalled'
    value: boolean
    index: number
  }

  export interface FramePBHitsNameFieldEvent {
    field: '$.hits[].name'
    value: string
    index: number
  }

  export interface FramePBHitsSizeFieldEvent {
    field: '$.hits[].size'
    value: bigint
    index: number
  }

  export interface FramePBHitsHashFieldEvent {
    field: '$.hits[].hash'
    value: string
    index: number
  }

  export interface FramePBWinnerPeerIdFieldEvent {
    field: '$.winner.peer.id'
    value: string
  }

  export interface FramePBWinnerPeerAddrsFieldEvent {
    field: '$.winner.peer.addrs[]'
    index: number
    value: string
  }

  export interface FramePBWinnerCapacityFieldEvent {
    field: '$.winner.capacity'
    value: number
  }

  export interface FramePBWinnerLeavesFieldEvent {
    field: '$.winner.leaves'
    value: number
  }

  export interface FramePBWinnerRoomFieldEvent {
    field: '$.winner.room'
    value: boolean
  }

  export interface FramePBTargetFieldEvent {
    field: '$.target'
    value: string
  }

  export interface FramePBRequesterIdFieldEvent {
    field: '$.requester.id'
    value: string
  }

  export interface FramePBRequesterAddrsFieldEvent {
    field: '$.requester.addrs[]'
    index: number
    value: string
  }

  export interface FramePBHashFieldEvent {
    field: '$.hash'
    value: string
  }

  export interface FramePBTokenFieldEvent {
    field: '$.token'
    value: string
  }

  export interface FramePBReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export interface FramePBIdsFieldEvent {
    field: '$.ids[]'
    index: number
    value: string
  }

  export interface FramePBAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<FramePB>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FramePB.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FramePB>): FramePB {
    return decodeMessage(buf, FramePB.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FramePB>): Generator<FramePBTypeFieldEvent | FramePBCapacityFieldEvent | FramePBRoleFieldEvent | FramePBLeavesFieldEvent | FramePBFlagFieldEvent | FramePBEidFieldEvent | FramePBSupernodesPeerIdFieldEvent | FramePBSupernodesPeerAddrsFieldEvent | FramePBSupernodesCapacityFieldEvent | FramePBSupernodesLeavesFieldEvent | FramePBSupernodesRoomFieldEvent | FramePBCandidatesPeerIdFieldEvent | FramePBCandidatesPeerAddrsFieldEvent | FramePBCandidatesCapacityFieldEvent | FramePBFilesNameFieldEvent | FramePBFilesSizeFieldEvent | FramePBFilesHashFieldEvent | FramePBFilesKeywordsFieldEvent | FramePBHashesFieldEvent | FramePBQidFieldEvent | FramePBTtlFieldEvent | FramePBHopsFieldEvent | FramePBTextFieldEvent | FramePBHitsPeerIdFieldEvent | FramePBHitsPeerAddrsFieldEvent | FramePBHitsViaIdFieldEvent | FramePBHitsViaAddrsFieldEvent | FramePBHitsFirewalledFieldEvent | FramePBHitsNameFieldEvent | FramePBHitsSizeFieldEvent | FramePBHitsHashFieldEvent | FramePBWinnerPeerIdFieldEvent | FramePBWinnerPeerAddrsFieldEvent | FramePBWinnerCapacityFieldEvent | FramePBWinnerLeavesFieldEvent | FramePBWinnerRoomFieldEvent | FramePBTargetFieldEvent | FramePBRequesterIdFieldEvent | FramePBRequesterAddrsFieldEvent | FramePBHashFieldEvent | FramePBTokenFieldEvent | FramePBReasonFieldEvent | FramePBIdsFieldEvent | FramePBAddrsFieldEvent> {
    return streamMessage(buf, FramePB.codec(), opts)
  }
}
