/**
 * The live gossip service for libp2p: `createLibp2p({ services: { gossip: gossip({ ... }) } })`.
 *
 * It runs the GossipMachine over an OverlayDriver and offers the Broadcast capability
 * (`publish`, `subscribe`) and the replicated map (`put`, `get`, `delete`, `entries`).
 * Membership: with the default full membership a node gossips with every peer it is connected to
 * (libp2p `peer:connect`) or that contacted it; with `membership: { kind: 'cyclon', bootstrap }` it
 * keeps a bounded partial view and dials peers from it as needed. Every node relays every topic (the
 * epidemic is over the whole group, as in Demers et al.); `subscribe` filters what is delivered here.
 */
import { logger } from '@libp2p/logger'
import { PushQueue } from '../overlay/ops.js'
import { AbortError, NotStartedError } from '../overlay/errors.js'
import type { Broadcast } from '../overlay/capabilities.js'
import type { OverlayEvent, PeerRef } from '../overlay/types.js'
import { OverlayService, type OverlayComponents, type ServiceInit } from '../runtime/libp2p/index.js'
import type { GossipMachine } from './machine.js'
import { type GossipOptions, PROFILES } from './options.js'
import { gossipSpec } from './spec.js'
import type { GossipEvent } from './events.js'
import { signerFromPrivateKey } from '../overlay/identity.js'
import type { OverlaySpec } from '../overlay/types.js'
import type { PrivateKey } from '@libp2p/interface'
import type { GossipMessage } from './types.js'

const log = logger('overlaykit:gossip')

/** What `gossip()` lays over DEFAULTS (see PROFILES in options.ts). Kept under its old name. */
export const LIVE_DEFAULTS: GossipOptions = PROFILES.live

export interface GossipInit extends GossipOptions, ServiceInit {
  /** Messages buffered per subscription before new ones are dropped (counted). @default 10000 */
  maxQueuedMessages?: number
}

export interface BroadcastMessage {
  id: string
  topic: string
  data: Uint8Array
  /** The publisher's peer id. */
  from: string
}

export class GossipService extends OverlayService<GossipMessage, GossipOptions, GossipMachine> implements Broadcast {
  private readonly components: OverlayComponents
  private readonly maxQueued: number
  private readonly queues = new Set<PushQueue<BroadcastMessage>>()
  private readonly onConnect = (evt: CustomEvent<unknown>): void => {
    const id = String(evt.detail)
    if (this.isStarted()) this.machine.onPeerConnected({ id })
  }

  constructor (components: OverlayComponents, init: GossipInit = {}) {
    const options: GossipOptions = { ...PROFILES.live, ...stripServiceInit(init) }
    super(components, withNodeKey(components), options, init, ['@overlaykit/broadcast'])
    this.components = components
    this.maxQueued = init.maxQueuedMessages ?? 10_000
  }

  override async start (): Promise<void> {
    await super.start()
    this.components.events.addEventListener('peer:connect', this.onConnect as any)
    // peers we were connected to before starting
    const seen = new Set<string>()
    for (const c of this.components.connectionManager.getConnections()) {
      const id = c.remotePeer.toString()
      if (seen.has(id)) continue
      seen.add(id)
      this.machine.onPeerConnected({ id })
    }
  }

  override async stop (): Promise<void> {
    this.components.events.removeEventListener('peer:connect', this.onConnect as any)
    for (const q of this.queues) q.end()
    this.queues.clear()
    await super.stop()
  }

  /** Broadcast `data` on `topic` to every node; returns the update id. */
  publish (topic: string, data: Uint8Array): string {
    if (!this.isStarted()) throw new NotStartedError()
    return this.machine.publish(topic, data)
  }

  /**
   * Messages on `topic` as they are delivered here (each exactly once). Ends when the signal aborts
   * (with AbortError) or the service stops.
   */
  subscribe (topic: string, options: { signal?: AbortSignal } = {}): AsyncIterable<BroadcastMessage> {
    if (!this.isStarted()) throw new NotStartedError()
    let off: () => void = () => {}
    const q = new PushQueue<BroadcastMessage>(this.maxQueued, () => { off(); this.queues.delete(q) })
    off = this.onEvent((e: OverlayEvent) => {
      if (e.type !== 'gossip:deliver' || e.topic !== topic) return
      q.push({ id: e.id as string, topic, data: e.data as Uint8Array, from: e.origin as string })
      if (q.dropped > 0 && q.dropped % 1000 === 1) log('subscription to %s dropped %d messages', topic, q.dropped)
    })
    this.queues.add(q)
    const signal = options.signal
    if (signal !== undefined) {
      const abort = (): void => { off(); this.queues.delete(q); q.end(new AbortError()) }
      if (signal.aborted) abort(); else signal.addEventListener('abort', abort, { once: true })
    }
    return q
  }

  /** Write a key of the replicated map (last writer wins by Lamport timestamp, then node id). */
  put (key: string, value: Uint8Array): void { this.machine.put(key, value) }
  get (key: string): Uint8Array | undefined { return this.machine.get(key) }
  /** Delete a key (a death certificate). */
  delete (key: string): void { this.machine.delete(key) }
  /** The live entries of the replicated map here. */
  entries (): Array<[string, Uint8Array]> { return [...this.machine.map.live()] }

  /** Peers this node currently gossips with. */
  peers (): PeerRef[] { return this.machine.membership.peers() }
}

/**
 * The spec with the node's identity key as `env.signer`. The libp2p driver is to set env.signer itself
 * (from the node's private key); until it does, and for drivers that do not, the service hands the
 * machine a Signer over `components.privateKey` (libp2p's service components include it).
 */
function withNodeKey (components: OverlayComponents): OverlaySpec<GossipMessage, GossipOptions, GossipMachine, GossipEvent> {
  const key = (components as { privateKey?: PrivateKey }).privateKey
  return {
    ...gossipSpec,
    create (env, options) {
      if (env.signer !== undefined || key === undefined || options.signed === false) return gossipSpec.create(env, options)
      const signer = signerFromPrivateKey(key)
      return gossipSpec.create(Object.assign(Object.create(env) as typeof env, { signer }), options)
    }
  }
}

function stripServiceInit (init: GossipInit): GossipOptions {
  const { driver: _d, maxQueuedMessages: _m, ...rest } = init
  // an explicit `undefined` must not override a live default
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as GossipOptions
}

/** libp2p service factory: `services: { gossip: gossip({ k: 3 }) }`. */
export function gossip (init: GossipInit = {}): (components: OverlayComponents) => GossipService {
  return (components) => new GossipService(components, init)
}
