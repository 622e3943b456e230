// Three libp2p nodes form a Chord ring; one stores a signed record, another reads it back.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { chord } from 'overlaykit/chord'

const nodes = await Promise.all([1, 2, 3].map(() => createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { chord: chord() }
})))
for (const node of nodes.slice(1)) await node.services.chord.join(nodes[0].getMultiaddrs()[0])

// signed by node 1's key: only node 1 can write it, every replica and reader checks the signature
const key = await nodes[1].services.chord.putSigned('greeting', new TextEncoder().encode('hello'))
const value = await nodes[2].services.chord.get(key)
console.log(new TextDecoder().decode(value)) // hello

const { hops, latencyMs } = await nodes[2].services.chord.lookup(key)
console.log(`lookup: ${hops} hops, ${latencyMs.toFixed(1)} ms`)
await Promise.all(nodes.map(n => n.stop()))
