/**
 * What every overlaykit node runs besides its overlays, so that it can be reached and can reach
 * others from behind a NAT or from a page (DESIGN.md, "The libp2p runtime"):
 *
 * - `@libp2p/identify` (always, unless switched off): peers learn each other's addresses and
 *   protocols; the relay client, DCUtR and AutoNAT depend on it, as do kad-dht and gossipsub;
 * - the circuit relay v2 client transport: relayed addresses (`…/p2p-circuit/p2p/<id>`) dial like
 *   any other, and a node can reserve a slot on a relay and announce the relayed address;
 * - a circuit relay v2 server when `relay` is set (`overlaykit node --relay`);
 * - DCUtR (hole punching) where direct TCP is possible (Node), so that relayed connections upgrade;
 * - AutoNAT with `reachability: 'auto'`: a node that has not confirmed a public address after
 *   `autoNatGraceMs` reserves a relay slot (see ReserveWhenUnreachable below).
 *
 * Relayed connections are *limited* (the relay caps bytes and time per connection, by default 128 KiB
 * and 2 min): overlay control traffic may use them (chord, gossip, ping, the search overlays'
 * queries: DriverOptions.runOnLimitedConnection), bulk transfers (BitTorrent pieces, search
 * downloads) wait for a direct connection (DCUtR, WebRTC, or a plain dial).
 *
 * Shared by createNode (swarm.ts), the CLI's createLiveNode and the browser's createBrowserNode.
 */
import { autoNAT } from '@libp2p/autonat'
import { circuitRelayServer, circuitRelayTransport, type CircuitRelayServerInit } from '@libp2p/circuit-relay-v2'
import { dcutr } from '@libp2p/dcutr'
import { identify } from '@libp2p/identify'
import { FaultTolerance } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'

const log = logger('overlaykit:reachability')

/** libp2p service names this module adds (an app's own service of the same name wins). */
export const NETWORK_SERVICES = ['identify', 'relay', 'dcutr', 'autoNAT', 'reserveWhenUnreachable', 'trustListenAddrs', 'keepReservations'] as const

export interface ReachabilityOptions {
  /** Run `@libp2p/identify`. Switch off only for a peer that brings its own. @default true */
  identify?: boolean
  /**
   * Run a circuit relay v2 server for other nodes (reservations and relayed connections), with
   * libp2p's limits unless given (`reservations.defaultDataLimit`, `defaultDurationLimit`, …).
   * @default false
   */
  relay?: boolean | CircuitRelayServerInit
  /**
   * How the node learns whether it must be reached through a relay:
   * 'public' never reserves and announces its public listen addresses as they are (libp2p 3 on its
   * own announces a public IP only once AutoNAT has confirmed it, which takes several peers in
   * different networks — a relay on a fresh server would announce nothing); 'private' reserves a slot (on `relays`, or on any relay it meets);
   * 'auto' runs AutoNAT and reserves when no public address is confirmed within `autoNatGraceMs`.
   * @default 'public'
   */
  reachability?: 'public' | 'private' | 'auto'
  /** Relays to reserve a slot on (multiaddrs ending in /p2p/<relay id>); implies 'private'. @default [] */
  relays?: string[]
  /** Hole punching (DCUtR) over relayed connections. @default true */
  dcutr?: boolean
  /** With reachability 'auto': how long AutoNAT may take before the node reserves a relay slot. @default 20000 */
  autoNatGraceMs?: number
}

type Factory = (components: any) => unknown

/** The extra listen addresses: one per configured relay, or the relay search address. */
export function reachabilityListen (o: ReachabilityOptions): string[] {
  const relays = o.relays ?? []
  if (relays.length > 0) return relays.map(r => `${r.replace(/\/$/, '')}/p2p-circuit`)
  if (o.reachability === 'private') return ['/p2p-circuit']
  return []
}

/**
 * Transport manager settings: with relays configured, a reservation that does not complete in time
 * (libp2p allows 5 s; a loaded machine or a slow relay takes longer) must not fail the node's start —
 * KeepReservations tries again.
 */
export function reachabilityTransportManager (o: ReachabilityOptions): { faultTolerance: FaultTolerance } | undefined {
  return (o.relays ?? []).length > 0 ? { faultTolerance: FaultTolerance.NO_FATAL } : undefined
}

/** The relay client transport (every node: it dials relayed addresses, and reserves when listening on one). */
export function reachabilityTransports (): Array<(components: any) => any> {
  return [circuitRelayTransport()]
}

/** The services this node runs besides its overlays. */
export function reachabilityServices (o: ReachabilityOptions, opts: { directDial: boolean }): Record<string, Factory> {
  const out: Record<string, Factory> = {}
  if (o.identify !== false) out.identify = identify()
  if (o.relay !== undefined && o.relay !== false) out.relay = circuitRelayServer(o.relay === true ? {} : o.relay)
  // hole punching makes sense where the node can dial a direct address (not in a page)
  if (o.dcutr !== false && opts.directDial) out.dcutr = dcutr()
  if ((o.relays ?? []).length > 0) out.keepReservations = (components: KeepComponents) => new KeepReservations(components, reachabilityListen(o))
  const reach = o.reachability ?? ((o.relays ?? []).length > 0 ? 'private' : 'public')
  if (reach === 'public') out.trustListenAddrs = (components: TrustComponents) => new TrustListenAddrs(components)
  if (reach === 'auto' && (o.relays ?? []).length === 0) {
    out.autoNAT = autoNAT()
    out.reserveWhenUnreachable = (components: ReserveComponents) => new ReserveWhenUnreachable(components, o.autoNatGraceMs ?? 20_000)
  }
  return out
}

/** Merges the network services under an app's own (the app's win on a name clash). */
export function withReachability<S extends Record<string, Factory>> (services: S, o: ReachabilityOptions, opts: { directDial: boolean }): S {
  return { ...reachabilityServices(o, opts), ...services }
}

/** True for loopback, RFC 1918, link-local, CGNAT and unique-local addresses. */
export function isPrivateAddr (ma: Multiaddr): boolean {
  const c = ma.getComponents()
  const ip = c.find(x => x.name === 'ip4' || x.name === 'ip6')
  if (ip?.value === undefined) return true
  const v = ip.value
  if (ip.name === 'ip6') return v === '::1' || /^(fc|fd|fe80)/i.test(v)
  const [a, b] = v.split('.').map(Number)
  return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b < 128)
}

interface KeepComponents {
  transportManager: { getAddrs: () => Multiaddr[], listen: (addrs: Multiaddr[]) => Promise<void> }
}

/**
 * Keeps a reservation on every configured relay: a relay whose reservation failed at start (or was
 * lost: the relay restarted, the connection dropped) is listened on again, 1 s after start and then
 * every `everyMs`.
 */
class KeepReservations {
  private timer: ReturnType<typeof setTimeout> | undefined
  private running = false
  constructor (private readonly components: KeepComponents, private readonly circuits: string[], private readonly everyMs = 5000) {}

  afterStart (): void { this.running = true; this.schedule(1000) }
  stop (): void { this.running = false; clearTimeout(this.timer) }

  private schedule (ms: number): void {
    if (this.running) this.timer = setTimeout(() => { void this.check().finally(() => { this.schedule(this.everyMs) }) }, ms)
  }

  private async check (): Promise<void> {
    const have = this.components.transportManager.getAddrs().map(String)
    for (const c of this.circuits) {
      // …/p2p/<relay>/p2p-circuit listens as …/p2p/<relay>/p2p-circuit (and the relay's own addresses)
      const relay = /\/p2p\/([^/]+)\/p2p-circuit$/.exec(c)?.[1]
      if (relay === undefined || have.some(a => a.includes(`/p2p/${relay}/p2p-circuit`))) continue
      log('no reservation on %s: trying again', relay)
      await this.components.transportManager.listen([multiaddr(c)]).catch(err => { log('reservation on %s failed - %e', relay, err) })
    }
  }
}

interface TrustComponents {
  addressManager: { confirmObservedAddr: (ma: Multiaddr, options: { type: 'transport', ttl: number }) => void }
  transportManager: { getAddrs: () => Multiaddr[] }
  events: EventTarget
}

/** Marks the node's public, non-relayed listen addresses verified, so they are announced. */
class TrustListenAddrs {
  constructor (private readonly components: TrustComponents) {}
  private readonly onListening = (): void => {
    for (const ma of this.components.transportManager.getAddrs()) {
      const s = ma.toString()
      if (s.includes('/p2p-circuit') || s.includes('/memory/') || isPrivateAddr(ma) || /^\/ip[46]\/(0\.0\.0\.0|::)\//.test(s)) continue
      this.components.addressManager.confirmObservedAddr(ma, { type: 'transport', ttl: 365 * 24 * 3600_000 })
    }
  }

  start (): void { this.components.events.addEventListener('transport:listening', this.onListening) }
  afterStart (): void { this.onListening() }
  stop (): void { this.components.events.removeEventListener('transport:listening', this.onListening) }
}

interface ReserveComponents {
  addressManager: { getAddressesWithMetadata: () => Array<{ multiaddr: Multiaddr, verified: boolean }> }
  transportManager: { listen: (addrs: Multiaddr[]) => Promise<void> }
}

/**
 * With AutoNAT running: when the node has no verified public, non-relayed address `graceMs` after
 * start (AutoNAT needs several peers in different networks to confirm one, and it never confirms an
 * address behind a NAT), listen on `/p2p-circuit` — the relay client then reserves a slot on the
 * first relay it is connected to and the relayed address is announced.
 */
class ReserveWhenUnreachable {
  private timer: ReturnType<typeof setTimeout> | undefined
  private reserved = false
  constructor (private readonly components: ReserveComponents, private readonly graceMs: number) {}

  start (): void {
    this.timer = setTimeout(() => { void this.check() }, this.graceMs)
  }

  stop (): void { clearTimeout(this.timer) }

  /** True when some address is verified, public and not relayed. */
  publiclyReachable (): boolean {
    return this.components.addressManager.getAddressesWithMetadata()
      .some(a => a.verified && !a.multiaddr.toString().includes('/p2p-circuit') && !isPrivateAddr(a.multiaddr))
  }

  private async check (): Promise<void> {
    if (this.reserved || this.publiclyReachable()) return
    this.reserved = true
    log('no public address confirmed within %d ms: reserving a relay slot', this.graceMs)
    await this.components.transportManager.listen([multiaddr('/p2p-circuit')]).catch(err => { log.error('relay listen failed - %e', err) })
  }
}

/** How a connection travels, for displays and tests: 'webrtc', 'relayed', 'websockets', 'tcp', 'memory' or 'other'. */
export function connectionKind (remoteAddr: Multiaddr | string): 'webrtc' | 'relayed' | 'websockets' | 'tcp' | 'memory' | 'other' {
  const s = remoteAddr.toString()
  if (s.includes('/webrtc')) return 'webrtc'
  if (s.includes('/p2p-circuit')) return 'relayed'
  if (/\/wss?(\/|$)/.test(s)) return 'websockets'
  if (s.includes('/tcp/')) return 'tcp'
  if (s.includes('/memory/')) return 'memory'
  return 'other'
}

