/** `overlaykit node --overlay ping`: the reference protocol; op `ping { peer: multiaddr }` → RTT. */
import { OverlayService, toPeerRef } from '../../../runtime/libp2p/index.js'
import { pingSpec, type PingMachine, type PingMessage, type PingOptions } from '../../../ping/index.js'
import type { NodeAdapter } from '../types.js'

type PingService = OverlayService<PingMessage, PingOptions, PingMachine>

const adapter: NodeAdapter = {
  name: 'ping',
  description: 'reference ping/echo protocol',
  services (_options, seed) {
    return { ping: (components: any) => new OverlayService(components, pingSpec, { timeoutMs: 5000 }, { driver: { seed } }) }
  },
  async join (ctx) {
    const svc = ctx.node.services.ping as PingService
    for (const b of ctx.bootstrap) await svc.connect(b)
  },
  ops: {
    async ping (args, ctx) {
      if (typeof args.peer !== 'string') throw new Error('ping needs "peer": a multiaddr ending in /p2p/<id> or a peer id')
      const svc = ctx.node.services.ping as PingService
      const peer = toPeerRef(args.peer)
      const rttMs = await new Promise<number>((resolve, reject) => {
        svc.machine.ping(peer, (err, rtt) => { if (err != null) reject(err); else resolve(rtt as number) })
      })
      return { peer: peer.id, rttMs }
    }
  }
}

export default adapter
