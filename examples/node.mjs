// The libp2p node every example starts: TCP on 127.0.0.1, Noise encryption, yamux multiplexing,
// and the overlaykit services you pass in. In your app, add the transports you need (WebSockets,
// WebRTC, ...) and listen on a public address.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'

export async function startNode (services, { listen = ['/ip4/127.0.0.1/tcp/0'], transports = [tcp()] } = {}) {
  return await createLibp2p({
    addresses: { listen },
    transports,
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // libp2p limits inbound connections to 5/s per IP; all our nodes share 127.0.0.1
    connectionManager: { inboundConnectionThreshold: 1000 },
    services
  })
}

/** Stop every node (examples end their process this way: nothing is left running). */
export async function stopAll (nodes) {
  await Promise.all(nodes.map(async n => { await n.stop() }))
}

/**
 * The first search hit for `query`, searching again (up to `tries` times) while none arrives: a
 * freshly shared file takes a moment to reach the index (the server, the supernodes).
 */
export async function firstHit (search, query, tries = 10) {
  for (let i = 0; i < tries; i++) {
    for await (const hit of search.search(query, { limit: 1, timeoutMs: 1000 })) return hit
  }
  throw new Error(`no hit for "${query}"`)
}
