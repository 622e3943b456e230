/**
 * The reference protocol live: every node pings a few random others over real libp2p streams;
 * reports RTT p50/p99 and timeouts.
 */
import { ping, type PingService } from '../../../ping/service.js'
import type { DemoAct, DemoContext, DemoRow } from '../types.js'
import { percentile, refOf, round } from '../util.js'

const act: DemoAct = {
  name: 'ping',
  description: 'reference ping/echo protocol: RTT between random pairs',
  async available () { return null },
  async services (_i, _n, seed) {
    return { ping: ping({ timeoutMs: 5000, driver: { seed } }) }
  },
  async run (ctx: DemoContext): Promise<DemoRow[]> {
    const rounds = ctx.quick ? 2 : 5
    const perRound = Math.min(4, ctx.nodes.length - 1)
    const total = rounds * perRound * ctx.nodes.length
    const bar = ctx.io.progress('ping: pings', total)
    const rtts: number[] = []
    let timeouts = 0
    const t0 = performance.now()
    for (let r = 0; r < rounds; r++) {
      await Promise.all(ctx.nodes.map(async (_node, i) => {
        const svc = ctx.services[i].ping as PingService
        for (let k = 0; k < perRound; k++) {
          let j = ctx.rng.int(ctx.nodes.length - 1); if (j >= i) j++
          const peer = refOf(ctx.nodes[j])
          try {
            rtts.push(await svc.ping(peer, { signal: ctx.signal }))
          } catch { timeouts++ }
          bar.tick()
        }
      }))
    }
    bar.stop()
    return [{
      overlay: 'ping',
      action: `${total} pings between random pairs`,
      result: `${rtts.length}/${total} answered`,
      hops: 1,
      messages: 2 * rtts.length,
      timeMs: Math.round(performance.now() - t0),
      rttP50Ms: round(percentile(rtts, 0.5)),
      rttP99Ms: round(percentile(rtts, 0.99)),
      timeouts
    }]
  }
}

export default act
