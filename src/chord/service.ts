/**
 * The live Chord service: `createLibp2p({ services: { chord: chord({ ... }) } })`. It wraps the
 * machine (run by the OverlayDriver over real streams) in promises with AbortSignal support, and
 * offers KeyValue, ContentRouting (overlaykit's and libp2p's own `contentRouting`) and lookups.
 */
import { contentRoutingSymbol, type AbortOptions, type PeerId, type Provider } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { ContentRouting, KeyValue, LookupResult } from '../overlay/capabilities.js'
import { InvalidArgumentError } from '../overlay/errors.js'
import { hashToId, idToHex, utf8 } from '../overlay/ids.js'
import type { PeerRef } from '../overlay/types.js'
import { OverlayService, toPeerRef, type ServiceInit } from '../runtime/libp2p/service.js'
import type { OverlayComponents } from '../runtime/libp2p/components.js'
import * as kv from './kv.js'
import type { LookupOutcome } from './lookup.js'
import type { ChordMachine } from './machine.js'
import type { ChordMessage } from './messages.js'
import { nodeHex } from './node.js'
import type { ChordOptions } from './options.js'
import type { RecordNamespace } from './records.js'
import { chordSpecFor } from './spec.js'

export interface ChordInit extends ChordOptions, ServiceInit {}

export interface ChordLookupResult extends LookupResult {
  /** The owner's ring id (hex, m/4 digits) and vnode index. */
  ownerId: string
  ownerVnode: number
  /** The owner's successors (replica holders), as hex ids. */
  successors: string[]
}

export interface LookupProgress { type: 'chord:lookup:hop', node: string, hops: number }

export interface ChordLookupOptions {
  signal?: AbortSignal
  onProgress?: (e: LookupProgress) => void
  /** @default the service's verifyOwner option */
  verifyOwner?: boolean
}

export interface RingInfo {
  vnodes: Array<{ vnode: number, id: string, predecessor?: string, successors: string[], fingers: number }>
  routingEntries: number
  items: number
}

type KeyLike = Uint8Array | string | bigint

export class ChordService extends OverlayService<ChordMessage, ChordOptions, ChordMachine> implements KeyValue, ContentRouting {
  private readonly bits: number

  constructor (components: OverlayComponents, init: ChordInit = {}) {
    const bits = init.bits ?? 160
    super(components, chordSpecFor(bits), { ...init, bootstrap: (init.bootstrap ?? []).map(b => toPeerRef(b)) }, init, ['@overlaykit/content-routing', '@libp2p/content-routing'])
    this.bits = bits
  }

  /** Ring position of a key: bigints are used as is; bytes and strings are hashed. */
  keyId (key: KeyLike): bigint {
    if (typeof key === 'bigint') {
      if (key < 0n || key >= (1n << BigInt(this.bits))) throw new InvalidArgumentError('ring id out of range')
      return key
    }
    return hashToId(typeof key === 'string' ? utf8(key) : key, this.bits)
  }

  /** Join the ring through a peer (PeerRef, peer id string or multiaddr with /p2p/). */
  async join (peer: PeerRef | string | { toString (): string }, options: { signal?: AbortSignal } = {}): Promise<void> {
    const ref = toPeerRef(peer)
    if (ref.addrs !== undefined && ref.addrs.length > 0) await this.connect(ref, options)
    await this.op<void>((m, done) => {
      m.join(ref)
      const off = this.onEvent(e => {
        if (e.type === 'chord:joined') { off(); done(null) }
      })
      return off
    }, options.signal)
  }

  async lookup (key: KeyLike, options: ChordLookupOptions = {}): Promise<ChordLookupResult> {
    const id = this.keyId(key)
    const res = await this.op<LookupOutcome>((m, done) => m.lookup({
      key: id,
      verifyOwner: options.verifyOwner,
      onHop: options.onProgress === undefined ? undefined : (n, hops) => options.onProgress?.({ type: 'chord:lookup:hop', node: nodeHex(n, this.bits), hops })
    }, done), options.signal)
    return {
      key: idToHex(id, this.bits),
      owner: res.owner.ref.addrs !== undefined ? { id: res.owner.peer, addrs: [...res.owner.ref.addrs] } : { id: res.owner.peer },
      ownerId: nodeHex(res.owner, this.bits),
      ownerVnode: res.owner.vnode,
      successors: res.owners.slice(1).map(n => nodeHex(n, this.bits)),
      path: res.path.map(n => nodeHex(n, this.bits)),
      hops: res.hops,
      messages: res.messages,
      bytes: 0,
      timeouts: res.timeouts,
      latencyMs: res.latencyMs
    }
  }

  async put (key: Uint8Array | string, value: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.op<void>((m, done) => kv.put(m, key, value, done), options.signal)
  }

  async get (key: Uint8Array | string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    return await this.op<Uint8Array>((m, done) => kv.get(m, key, done), options.signal)
  }

  /**
   * Store `value` under this node's key and `name` (a BEP 44-style signed record: only this node can
   * write it, every replica and reader verifies it). Returns the key, for `get` or `getSigned`.
   */
  async putSigned (name: Uint8Array | string, value: Uint8Array, options: { signal?: AbortSignal } & kv.PutSignedOptions = {}): Promise<Uint8Array> {
    return await this.op<Uint8Array>((m, done) => kv.putSigned(m, name, value, done, options), options.signal)
  }

  /** `author`'s signed record under `name`, verified before it is returned. */
  async getSigned (author: string | { toString (): string }, name: Uint8Array | string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    return await this.op<Uint8Array>((m, done) => kv.getSigned(m, author.toString(), name, done), options.signal)
  }

  /** Store an immutable value; its key is `/imm/` ‖ SHA-256(value). Returns the key. */
  async putImmutable (value: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    return await this.op<Uint8Array>((m, done) => kv.putImmutable(m, value, done), options.signal)
  }

  /** Register an application namespace (validator and selector) for keys `/<name>/…`. */
  registerNamespace (name: string, ns: RecordNamespace): void {
    this.machine.kv.adm.namespaces.register(name, ns)
  }

  async delete (key: Uint8Array | string, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.op<void>((m, done) => kv.del(m, key, done), options.signal)
  }

  async provide (key: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.op<void>((m, done) => kv.provide(m, key, done), options.signal)
  }

  async * findProviders (key: Uint8Array, options: { signal?: AbortSignal, limit?: number } = {}): AsyncIterable<PeerRef> {
    const list = await this.op<Array<{ peer: string, addrs: string[] }>>((m, done) => kv.findProviders(m, key, done), options.signal)
    let n = 0
    for (const p of list) {
      if (options.limit !== undefined && n++ >= options.limit) return
      yield p.addrs.length > 0 ? { id: p.peer, addrs: p.addrs } : { id: p.peer }
    }
  }

  /** This host's routing state, for inspection. */
  ring (): RingInfo {
    const m = this.machine
    return {
      vnodes: m.vnodes.map(v => ({
        vnode: v.self.vnode,
        id: nodeHex(v.self, this.bits),
        predecessor: v.pred === undefined ? undefined : nodeHex(v.pred, this.bits),
        successors: v.succs.map(s => nodeHex(s, this.bits)),
        fingers: new Set(v.fingers.filter(f => f !== undefined).map(f => f.tag)).size
      })),
      routingEntries: m.routingEntries(),
      items: m.store.size
    }
  }

  /** libp2p's ContentRouting, so `libp2p.contentRouting` can use Chord (keys: the CID's multihash). */
  get [contentRoutingSymbol] (): { provide: (cid: CidLike, o?: AbortOptions) => Promise<void>, cancelReprovide: (cid: CidLike) => Promise<void>, findProviders: (cid: CidLike, o?: AbortOptions) => AsyncIterable<Provider>, put: (k: Uint8Array, v: Uint8Array, o?: AbortOptions) => Promise<void>, get: (k: Uint8Array, o?: AbortOptions) => Promise<Uint8Array> } {
    const self = this
    return {
      provide: async (cid, o) => { await self.provide(cid.multihash.bytes, o) },
      cancelReprovide: async () => {},
      findProviders: async function * (cid, o) {
        for await (const p of self.findProviders(cid.multihash.bytes, o)) {
          let id: PeerId
          try { id = peerIdFromString(p.id) } catch { continue }
          const multiaddrs = []
          for (const a of p.addrs ?? []) { try { multiaddrs.push(multiaddr(a)) } catch { /* skip */ } }
          yield { id, multiaddrs, routing: 'overlaykit-chord' }
        }
      },
      put: async (k, v, o) => { await self.put(k, v, o) },
      get: async (k, o) => await self.get(k, o)
    }
  }
}

interface CidLike { multihash: { bytes: Uint8Array } }

/** The libp2p service factory. */
export function chord (init: ChordInit = {}): (components: OverlayComponents) => ChordService {
  return (components) => new ChordService(components, init)
}
