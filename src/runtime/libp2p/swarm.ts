/**
 * Live in-process swarms for tests, demos and benchmarks: real libp2p nodes (Noise + yamux) on the
 * memory, TCP or WebSockets transport, listening on loopback only, connected in a chosen topology
 * with a bounded number of dials in flight (Noise handshakes saturate 2 cores otherwise).
 *
 * Node only (TCP). The connection-manager settings are the ones DESIGN.md found necessary for local
 * swarms: libp2p's inbound rate limit (5 connections/s per host) and pending-connection cap would
 * refuse a swarm dialling itself on 127.0.0.1, and yamux windows must stay below the 4 MiB read
 * buffer or a paused reader gets its stream reset.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { memory } from '@libp2p/memory'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { sha256 } from '@noble/hashes/sha2.js'
import { createLibp2p, type Libp2pOptions, type ServiceFactoryMap } from 'libp2p'
import { OverlayDriver } from './driver.js'
import { connectionLimits } from './limits.js'
import { reachabilityListen, reachabilityTransportManager, reachabilityTransports, withReachability, type ReachabilityOptions } from './reachability.js'
import type { Connection, Libp2p, PeerId, ServiceMap } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export type SwarmTransport = 'memory' | 'tcp' | 'ws'
export type SwarmTopology = 'none' | 'ring' | 'star' | 'full'

/** Also: identify (on by default), `relay` (run a relay server), `reachability` / `relays` (reserve a relay slot), `dcutr` — see reachability.ts. */
export interface NodeOptions extends ReachabilityOptions {
  /** @default 'memory' */
  transport?: SwarmTransport
  /** Deterministic Ed25519 identity from this seed (and the node index). @default random identity */
  seed?: number | string
  /** Index of the node in its swarm, mixed into the identity seed. @default 0 */
  index?: number
  /** Listen addresses; replaces the transport's loopback default. @default loopback for the transport */
  listen?: string[]
  /** Start the node. @default true */
  start?: boolean
  /** Extra libp2p options, applied last (e.g. `addresses.announce`, more transports). @default {} */
  config?: Partial<Libp2pOptions<any>>
}

export interface SwarmOptions {
  /** @default 'memory' */
  transport?: SwarmTransport
  /** Who dials whom after start: ring i→i+1, star i→0, full every pair once. @default 'none' */
  connect?: SwarmTopology
  /** Dials in flight at once while connecting the topology. @default 8 */
  dialConcurrency?: number
  /** Seeds the node identities (peer ids are then reproducible). @default random identities */
  seed?: number | string
  /** Extra libp2p options for every node, applied last. @default {} */
  config?: Partial<Libp2pOptions<any>>
  /** Identify, relay and hole-punching settings for every node (reachability.ts). @default {} */
  network?: ReachabilityOptions
}

export interface Swarm<S extends ServiceMap = ServiceMap> {
  readonly nodes: Array<Libp2p<S>>
  /** The first listen address of node i (with /p2p/<id>). */
  addr (i: number): Multiaddr
  /** Dial node j from node i. */
  dial (i: number, j: number): Promise<void>
  /** Stop every node (in parallel); safe to call twice. */
  stop (): Promise<void>
}

let memoryCounter = 0
const memoryPrefix = `ok${Math.floor(Math.random() * 0xffffffff).toString(36)}`

function defaultListen (transport: SwarmTransport): string[] {
  switch (transport) {
    case 'memory': return [`/memory/${memoryPrefix}-${memoryCounter++}`]
    case 'tcp': return ['/ip4/127.0.0.1/tcp/0']
    case 'ws': return ['/ip4/127.0.0.1/tcp/0/ws']
  }
}

function transportFor (transport: SwarmTransport): any {
  switch (transport) {
    case 'memory': return memory()
    case 'tcp': return tcp()
    case 'ws': return webSockets()
  }
}

/** One libp2p node with overlaykit's settings and the given services. */
export async function createNode<S extends ServiceMap = ServiceMap> (services: ServiceFactoryMap<S>, opts: NodeOptions = {}): Promise<Libp2p<S>> {
  const transport = opts.transport ?? 'memory'
  const privateKey = opts.seed === undefined
    ? undefined
    : await generateKeyPairFromSeed('Ed25519', sha256(new TextEncoder().encode(`overlaykit/node/${String(opts.seed)}/${opts.index ?? 0}`)))
  return await createLibp2p<S>({
    ...(privateKey !== undefined ? { privateKey } : {}),
    start: opts.start ?? true,
    addresses: { listen: [...(opts.listen ?? defaultListen(transport)), ...reachabilityListen(opts)] },
    ...(reachabilityTransportManager(opts) !== undefined ? { transportManager: reachabilityTransportManager(opts) } : {}),
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({ streamOptions: { maxStreamWindowSize: 2 * 1024 * 1024 } })],
    // a local swarm opens many connections from one host at once (limits.ts; a real node uses 'node')
    connectionManager: connectionLimits('local-test'),
    // keep measuring connection RTTs, but a heartbeat that times out because 100 nodes share two
    // cores must not abort a healthy connection (yamux keep-alive still catches dead ones)
    connectionMonitor: { abortConnectionOnPingFailure: false },
    ...opts.config,
    // the relay client goes next to whatever transports the caller chose: relayed addresses dial like any other
    transports: [...(opts.config?.transports ?? [transportFor(transport)]), ...reachabilityTransports()],
    services: withReachability(services as Record<string, any>, opts, { directDial: transport !== 'memory' }) as ServiceFactoryMap<S>
  })
}

/** Resolves once `node` has an open connection to `peer` (5 s at most: then dialing again is harmless). */
async function connectedAt (node: Libp2p, peer: PeerId): Promise<void> {
  if (node.getConnections(peer).some(c => c.status === 'open')) return
  await new Promise<void>(resolve => {
    const done = (): void => { clearTimeout(timer); node.removeEventListener('connection:open', onOpen); resolve() }
    const onOpen = (evt: CustomEvent<Connection>): void => { if (evt.detail.remotePeer.equals(peer)) done() }
    const timer = setTimeout(done, 5000)
    node.addEventListener('connection:open', onOpen)
  })
}

/** Run `tasks` with at most `limit` in flight; rejects with the first error after all settle. */
export async function pool (tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0
  let firstError: unknown
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const t = tasks[next++]
      try { await t() } catch (err) { firstError ??= err }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker))
  if (firstError !== undefined) throw firstError
}

/**
 * Stop many nodes quickly. Stopping them all at once makes both ends of every connection close it
 * simultaneously, and libp2p then waits out a 500 ms close timeout per connection; stopping them one
 * by one waits on TCP close handshakes. So: stop the overlay drivers first (no machine reacts to the
 * teardown), close each connection once from its dialing side, then stop the nodes in parallel.
 */
async function stopAll (nodes: Libp2p[]): Promise<void> {
  await Promise.all(nodes.flatMap(node => Object.values(node.services as Record<string, unknown>)
    .map(s => (s as { driver?: unknown })?.driver)
    .filter((d): d is OverlayDriver<unknown, unknown, any> => d instanceof OverlayDriver)
    .map(async d => { await d.stop() })))
  await Promise.all(nodes.flatMap(node => node.getConnections()
    .filter(c => c.direction === 'outbound')
    .map(async c => { await c.close({ signal: AbortSignal.timeout(1000) }).catch(err => { c.abort(err) }) })))
  await Promise.all(nodes.map(async node => { await node.stop() }))
}

/** n started nodes with `servicesFor(i)`, connected as asked. On any failure every node is stopped. */
export async function createSwarm<S extends ServiceMap = ServiceMap> (n: number, servicesFor: (i: number) => ServiceFactoryMap<S>, options: SwarmOptions = {}): Promise<Swarm<S>> {
  const transport = options.transport ?? 'memory'
  const nodes: Array<Libp2p<S>> = []
  let stopped = false
  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    await stopAll(nodes)
  }
  const addr = (i: number): Multiaddr => {
    const a = nodes[i].getMultiaddrs()[0]
    if (a === undefined) throw new Error(`node ${i} has no listen address`)
    return a
  }
  const dial = async (i: number, j: number): Promise<void> => {
    // the dialer's dial() resolves before the listener has registered the connection; until it
    // has, a stream opened from j to i would dial a second connection (a noise handshake, tens of
    // ms) — so "connected" means both ends see it
    const seen = connectedAt(nodes[j], nodes[i].peerId)
    await nodes[i].dial(addr(j))
    await seen
  }
  try {
    // identities and listeners: cheap, so create them in bounded parallel batches too
    const limit = options.dialConcurrency ?? 8
    const created: Array<Libp2p<S> | undefined> = new Array(n)
    await pool(Array.from({ length: n }, (_, i) => async () => {
      created[i] = await createNode(servicesFor(i), { ...options.network, transport, seed: options.seed, index: i, config: options.config })
    }), limit).finally(() => { for (const c of created) if (c !== undefined) nodes.push(c) })
    const pairs: Array<[number, number]> = []
    switch (options.connect ?? 'none') {
      case 'ring': if (n > 1) for (let i = 0; i < n; i++) if (n > 2 || i === 0) pairs.push([i, (i + 1) % n]); break
      case 'star': for (let i = 1; i < n; i++) pairs.push([i, 0]); break
      case 'full': for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]); break
      case 'none': break
    }
    await pool(pairs.map(([i, j]) => async () => { await dial(i, j) }), limit)
  } catch (err) {
    await stop()
    throw err
  }
  return { nodes, addr, dial, stop }
}
