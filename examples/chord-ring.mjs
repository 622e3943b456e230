// A Chord ring of 5 nodes: each joins through the first, then one node stores records and another
// reads them back. Run: node examples/chord-ring.mjs
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

// A record lives on whichever node owns its key's position on the ring, so nobody else may forge it:
// a signed record (BEP 44 style) can only be written by its author, and is checked on every read;
// its key is derived from the author's peer id and the name
const signal = AbortSignal.timeout(10_000)
await nodes[1].services.chord.putSigned('greeting', new TextEncoder().encode('hello, ring'))
const value = await nodes[4].services.chord.getSigned(nodes[1].peerId, 'greeting', { signal })
console.log('node 4 read:', new TextDecoder().decode(value))

// an immutable record's key is the hash of its value: anyone may store it, nobody can change it
const key = await nodes[2].services.chord.putImmutable(new TextEncoder().encode('a fact'))
console.log('node 3 read:', new TextDecoder().decode(await nodes[3].services.chord.get(key, { signal })))

// a lookup says who owns a key and what it cost
const where = await nodes[0].services.chord.lookup(key)
console.log(`owner ${where.owner.id.slice(-8)}, ${where.hops} hops, ${where.latencyMs.toFixed(1)} ms`)

await stopAll(nodes)
