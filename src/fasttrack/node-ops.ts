/**
 * `overlaykit node --overlay fasttrack [--opt dir=./shared] [--opt upKbps=4000]`: a FastTrack node;
 * it becomes a supernode when capable and elected, a leaf otherwise. Joins by being introduced to
 * its bootstrap peers. Ops: share {path}, search {query}, download {hit}, role.
 * Options (--opt): dir (storage folder, default "."), upKbps, firewalled=true, maxLeaves.
 */
import type { NodeOpsContext, NodeOpsFactory } from '../overlay/node-ops.js'
import { FsBlobStorage } from '../runtime/libp2p/index.js'
import { fileSearchOps } from '../search/live/node-ops.js'
import { fasttrack, type FastTrackService } from './service.js'

const svc = (ctx: NodeOpsContext): FastTrackService => ctx.node.services.fasttrack as FastTrackService

export const fasttrackNodeOps: NodeOpsFactory = (o, seed) => ({
  services: {
    fasttrack: fasttrack({
      capacity: { upKbps: o.upKbps !== undefined ? Number(o.upKbps) : 256, firewalled: o.firewalled === 'true' },
      ...(o.maxLeaves !== undefined ? { maxLeaves: Number(o.maxLeaves) } : {}),
      driver: { seed, storage: new FsBlobStorage(o.dir ?? '.') }
    })
  },
  async join (ctx) {
    const s = svc(ctx)
    s.onEvent(e => { if (e.type === 'fasttrack:role' || e.type === 'fasttrack:attached') ctx.emit({ event: e.type, ...e, type: undefined }) })
    for (const b of ctx.bootstrap) {
      try { await s.introduce(b, { signal: AbortSignal.timeout(10_000) }) } catch (err) { ctx.log(`fasttrack: introduce ${b} failed: ${(err as Error).message}`) }
    }
    if (ctx.bootstrap.length > 0) await s.waitAttached({ timeoutMs: 30_000 }).catch(err => { ctx.log(`fasttrack: not attached yet (${(err as Error).message})`) })
  },
  ops: {
    ...fileSearchOps((ctx) => svc(ctx)),
    async role (_a, ctx) {
      const s = svc(ctx)
      return { role: s.role, supernode: s.supernode, leaves: s.leaves().length, links: s.links().length }
    }
  },
  status (ctx) { const s = svc(ctx); return { role: s.role, supernode: s.supernode, leaves: s.leaves().length } }
})
