// A gossip group of 6 nodes: every node subscribes to a topic, one publishes, and the rumour
// spreads node to node until everyone has it (each exactly once). Run: node examples/gossip-group.mjs
import { gossip } from 'overlaykit/gossip'
import { startNode, stopAll } from './node.mjs'

const nodes = []
for (let i = 0; i < 6; i++) {
  const node = await startNode({ gossip: gossip() })
  // gossip partners are the peers a node is connected to: link each node to the one before it
  if (i > 0) await node.dial(nodes[i - 1].getMultiaddrs()[0])
  nodes.push(node)
}

// the other nodes listen (a publisher does not receive its own message); the first one ends the loop
const signal = AbortSignal.timeout(10_000)
const received = nodes.slice(1).map(async (node, i) => {
  for await (const msg of node.services.gossip.subscribe('news', { signal })) {
    console.log(`node ${i + 1} got "${new TextDecoder().decode(msg.data)}" from ${msg.from.slice(-8)}`)
    return
  }
})

nodes[0].services.gossip.publish('news', new TextEncoder().encode('hello, group'))
await Promise.all(received)
console.log('every other node has it')

await stopAll(nodes)
