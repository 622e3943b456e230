// A Chord ring of 5 nodes: each joins through the first, then one node stores a key and another
// reads it back. Run: node examples/chord-ring.mjs
import { chord } from 'overlaykit/chord'
import { startNode, stopAll } from './node.mjs'

const nodes = []
for (let i = 0; i < 5; i++) {
  nodes.push(await startNode({ chord: chord({ stabilizeMs: 200 }) }))
}
const first = nodes[0].getMultiaddrs()[0]
for (const node of nodes.slice(1)) {
  await node.services.chord.join(first, { signal: AbortSignal.timeout(10_000) })
}

// put on node 1, get on node 4: the key lives on whichever node owns its position on the ring
await nodes[1].services.chord.put('greeting', new TextEncoder().encode('hello, ring'))
const value = await nodes[4].services.chord.get('greeting', { signal: AbortSignal.timeout(10_000) })
console.log('node 4 read:', new TextDecoder().decode(value))

// a lookup says who owns a key and what it cost
const where = await nodes[2].services.chord.lookup('greeting')
console.log(`owner ${where.owner.id.slice(-8)}, ${where.hops} hops, ${where.latencyMs.toFixed(1)} ms`)

await stopAll(nodes)
