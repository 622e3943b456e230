/** `overlaykit node --overlay ping`: the reference protocol; op `ping { peer: multiaddr }` → RTT. */
import { toPeerRef } from '../runtime/libp2p/index.js'
import type { NodeOpsContext, NodeOpsFactory } from '../overlay/node-ops.js'
import { ping, type PingService } from './service.js'

const svc = (ctx: NodeOpsContext): PingService => ctx.node.services.ping as PingService

export const pingNodeOps: NodeOpsFactory = (_options, seed) => ({
  services: { ping: ping({ timeoutMs: 5000, driver: { seed } }) },
  async join (ctx) {
    for (const b of ctx.bootstrap) await svc(ctx).connect(b)
  },
  ops: {
    async ping (args, ctx, signal) {
      if (typeof args.peer !== 'string') throw new Error('ping needs "peer": a multiaddr ending in /p2p/<id> or a peer id')
      const peer = toPeerRef(args.peer)
      const rttMs = await svc(ctx).ping(peer, { signal })
      return { peer: peer.id, rttMs }
    }
  }
})
