/**
 * Real libp2p nodes for the CLI (demo swarm, `overlaykit node`): Noise + yamux over memory, TCP or
 * WebSockets, with the connection-manager settings a local swarm needs (DESIGN.md: the default
 * inbound threshold of 5 connections/s per host and 32 inbound streams break swarms on one machine;
 * yamux windows must stay below the 4 MiB read buffer).
 */
import { createLibp2p, type Libp2p } from 'libp2p'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { memory } from '@libp2p/memory'
import { webSockets } from '@libp2p/websockets'
import type { PrivateKey } from '@libp2p/interface'
import { connectionLimits, type ConnectionProfile } from '../runtime/libp2p/limits.js'
import { reachabilityListen, reachabilityTransportManager, reachabilityTransports, withReachability, type ReachabilityOptions } from '../runtime/libp2p/reachability.js'

export type Transport = 'memory' | 'tcp' | 'ws'

export interface LiveNodeOptions<S extends Record<string, unknown>> {
  /** @default 'tcp' */
  transport?: Transport
  /** Listen addresses. @default one loopback address for the transport (port chosen by the OS) */
  listen?: string[]
  /** Also accept WebSocket connections (browsers) next to TCP. @default false */
  ws?: boolean
  /** Addresses to announce instead of the listen addresses (e.g. a public IP). @default [] */
  announce?: string[]
  /** libp2p services, e.g. `{ chord: chord() }`. */
  services: { [K in keyof S]: (components: any) => S[K] }
  privateKey?: PrivateKey
  /** Identify (on by default), relay server, relay reservations, hole punching (runtime/libp2p/reachability.ts). @default {} */
  network?: ReachabilityOptions
  /**
   * Connection admission (runtime/libp2p/limits.ts, docs/limits.md): 'node' for a node on a real
   * network, 'local-test' for many nodes dialling each other from one host (the demo swarm).
   * @default 'node'
   */
  limits?: ConnectionProfile
}

let memorySeq = 0

export function defaultListen (transport: Transport): string[] {
  switch (transport) {
    case 'memory': return [`/memory/overlaykit-${process.pid}-${++memorySeq}`]
    case 'tcp': return ['/ip4/127.0.0.1/tcp/0']
    case 'ws': return ['/ip4/127.0.0.1/tcp/0/ws']
  }
}

export async function createLiveNode<S extends Record<string, unknown>> (o: LiveNodeOptions<S>): Promise<Libp2p<S>> {
  const transport = o.transport ?? 'tcp'
  const listen = o.listen ?? defaultListen(transport)
  const transports: any[] = []
  const needs = (t: string): boolean => listen.some(a => a.includes(t))
  if (transport === 'memory' || needs('/memory/')) transports.push(memory())
  if (transport === 'tcp' || transport === 'ws' || o.ws === true || needs('/tcp/')) transports.push(tcp())
  if (transport === 'ws' || o.ws === true || needs('/ws')) transports.push(webSockets())
  transports.push(...reachabilityTransports())
  const node = await createLibp2p({
    ...(o.privateKey !== undefined ? { privateKey: o.privateKey } : {}),
    addresses: { listen: [...listen, ...reachabilityListen(o.network ?? {})], announce: o.announce ?? [] },
    ...(reachabilityTransportManager(o.network ?? {}) !== undefined ? { transportManager: reachabilityTransportManager(o.network ?? {}) } : {}),
    transports,
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({ streamOptions: { maxStreamWindowSize: 2 * 1024 * 1024 } })],
    connectionManager: { ...connectionLimits(o.limits ?? 'node'), maxParallelDials: 32 },
    // nodes find each other through the overlays (bootstrap addresses, PeerRefs), not via mDNS/DHT
    peerDiscovery: [],
    services: withReachability(o.services as any, o.network ?? {}, { directDial: transport !== 'memory' })
  })
  return node as unknown as Libp2p<S>
}

/** Runs `fn` over `items` with at most `limit` in flight (dialling 30 nodes at once saturates 2 cores with Noise handshakes). */
export async function mapLimit<T, R> (items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

/** The node's dialable addresses, each ending in /p2p/<peer id>. */
export function addrsOf (node: Libp2p<any>): string[] {
  return node.getMultiaddrs().map(a => a.toString())
}
