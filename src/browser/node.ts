/**
 * A libp2p node for the browser: WebSockets (dial only: a page cannot listen), WebRTC between pages
 * (signalled over a relayed connection), the circuit relay client, identify, Noise and yamux, and
 * whatever overlay services the page wants.
 *
 * With `relays` the page reserves a slot on each relay (a Node peer: `overlaykit node --relay --ws`)
 * and announces two addresses: `<relay>/p2p-circuit/p2p/<page>` (relayed: limited, control traffic
 * only) and `<relay>/p2p-circuit/webrtc/p2p/<page>` (a direct WebRTC connection, set up through the
 * relay). libp2p dials the WebRTC one first, so overlay traffic between pages goes page to page.
 */
import { createLibp2p, type Libp2p } from 'libp2p'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { webSockets } from '@libp2p/websockets'
import { webRTC } from '@libp2p/webrtc'
import { reachabilityListen, reachabilityTransportManager, reachabilityTransports, withReachability, type ReachabilityOptions } from '../runtime/libp2p/reachability.js'

export interface BrowserNodeOptions<S extends Record<string, unknown>> {
  /** libp2p services, e.g. `{ chord: chord() }`. */
  services: { [K in keyof S]: (components: any) => S[K] }
  /**
   * Allow dialling private and loopback addresses (a swarm on localhost or the LAN). libp2p's
   * browser default refuses them so a page cannot probe the visitor's network. @default false
   */
  allowPrivateAddresses?: boolean
  /**
   * Relays to reserve a slot on (multiaddrs of Node relays reachable over WebSockets, ending in
   * /p2p/<relay id>). Without one the page can dial out but nobody can dial it. @default []
   */
  relays?: string[]
  /** Accept WebRTC connections from other pages (needs a relay reservation for signalling). @default true */
  webrtc?: boolean
  /** Identify and relay settings (reachability.ts); `relays` above is merged in. @default {} */
  network?: ReachabilityOptions
  /** STUN/TURN servers for WebRTC; none needed on one machine or a LAN. @default [] */
  iceServers?: Array<{ urls: string | string[], username?: string, credential?: string }>
}

export async function createBrowserNode<S extends Record<string, unknown>> (o: BrowserNodeOptions<S>): Promise<Libp2p<S>> {
  const network: ReachabilityOptions = { ...o.network, relays: [...(o.network?.relays ?? []), ...(o.relays ?? [])] }
  const rtc = o.webrtc !== false
  const node = await createLibp2p({
    addresses: { listen: [...reachabilityListen(network), ...(rtc ? ['/webrtc'] : [])] },
    ...(reachabilityTransportManager(network) !== undefined ? { transportManager: reachabilityTransportManager(network) } : {}),
    transports: [
      webSockets(),
      ...(rtc ? [webRTC({ rtcConfiguration: { iceServers: o.iceServers ?? [] } })] : []),
      ...reachabilityTransports()
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({ streamOptions: { maxStreamWindowSize: 2 * 1024 * 1024 } })],
    connectionManager: { inboundConnectionThreshold: 1000, maxIncomingPendingConnections: 64 },
    peerDiscovery: [],
    ...(o.allowPrivateAddresses === true ? { connectionGater: { denyDialMultiaddr: () => false } } : {}),
    // no hole punching in a page: it cannot open TCP; WebRTC is its direct path
    services: withReachability(o.services as any, network, { directDial: false })
  })
  return node as unknown as Libp2p<S>
}
