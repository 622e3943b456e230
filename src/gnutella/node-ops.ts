/**
 * `overlaykit node --overlay gnutella --opt dir=./shared [--bootstrap …]`: a live servent sharing files
 * from a folder. Ops: share {path}, search {query, limit, timeoutMs}, download {hit, offset?},
 * neighbours. Options (--opt): dir (storage folder, default "."), ttl, degree, firewalled=true.
 */
import type { NodeOpsContext, NodeOpsFactory } from '../overlay/node-ops.js'
import { FsBlobStorage } from '../runtime/libp2p/storage.js'
import { fileSearchOps } from '../search/live/node-ops.js'
import { gnutella, type GnutellaService } from './service.js'

const svc = (ctx: NodeOpsContext): GnutellaService => ctx.node.services.gnutella as GnutellaService

export const gnutellaNodeOps: NodeOpsFactory = (o, seed) => {
  const degree = o.degree !== undefined ? Number(o.degree) : 4
  return {
    services: {
      gnutella: gnutella({
        ttl: o.ttl !== undefined ? Number(o.ttl) : 7,
        targetDegree: degree,
        maxDegree: Math.max(8, 2 * degree),
        firewalled: o.firewalled === 'true',
        driver: { seed, storage: new FsBlobStorage(o.dir ?? '.') }
      })
    },
    async join (ctx) {
      for (const b of ctx.bootstrap) {
        try { await svc(ctx).connectServent(b) } catch (err) { ctx.log(`gnutella: connect ${b} failed: ${(err as Error).message}`) }
      }
      svc(ctx).onEvent(e => { if (e.type === 'gnutella:neighbour-up' || e.type === 'gnutella:neighbour-down') ctx.emit({ event: e.type, peer: e.peer }) })
    },
    ops: {
      ...fileSearchOps(svc),
      async neighbours (_a, ctx) { return svc(ctx).neighbours() }
    },
    status (ctx) { return { neighbours: svc(ctx).neighbours().length, shared: svc(ctx).machine.catalog.size } }
  }
}
