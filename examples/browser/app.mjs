// The page's own libp2p node (WebSockets, Noise, yamux) joins the Chord ring of the Node peers,
// writes and reads keys through it, and says hello on a gossip topic.
import { chord, createBrowserNode, gossip } from 'overlaykit/browser'

const log = (line) => { document.getElementById('log').textContent += line + '\n' }

try {
  const peers = await (await fetch('/peers.json')).json()
  // allowPrivateAddresses: the Node peers are on 127.0.0.1 (browsers refuse private addresses by default)
  const node = await createBrowserNode({ allowPrivateAddresses: true, services: { chord: chord(), gossip: gossip() } })
  log(`this page is peer ${node.peerId}`)

  await node.services.chord.join(peers[0], { signal: AbortSignal.timeout(20_000) })
  log('joined the ring')
  // the first Node peer's signed record (its peer id ends the multiaddr), checked here
  const author = peers[0].split('/p2p/')[1]
  const greeting = await node.services.chord.getSigned(author, 'greeting', { signal: AbortSignal.timeout(10_000) })
  log(`get greeting: ${new TextDecoder().decode(greeting)}`)
  const key = await node.services.chord.putSigned('from-the-page', new TextEncoder().encode('hello from the browser'))
  const back = await node.services.chord.get(key, { signal: AbortSignal.timeout(10_000) })
  log(`put and get back: ${new TextDecoder().decode(back)}`)

  await node.services.gossip.connect(peers[1]) // gossip partners are connected peers
  node.services.gossip.publish('chat', new TextEncoder().encode('hello from the browser'))
  log('published on chat')
  document.body.dataset.result = 'ok'
} catch (err) {
  log(`failed: ${err.message}`)
  document.body.dataset.result = 'failed'
}
