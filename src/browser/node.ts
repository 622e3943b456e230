/**
 * A libp2p node for the browser: WebSockets (dial only: a page cannot listen) with Noise and yamux,
 * and whatever overlay services the page wants.
 */
import { createLibp2p, type Libp2p } from 'libp2p'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { webSockets } from '@libp2p/websockets'

export interface BrowserNodeOptions<S extends Record<string, unknown>> {
  /** libp2p services, e.g. `{ chord: chord() }`. */
  services: { [K in keyof S]: (components: any) => S[K] }
  /**
   * Allow dialling private and loopback addresses (a swarm on localhost or the LAN). libp2p's
   * browser default refuses them so a page cannot probe the visitor's network. @default false
   */
  allowPrivateAddresses?: boolean
}

export async function createBrowserNode<S extends Record<string, unknown>> (o: BrowserNodeOptions<S>): Promise<Libp2p<S>> {
  const node = await createLibp2p({
    addresses: { listen: [] },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({ streamOptions: { maxStreamWindowSize: 2 * 1024 * 1024 } })],
    connectionManager: { inboundConnectionThreshold: 1000, maxIncomingPendingConnections: 64 },
    peerDiscovery: [],
    ...(o.allowPrivateAddresses === true ? { connectionGater: { denyDialMultiaddr: () => false } } : {}),
    services: o.services as any
  })
  return node as unknown as Libp2p<S>
}
