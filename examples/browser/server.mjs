// The Node side of the browser example: two peers that run Chord and gossip and also listen on
// WebSockets (a page can dial WebSockets, not TCP), plus a small web server for the page and the
// browser bundle of overlaykit. Run: node examples/browser/server.mjs, then open the URL it prints.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { chord } from 'overlaykit/chord'
import { gossip } from 'overlaykit/gossip'
import { startNode, stopAll } from '../node.mjs'

const transports = [tcp(), webSockets()]
const listen = ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws']
const nodes = [
  await startNode({ chord: chord(), gossip: gossip() }, { listen, transports }),
  await startNode({ chord: chord(), gossip: gossip() }, { listen, transports })
]
await nodes[1].services.chord.join(nodes[0].getMultiaddrs()[0], { signal: AbortSignal.timeout(10_000) })
await nodes[1].dial(nodes[0].getMultiaddrs()[0]) // gossip partners are connected peers
await nodes[0].services.chord.putSigned('greeting', new TextEncoder().encode('hello from Node'))

// what the page says on the 'chat' topic shows up here
void (async () => {
  for await (const msg of nodes[1].services.gossip.subscribe('chat')) {
    console.log(`node peer got "${new TextDecoder().decode(msg.data)}" from ${msg.from}`)
  }
})()

const files = {
  '/': [new URL('index.html', import.meta.url), 'text/html'],
  '/app.mjs': [new URL('app.mjs', import.meta.url), 'text/javascript'],
  // the bundle the package exports as 'overlaykit/browser'
  '/overlaykit.js': [new URL(import.meta.resolve('overlaykit/browser')), 'text/javascript']
}
const peers = nodes.map(n => n.getMultiaddrs().map(String).find(a => a.includes('/ws/')))
const http = createServer((req, res) => {
  if (req.url === '/peers.json') { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(peers)); return }
  const file = files[req.url]
  if (file === undefined) { res.writeHead(404).end(); return }
  readFile(fileURLToPath(file[0])).then(body => { res.writeHead(200, { 'content-type': file[1] }).end(body) }, () => { res.writeHead(500).end() })
})
http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`open http://127.0.0.1:${http.address().port}/`)
})

// Ctrl-C stops everything
const stop = async () => { http.close(); await stopAll(nodes); process.exit(0) }
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
