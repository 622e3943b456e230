import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface ChordNode {
  peer: string
  vnode: number
  id: Uint8Array<ArrayBuffer>
  addrs: string[]
}

export namespace ChordNode {
  let _codec: Codec<ChordNode>

  export const codec = (): Codec<ChordNode> => {
    if (_codec == null) {
      _codec = message<ChordNode>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peer != null && obj.peer !== '')) {
          w.uint32(10)
          w.string(obj.peer)
        }

        if ((obj.vnode != null && obj.vnode !== 0)) {
          w.uint32(16)
          w.uint32(obj.vnode)
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.id)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(34)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peer: '',
          vnode: 0,
          id: uint8ArrayAlloc(0),
          addrs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peer = reader.string()
              break
            }
            case 2: {
              obj.vnode = reader.uint32()
              break
            }
            case 3: {
              obj.id = reader.bytes()
              break
            }
            case 4: {
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
                field: `${prefix}.peer`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.vnode`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
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

  export interface ChordNodePeerFieldEvent {
    field: '$.peer'
    value: string
  }

  export interface ChordNodeVnodeFieldEvent {
    field: '$.vnode'
    value: number
  }

  export interface ChordNodeIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChordNodeAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<ChordNode>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChordNode.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChordNode>): ChordNode {
    return decodeMessage(buf, ChordNode.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChordNode>): Generator<ChordNodePeerFieldEvent | ChordNodeVnodeFieldEvent | ChordNodeIdFieldEvent | ChordNodeAddrsFieldEvent> {
    return streamMessage(buf, ChordNode.codec(), opts)
  }
}

export interface ChordProvider {
  peer: string
  addrs: string[]
  expires: number
}

export namespace ChordProvider {
  let _codec: Codec<ChordProvider>

  export const codec = (): Codec<ChordProvider> => {
    if (_codec == null) {
      _codec = message<ChordProvider>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peer != null && obj.peer !== '')) {
          w.uint32(10)
          w.string(obj.peer)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(18)
            w.string(value)
          }
        }

        if ((obj.expires != null && obj.expires !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.expires)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peer: '',
          addrs: [],
          expires: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peer = reader.string()
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
              obj.expires = reader.uint64Number()
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
                field: `${prefix}.peer`,
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
                field: `${prefix}.expires`,
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

  export interface ChordProviderPeerFieldEvent {
    field: '$.peer'
    value: string
  }

  export interface ChordProviderAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: string
  }

  export interface ChordProviderExpiresFieldEvent {
    field: '$.expires'
    value: number
  }

  export function encode (obj: Partial<ChordProvider>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChordProvider.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChordProvider>): ChordProvider {
    return decodeMessage(buf, ChordProvider.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChordProvider>): Generator<ChordProviderPeerFieldEvent | ChordProviderAddrsFieldEvent | ChordProviderExpiresFieldEvent> {
    return streamMessage(buf, ChordProvider.codec(), opts)
  }
}

export interface ChordItem {
  key: Uint8Array<ArrayBuffer>
  kind: number
  version: number
  value?: Uint8Array<ArrayBuffer>
  deleted: boolean
  providers: ChordProvider[]
}

export namespace ChordItem {
  let _codec: Codec<ChordItem>

  export const codec = (): Codec<ChordItem> => {
    if (_codec == null) {
      _codec = message<ChordItem>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if ((obj.kind != null && obj.kind !== 0)) {
          w.uint32(16)
          w.uint32(obj.kind)
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.version)
        }

        if (obj.value != null) {
          w.uint32(34)
          w.bytes(obj.value)
        }

        if ((obj.deleted != null && obj.deleted !== false)) {
          w.uint32(40)
          w.bool(obj.deleted)
        }

        if (obj.providers != null && obj.providers.length > 0) {
          for (const value of obj.providers) {
            w.uint32(50)
            ChordProvider.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          kind: 0,
          version: 0,
          deleted: false,
          providers: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.kind = reader.uint32()
              break
            }
            case 3: {
              obj.version = reader.uint64Number()
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
              if (opts.limits?.providers != null && obj.providers.length === opts.limits.providers) {
                throw new MaxLengthError('Decode error - repeated field "providers" had too many elements')
              }

              obj.providers.push(ChordProvider.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.providers$
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
          providers: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.kind`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint64Number()
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
              if (opts.limits?.providers != null && obj.providers === opts.limits.providers) {
                throw new MaxLengthError('Streaming decode error - repeated field "providers" had too many elements')
              }

              for (const evt of ChordProvider.codec().stream(reader, reader.uint32(), `${prefix}.providers[]`, {
                limits: opts.limits?.providers$
              })) {
                yield {
                  ...evt,
                  index: obj.providers
                }
              }

              obj.providers++

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

  export interface ChordItemKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChordItemKindFieldEvent {
    field: '$.kind'
    value: number
  }

  export interface ChordItemVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface ChordItemValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChordItemDeletedFieldEvent {
    field: '$.deleted'
    value: boolean
  }

  export interface ChordItemProvidersPeerFieldEvent {
    field: '$.providers[].peer'
    value: string
    index: number
  }

  export interface ChordItemProvidersAddrsFieldEvent {
    field: '$.providers[].addrs[]'
    index: number
    value: string
  }

  export interface ChordItemProvidersExpiresFieldEvent {
    field: '$.providers[].expires'
    value: number
    index: number
  }

  export function encode (obj: Partial<ChordItem>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChordItem.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChordItem>): ChordItem {
    return decodeMessage(buf, ChordItem.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChordItem>): Generator<ChordItemKeyFieldEvent | ChordItemKindFieldEvent | ChordItemVersionFieldEvent | ChordItemValueFieldEvent | ChordItemDeletedFieldEvent | ChordItemProvidersPeerFieldEvent | ChordItemProvidersAddrsFieldEvent | ChordItemProvidersExpiresFieldEvent> {
    return streamMessage(buf, ChordItem.codec(), opts)
  }
}

export interface ChordFrame {
  type: ChordFrame.Type
  req: number
  key: Uint8Array<ArrayBuffer>
  flag: boolean
  vnode: number
  hops: number
  kind: number
  node?: ChordNode
  nodes: ChordNode[]
  path: ChordNode[]
  items: ChordItem[]
  origin: string
  originAddrs: string[]
  op: string
  error: string
  keys: Uint8Array<ArrayBuffer>[]
  kinds: number[]
  versions: number[]
  pred?: ChordNode
  exclude: string[]
  lo: Uint8Array<ArrayBuffer>
  hi: Uint8Array<ArrayBuffer>
}

export namespace ChordFrame {
  export enum Type {
    FIND = 'FIND',
    NEXT = 'NEXT',
    RFIND = 'RFIND',
    RDONE = 'RDONE',
    GET_PRED = 'GET_PRED',
    PRED = 'PRED',
    NOTIFY = 'NOTIFY',
    PING = 'PING',
    PONG = 'PONG',
    LEAVE = 'LEAVE',
    STORE = 'STORE',
    STORED = 'STORED',
    FETCH = 'FETCH',
    FETCHED = 'FETCHED',
    DIGEST = 'DIGEST',
    WANT = 'WANT',
    ITEMS = 'ITEMS'
  }

  enum __TypeValues {
    FIND = 0,
    NEXT = 1,
    RFIND = 2,
    RDONE = 3,
    GET_PRED = 4,
    PRED = 5,
    NOTIFY = 6,
    PING = 7,
    PONG = 8,
    LEAVE = 9,
    STORE = 10,
    STORED = 11,
    FETCH = 12,
    FETCHED = 13,
    DIGEST = 14,
    WANT = 15,
    ITEMS = 16
  }

  export namespace Type {
    export const codec = (): Codec<Type> => {
      return enumeration<Type>(__TypeValues)
    }
  }

  let _codec: Codec<ChordFrame>

  export const codec = (): Codec<ChordFrame> => {
    if (_codec == null) {
      _codec = message<ChordFrame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __TypeValues[obj.type] !== 0) {
          w.uint32(8)
          ChordFrame.Type.codec().encode(obj.type, w)
        }

        if ((obj.req != null && obj.req !== 0)) {
          w.uint32(16)
          w.uint32(obj.req)
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.key)
        }

        if ((obj.flag != null && obj.flag !== false)) {
          w.uint32(32)
          w.bool(obj.flag)
        }

        if ((obj.vnode != null && obj.vnode !== 0)) {
          w.uint32(40)
          w.uint32(obj.vnode)
        }

        if ((obj.hops != null && obj.hops !== 0)) {
          w.uint32(48)
          w.uint32(obj.hops)
        }

        if ((obj.kind != null && obj.kind !== 0)) {
          w.uint32(56)
          w.uint32(obj.kind)
        }

        if (obj.node != null) {
          w.uint32(66)
          ChordNode.codec().encode(obj.node, w)
        }

        if (obj.nodes != null && obj.nodes.length > 0) {
          for (const value of obj.nodes) {
            w.uint32(74)
            ChordNode.codec().encode(value, w)
          }
        }

        if (obj.path != null && obj.path.length > 0) {
          for (const value of obj.path) {
            w.uint32(82)
            ChordNode.codec().encode(value, w)
          }
        }

        if (obj.items != null && obj.items.length > 0) {
          for (const value of obj.items) {
            w.uint32(90)
            ChordItem.codec().encode(value, w)
          }
        }

        if ((obj.origin != null && obj.origin !== '')) {
          w.uint32(98)
          w.string(obj.origin)
        }

        if (obj.originAddrs != null && obj.originAddrs.length > 0) {
          for (const value of obj.originAddrs) {
            w.uint32(106)
            w.string(value)
          }
        }

        if ((obj.op != null && obj.op !== '')) {
          w.uint32(114)
          w.string(obj.op)
        }

        if ((obj.error != null && obj.error !== '')) {
          w.uint32(122)
          w.string(obj.error)
        }

        if (obj.keys != null && obj.keys.length > 0) {
          for (const value of obj.keys) {
            w.uint32(130)
            w.bytes(value)
          }
        }

        if (obj.kinds != null && obj.kinds.length > 0) {
          for (const value of obj.kinds) {
            w.uint32(136)
            w.uint32(value)
          }
        }

        if (obj.versions != null && obj.versions.length > 0) {
          for (const value of obj.versions) {
            w.uint32(144)
            w.uint64Number(value)
          }
        }

        if (obj.pred != null) {
          w.uint32(154)
          ChordNode.codec().encode(obj.pred, w)
        }

        if (obj.exclude != null && obj.exclude.length > 0) {
          for (const value of obj.exclude) {
            w.uint32(162)
            w.string(value)
          }
        }

        if ((obj.lo != null && obj.lo.byteLength > 0)) {
          w.uint32(170)
          w.bytes(obj.lo)
        }

        if ((obj.hi != null && obj.hi.byteLength > 0)) {
          w.uint32(178)
          w.bytes(obj.hi)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: Type.FIND,
          req: 0,
          key: uint8ArrayAlloc(0),
          flag: false,
          vnode: 0,
          hops: 0,
          kind: 0,
          nodes: [],
          path: [],
          items: [],
          origin: '',
          originAddrs: [],
          op: '',
          error: '',
          keys: [],
          kinds: [],
          versions: [],
          exclude: [],
          lo: uint8ArrayAlloc(0),
          hi: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = ChordFrame.Type.codec().decode(reader)
              break
            }
            case 2: {
              obj.req = reader.uint32()
              break
            }
            case 3: {
              obj.key = reader.bytes()
              break
            }
            case 4: {
              obj.flag = reader.bool()
              break
            }
            case 5: {
              obj.vnode = reader.uint32()
              break
            }
            case 6: {
              obj.hops = reader.uint32()
              break
            }
            case 7: {
              obj.kind = reader.uint32()
              break
            }
            case 8: {
              obj.node = ChordNode.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.node
              })
              break
            }
            case 9: {
              if (opts.limits?.nodes != null && obj.nodes.length === opts.limits.nodes) {
                throw new MaxLengthError('Decode error - repeated field "nodes" had too many elements')
              }

              obj.nodes.push(ChordNode.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.nodes$
              }))
              break
            }
            case 10: {
              if (opts.limits?.path != null && obj.path.length === opts.limits.path) {
                throw new MaxLengthError('Decode error - repeated field "path" had too many elements')
              }

              obj.path.push(ChordNode.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.path$
              }))
              break
            }
            case 11: {
              if (opts.limits?.items != null && obj.items.length === opts.limits.items) {
                throw new MaxLengthError('Decode error - repeated field "items" had too many elements')
              }

              obj.items.push(ChordItem.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.items$
              }))
              break
            }
            case 12: {
              obj.origin = reader.string()
              break
            }
            case 13: {
              if (opts.limits?.originAddrs != null && obj.originAddrs.length === opts.limits.originAddrs) {
                throw new MaxLengthError('Decode error - repeated field "originAddrs" had too many elements')
              }

              obj.originAddrs.push(reader.string())
              break
            }
            case 14: {
              obj.op = reader.string()
              break
            }
            case 15: {
              obj.error = reader.string()
              break
            }
            case 16: {
              if (opts.limits?.keys != null && obj.keys.length === opts.limits.keys) {
                throw new MaxLengthError('Decode error - repeated field "keys" had too many elements')
              }

              obj.keys.push(reader.bytes())
              break
            }
            case 17: {
              if (opts.limits?.kinds != null && obj.kinds.length === opts.limits.kinds) {
                throw new MaxLengthError('Decode error - repeated field "kinds" had too many elements')
              }

              obj.kinds.push(reader.uint32())
              break
            }
            case 18: {
              if (opts.limits?.versions != null && obj.versions.length === opts.limits.versions) {
                throw new MaxLengthError('Decode error - repeated field "versions" had too many elements')
              }

              obj.versions.push(reader.uint64Number())
              break
            }
            case 19: {
              obj.pred = ChordNode.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.pred
              })
              break
            }
            case 20: {
              if (opts.limits?.exclude != null && obj.exclude.length === opts.limits.exclude) {
                throw new MaxLengthError('Decode error - repeated field "exclude" had too many elements')
              }

              obj.exclude.push(reader.string())
              break
            }
            case 21: {
              obj.lo = reader.bytes()
              break
            }
            case 22: {
              obj.hi = reader.bytes()
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
          nodes: 0,
          path: 0,
          items: 0,
          originAddrs: 0,
          keys: 0,
          kinds: 0,
          versions: 0,
          exclude: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: ChordFrame.Type.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.req`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.flag`,
                value: reader.bool()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.vnode`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.hops`,
                value: reader.uint32()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.kind`,
                value: reader.uint32()
              }
              break
            }
            case 8: {
              yield * ChordNode.codec().stream(reader, reader.uint32(), `${prefix}.node`, {
                limits: opts.limits?.node
              })

              break
            }
            case 9: {
              if (opts.limits?.nodes != null && obj.nodes === opts.limits.nodes) {
                throw new MaxLengthError('Streaming decode error - repeated field "nodes" had too many elements')
              }

              for (const evt of ChordNode.codec().stream(reader, reader.uint32(), `${prefix}.nodes[]`, {
                limits: opts.limits?.nodes$
              })) {
                yield {
                  ...evt,
                  index: obj.nodes
                }
              }

              obj.nodes++

              break
            }
            case 10: {
              if (opts.limits?.path != null && obj.path === opts.limits.path) {
                throw new MaxLengthError('Streaming decode error - repeated field "path" had too many elements')
              }

              for (const evt of ChordNode.codec().stream(reader, reader.uint32(), `${prefix}.path[]`, {
                limits: opts.limits?.path$
              })) {
                yield {
                  ...evt,
                  index: obj.path
                }
              }

              obj.path++

              break
            }
            case 11: {
              if (opts.limits?.items != null && obj.items === opts.limits.items) {
                throw new MaxLengthError('Streaming decode error - repeated field "items" had too many elements')
              }

              for (const evt of ChordItem.codec().stream(reader, reader.uint32(), `${prefix}.items[]`, {
                limits: opts.limits?.items$
              })) {
                yield {
                  ...evt,
                  index: obj.items
                }
              }

              obj.items++

              break
            }
            case 12: {
              yield {
                field: `${prefix}.origin`,
                value: reader.string()
              }
              break
            }
            case 13: {
              if (opts.limits?.originAddrs != null && obj.originAddrs === opts.limits.originAddrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "originAddrs" had too many elements')
              }

              yield {
                field: `${prefix}.originAddrs[]`,
                index: obj.originAddrs,
                value: reader.string()
              }

              obj.originAddrs++

              break
            }
            case 14: {
              yield {
                field: `${prefix}.op`,
                value: reader.string()
              }
              break
            }
            case 15: {
              yield {
                field: `${prefix}.error`,
                value: reader.string()
              }
              break
            }
            case 16: {
              if (opts.limits?.keys != null && obj.keys === opts.limits.keys) {
                throw new MaxLengthError('Streaming decode error - repeated field "keys" had too many elements')
              }

              yield {
                field: `${prefix}.keys[]`,
                index: obj.keys,
                value: reader.bytes()
              }

              obj.keys++

              break
            }
            case 17: {
              if (opts.limits?.kinds != null && obj.kinds === opts.limits.kinds) {
                throw new MaxLengthError('Streaming decode error - repeated field "kinds" had too many elements')
              }

              yield {
                field: `${prefix}.kinds[]`,
                index: obj.kinds,
                value: reader.uint32()
              }

              obj.kinds++

              break
            }
            case 18: {
              if (opts.limits?.versions != null && obj.versions === opts.limits.versions) {
                throw new MaxLengthError('Streaming decode error - repeated field "versions" had too many elements')
              }

              yield {
                field: `${prefix}.versions[]`,
                index: obj.versions,
                value: reader.uint64Number()
              }

              obj.versions++

              break
            }
            case 19: {
              yield * ChordNode.codec().stream(reader, reader.uint32(), `${prefix}.pred`, {
                limits: opts.limits?.pred
              })

              break
            }
            case 20: {
              if (opts.limits?.exclude != null && obj.exclude === opts.limits.exclude) {
                throw new MaxLengthError('Streaming decode error - repeated field "exclude" had too many elements')
              }

              yield {
                field: `${prefix}.exclude[]`,
                index: obj.exclude,
                value: reader.string()
              }

              obj.exclude++

              break
            }
            case 21: {
              yield {
                field: `${prefix}.lo`,
                value: reader.bytes()
              }
              break
            }
            case 22: {
              yield {
                field: `${prefix}.hi`,
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

  export interface ChordFrameTypeFieldEvent {
    field: '$.type'
    value: ChordFrame.Type
  }

  export interface ChordFrameReqFieldEvent {
    field: '$.req'
    value: number
  }

  export interface ChordFrameKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChordFrameFlagFieldEvent {
    field: '$.flag'
    value: boolean
  }

  export interface ChordFrameVnodeFieldEvent {
    field: '$.vnode'
    value: number
  }

  export interface ChordFrameHopsFieldEvent {
    field: '$.hops'
    value: number
  }

  export interface ChordFrameKindFieldEvent {
    field: '$.kind'
    value: number
  }

  export interface ChordFrameNodePeerFieldEvent {
    field: '$.node.peer'
    value: string
  }

  export interface ChordFrameNodeVnodeFieldEvent {
    field: '$.node.vnode'
    value: number
  }

  export interface ChordFrameNodeIdFieldEvent {
    field: '$.node.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChordFrameNodeAddrsFieldEvent {
    field: '$.node.addrs[]'
    index: number
    value: string
  }

  export interface ChordFrameNodesPeerFieldEvent {
    field: '$.nodes[].peer'
    value: string
    index: number
  }

  export interface ChordFrameNodesVnodeFieldEvent {
    field: '$.nodes[].vnode'
    value: number
    index: number
  }

  export interface ChordFrameNodesIdFieldEvent {
    field: '$.nodes[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ChordFrameNodesAddrsFieldEvent {
    field: '$.nodes[].addrs[]'
    index: number
    value: string
  }

  export interface ChordFramePathPeerFieldEvent {
    field: '$.path[].peer'
    value: string
    index: number
  }

  export interface ChordFramePathVnodeFieldEvent {
    field: '$.path[].vnode'
    value: number
    index: number
  }

  export interface ChordFramePathIdFieldEvent {
    field: '$.path[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ChordFramePathAddrsFieldEvent {
    field: '$.path[].addrs[]'
    index: number
    value: string
  }

  export interface ChordFrameItemsKeyFieldEvent {
    field: '$.items[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ChordFrameItemsKindFieldEvent {
    field: '$.items[].kind'
    value: number
    index: number
  }

  export interface ChordFrameItemsVersionFieldEvent {
    field: '$.items[].version'
    value: number
    index: number
  }

  export interface ChordFrameItemsValueFieldEvent {
    field: '$.items[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ChordFrameItemsDeletedFieldEvent {
    field: '$.items[].deleted'
    value: boolean
    index: number
  }

  export interface ChordFrameItemsProvidersPeerFieldEvent {
    field: '$.items[].providers[].peer'
    value: string
    index: number
  }

  export interface ChordFrameItemsProvidersAddrsFieldEvent {
    field: '$.items[].providers[].addrs[]'
    index: number
    value: string
  }

  export interface ChordFrameItemsProvidersExpiresFieldEvent {
    field: '$.items[].providers[].expires'
    value: number
    index: number
  }

  export interface ChordFrameOriginFieldEvent {
    field: '$.origin'
    value: string
  }

  export interface ChordFrameOriginAddrsFieldEvent {
    field: '$.originAddrs[]'
    index: number
    value: string
  }

  export interface ChordFrameOpFieldEvent {
    field: '$.op'
    value: string
  }

  export interface ChordFrameErrorFieldEvent {
    field: '$.error'
    value: string
  }

  export interface ChordFrameKeysFieldEvent {
    field: '$.keys[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChordFrameKindsFieldEvent {
    field: '$.kinds[]'
    index: number
    value: number
  }

  export interface ChordFrameVersionsFieldEvent {
    field: '$.versions[]'
    index: number
    value: number
  }

  export interface ChordFramePredPeerFieldEvent {
    field: '$.pred.peer'
    value: string
  }

  export interface ChordFramePredVnodeFieldEvent {
    field: '$.pred.vnode'
    value: number
  }

  export interface ChordFramePredIdFieldEvent {
    field: '$.pred.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChordFramePredAddrsFieldEvent {
    field: '$.pred.addrs[]'
    index: number
    value: string
  }

  export interface ChordFrameExcludeFieldEvent {
    field: '$.exclude[]'
    index: number
    value: string
  }

  export interface ChordFrameLoFieldEvent {
    field: '$.lo'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChordFrameHiFieldEvent {
    field: '$.hi'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ChordFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChordFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChordFrame>): ChordFrame {
    return decodeMessage(buf, ChordFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChordFrame>): Generator<ChordFrameTypeFieldEvent | ChordFrameReqFieldEvent | ChordFrameKeyFieldEvent | ChordFrameFlagFieldEvent | ChordFrameVnodeFieldEvent | ChordFrameHopsFieldEvent | ChordFrameKindFieldEvent | ChordFrameNodePeerFieldEvent | ChordFrameNodeVnodeFieldEvent | ChordFrameNodeIdFieldEvent | ChordFrameNodeAddrsFieldEvent | ChordFrameNodesPeerFieldEvent | ChordFrameNodesVnodeFieldEvent | ChordFrameNodesIdFieldEvent | ChordFrameNodesAddrsFieldEvent | ChordFramePathPeerFieldEvent | ChordFramePathVnodeFieldEvent | ChordFramePathIdFieldEvent | ChordFramePathAddrsFieldEvent | ChordFrameItemsKeyFieldEvent | ChordFrameItemsKindFieldEvent | ChordFrameItemsVersionFieldEvent | ChordFrameItemsValueFieldEvent | ChordFrameItemsDeletedFieldEvent | ChordFrameItemsProvidersPeerFieldEvent | ChordFrameItemsProvidersAddrsFieldEvent | ChordFrameItemsProvidersExpiresFieldEvent | ChordFrameOriginFieldEvent | ChordFrameOriginAddrsFieldEvent | ChordFrameOpFieldEvent | ChordFrameErrorFieldEvent | ChordFrameKeysFieldEvent | ChordFrameKindsFieldEvent | ChordFrameVersionsFieldEvent | ChordFramePredPeerFieldEvent | ChordFramePredVnodeFieldEvent | ChordFramePredIdFieldEvent | ChordFramePredAddrsFieldEvent | ChordFrameExcludeFieldEvent | ChordFrameLoFieldEvent | ChordFrameHiFieldEvent> {
    return streamMessage(buf, ChordFrame.codec(), opts)
  }
}
