/**
 * Gossip live: push rumour mongering with anti-entropy among the swarm (each node gossips with the
 * peers it is connected to). One broadcast's coverage over time, then a burst of updates from random
 * nodes that must all reach every node.
 */
import { gossip, type GossipService } from '../../../gossip/service.js'
import { mapLimit } from '../../live.js'
import type { DemoAct, DemoContext, DemoRow } from '../types.js'
import { pickDistinct } from '../search-common.js'
import { round, waitFor } from '../util.js'

const act: DemoAct = {
  name: 'gossip',
  description: 'epidemic broadcast: coverage of one rumour over time, then every update of a burst everywhere',
  async available () { return null },
  async services (_i, _n, seed) {
    return { gossip: gossip({ driver: { seed } }) }
  },
  async setup (ctx: DemoContext): Promise<DemoRow[]> {
    const n = ctx.nodes.length
    const peers = ctx.services.map(s => s.gossip as GossipService)
    const t0 = performance.now()
    // make sure every node has a few connections to gossip over (earlier acts on this swarm usually
    // left more: every one of them is a gossip partner)
    await mapLimit(Array.from({ length: n }, (_, i) => i), 6, async (i) => {
      for (const j of [(i + 1) % n, ...pickDistinct(ctx, n, 2, [i, (i + 1) % n])]) {
        await ctx.nodes[i].dial(ctx.nodes[j].getMultiaddrs(), { signal: ctx.signal }).catch(() => {})
      }
    })
    const ok = await waitFor(() => peers.every(p => p.peers().length >= 2), 10_000, 100, ctx.signal)
    const degree = peers.reduce((a, p) => a + p.peers().length, 0) / n
    return [{ overlay: 'gossip', action: `${n} nodes find gossip partners among their connections`, result: `mean ${degree.toFixed(1)} partners per node${ok ? '' : ' (some have fewer than 2)'}`, timeMs: Math.round(performance.now() - t0) }]
  },
  async run (ctx: DemoContext): Promise<DemoRow[]> {
    const n = ctx.nodes.length
    const peers = ctx.services.map(s => s.gossip as GossipService)
    const sent = (): number => peers.reduce((a, p) => a + p.stats.totals().sent, 0)
    // 1. one rumour: when does each node get it?
    const arrivals: number[] = []
    const offs = peers.map(p => p.onEvent(e => { if (e.type === 'gossip:deliver' && e.topic === 'demo/one') arrivals.push(performance.now()) }))
    const origin = ctx.rng.int(n)
    const before = sent()
    const t0 = performance.now()
    peers[origin].publish('demo/one', new TextEncoder().encode('hello, epidemic'))
    const bar = ctx.io.progress('gossip: coverage', n)
    const all = await waitFor(() => { bar.update(arrivals.length + 1); return arrivals.length >= n - 1 }, 15_000, 20, ctx.signal)
    bar.stop()
    const at = (q: number): number => { const k = Math.ceil(q * n) - 2; return k < 0 ? 0 : arrivals[Math.min(k, arrivals.length - 1)] - t0 }
    const msgs1 = sent() - before
    for (const off of offs) off()
    const rows: DemoRow[] = [{
      overlay: 'gossip',
      action: `node ${origin} broadcasts one rumour`,
      result: `${all ? '' : 'FAILED: '}${arrivals.length + 1}/${n} nodes have it${all ? '' : ' (not all in 15 s)'}; 50 % after ${Math.round(at(0.5))} ms, 90 % after ${Math.round(at(0.9))} ms, all after ${Math.round(at(1))} ms`,
      messages: msgs1,
      timeMs: Math.round(at(1)),
      messagesPerNode: round(msgs1 / n, 1)
    }]
    // 2. a burst: 20 updates from random nodes; every node must deliver every one
    const burst = ctx.quick ? 8 : 20
    const got = peers.map(() => new Set<string>())
    const offs2 = peers.map((p, i) => p.onEvent(e => { if (e.type === 'gossip:deliver' && e.topic === 'demo/burst') got[i].add(String(e.id)) }))
    const ids: string[] = []
    const before2 = sent()
    const t1 = performance.now()
    for (let k = 0; k < burst; k++) {
      const from = ctx.rng.int(n)
      const id = peers[from].publish('demo/burst', new TextEncoder().encode(`update ${k}`))
      ids.push(id); got[from].add(id)
    }
    const complete = await waitFor(() => got.every(s => ids.every(id => s.has(id))), 20_000, 50, ctx.signal)
    for (const off of offs2) off()
    const missing = got.reduce((a, s) => a + ids.filter(id => !s.has(id)).length, 0)
    rows.push({
      overlay: 'gossip',
      action: `${burst} updates from random nodes`,
      result: complete ? `every node delivered all ${burst}, each exactly once` : `FAILED: ${missing} deliveries missing after 20 s`,
      messages: sent() - before2,
      timeMs: Math.round(performance.now() - t1)
    })
    return rows
  }
}

export default act
