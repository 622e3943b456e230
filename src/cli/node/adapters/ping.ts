/** `overlaykit node --overlay ping`: the reference protocol; op `ping { peer: multiaddr }` → RTT. */
import { toPeerRef } from '../../../runtime/libp2p/index.js'
import { ping, type PingService } from '../../../ping/service.js'
import type { NodeAdapter } from '../types.js'

const adapter: NodeAdapter = {
  name: 'ping',
  description: 'reference ping/echo protocol',
  services (_options, seed) {
    return { ping: ping({ timeoutMs: 5000, driver: { seed } }) }
  },
  async join (ctx) {
    const svc = ctx.node.services.ping as PingService
    for (const b of ctx.bootstrap) await svc.connect(b)
  },
  ops: {
    async ping (args, ctx, signal) {
      if (typeof args.peer !== 'string') throw new Error('ping needs "peer": a multiaddr ending in /p2p/<id> or a peer id')
      const svc = ctx.node.services.ping as PingService
      const peer = toPeerRef(args.peer)
      const rttMs = await svc.ping(peer, { signal })
      return { peer: peer.id, rttMs }
    }
  }
}

export default adapter
