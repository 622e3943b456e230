/**
 * `overlaykit node --overlay gossip`: epidemic broadcast with the peers this node is connected to
 * (full membership over connections; bootstrap peers are dialled at start). Every delivery is
 * reported as an event line `{"event":"gossip:deliver","topic","data","origin","id"}`.
 * Ops: publish {topic, data}, peers, put {key, value}, get {key}. Options (--opt): periodMs, fanout, k,
 * ttlMs (how long a broadcast lives: also the longest cut it survives), antiEntropyMs (and
 * antiEntropyMaxMs: back off to it while exchanges repair nothing; alone, antiEntropyMs is a fixed
 * period), recoveryMs / recoveryPeers (probing peers lost in a cut; 0 turns it off), and open=true
 * (signed: false — sign nothing, accept unsigned updates; for labs only).
 */
import { multiaddr } from '@multiformats/multiaddr'
import type { NodeOpsContext, NodeOpsFactory } from '../overlay/node-ops.js'
import { gossip, type GossipService } from './service.js'
import { PROFILES } from './options.js'

const svc = (ctx: NodeOpsContext): GossipService => ctx.node.services.gossip as GossipService

function services (o: Record<string, string>, seed: string): Record<string, (components: any) => unknown> {
  const init: Record<string, unknown> = { driver: { seed } }
  const num = (k: string): number | undefined => {
    if (o[k] === undefined) return undefined
    const v = Number(o[k]); if (!Number.isFinite(v) || v < 0) throw new Error(`--opt ${k} must be a number ≥ 0`)
    return v
  }
  for (const k of ['periodMs', 'fanout', 'k', 'ttlMs']) { const v = num(k); if (v !== undefined) init[k] = v }
  const aeMs = num('antiEntropyMs'); const aeMaxMs = num('antiEntropyMaxMs')
  if (aeMs !== undefined || aeMaxMs !== undefined) {
    const periodMs = aeMs ?? PROFILES.live.antiEntropy.periodMs
    init.antiEntropy = { periodMs, mode: 'push-pull', maxPeriodMs: aeMaxMs ?? periodMs }
  }
  if (o.open !== undefined) {
    if (o.open !== 'true' && o.open !== 'false') throw new Error('--opt open must be true or false')
    init.signed = o.open !== 'true'
  }
  const recoveryMs = num('recoveryMs'); const recoveryPeers = num('recoveryPeers')
  if (recoveryMs !== undefined || recoveryPeers !== undefined) init.recovery = { periodMs: recoveryMs, maxPeers: recoveryPeers }
  return { gossip: gossip(init) }
}

export const gossipNodeOps: NodeOpsFactory = (o, seed) => ({
  services: services(o, seed),
  async join (ctx) {
    const s = svc(ctx)
    const dec = new TextDecoder()
    s.onEvent((e) => {
      if (e.type === 'gossip:deliver') ctx.emit({ event: 'gossip:deliver', id: e.id, topic: e.topic, data: dec.decode(e.data as Uint8Array), origin: e.origin, from: e.from })
    })
    for (const b of ctx.bootstrap) {
      try { await ctx.node.dial(multiaddr(b), { signal: AbortSignal.timeout(10_000) }) } catch (err) { ctx.log(`gossip: dial ${b} failed: ${(err as Error).message}`) }
    }
  },
  ops: {
    async publish (args, ctx) {
      if (typeof args.topic !== 'string') throw new Error('publish needs "topic"')
      const data = typeof args.data === 'string' ? args.data : JSON.stringify(args.data ?? '')
      return { id: svc(ctx).publish(args.topic, new TextEncoder().encode(data)), topic: args.topic }
    },
    async peers (_args, ctx) { return svc(ctx).peers().map(p => p.id) },
    async put (args, ctx) {
      if (typeof args.key !== 'string' || typeof args.value !== 'string') throw new Error('put needs "key" and "value" strings')
      svc(ctx).put(args.key, new TextEncoder().encode(args.value)); return { key: args.key }
    },
    async get (args, ctx) {
      if (typeof args.key !== 'string') throw new Error('get needs "key"')
      const v = svc(ctx).get(args.key)
      return { key: args.key, found: v !== undefined, value: v === undefined ? null : new TextDecoder().decode(v) }
    }
  },
  status (ctx) { return { peers: svc(ctx).peers().length } }
})
