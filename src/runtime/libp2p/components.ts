/**
 * The slice of libp2p's components an overlay driver uses, typed structurally so overlaykit does
 * not depend on libp2p's internal interfaces. libp2p's service injection passes an object that
 * satisfies it (`services: { chord: chord() }` → the factory receives the components).
 */
import type { AbortOptions, ComponentLogger, Connection, ConnectionGater, Libp2pEvents, Metrics, PeerId, PeerStore, PrivateKey, Stream, StreamHandler, StreamHandlerOptions, TypedEventTarget } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface OverlayComponents {
  peerId: PeerId
  registrar: {
    handle (protocol: string, handler: StreamHandler, options?: StreamHandlerOptions): Promise<void>
    unhandle (protocol: string, options?: AbortOptions): Promise<void>
  }
  connectionManager: {
    openConnection (peer: PeerId | Multiaddr | Multiaddr[], options?: AbortOptions): Promise<Connection>
    openStream (peer: PeerId | Multiaddr | Multiaddr[], protocol: string | string[], options?: AbortOptions & { runOnLimitedConnection?: boolean }): Promise<Stream>
    getConnections (peerId?: PeerId): Connection[]
  }
  peerStore: Pick<PeerStore, 'merge'>
  logger: ComponentLogger
  events: TypedEventTarget<Libp2pEvents>
  /** Optional: this node's listen addresses for `self.addrs`. */
  addressManager?: { getAddresses (): Multiaddr[] }
  /** Optional: the node's identity key; machines sign what they author with it (`env.signer`). */
  privateKey?: PrivateKey
  /** Optional: the node's connection gater; the driver adds its refusals (peers past their score) to it. */
  connectionGater?: ConnectionGater
  /** Optional: libp2p metrics; the driver registers its counters there. */
  metrics?: Metrics
}

/**
 * Read an optional component. libp2p's components object throws for an unset component that is not
 * one of its own optional ones, and hand-made components (tests) may lack it entirely.
 */
export function optionalComponent<K extends 'privateKey' | 'connectionGater' | 'metrics' | 'addressManager'> (components: OverlayComponents, key: K): OverlayComponents[K] | undefined {
  try { return components[key] ?? undefined } catch { return undefined }
}
