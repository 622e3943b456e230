/**
 * `overlaykit node --overlay gnutella --opt dir=./shared [--bootstrap …]`: a live servent sharing files
 * from a folder. Ops: share {path}, search {query, limit, timeoutMs}, download {hit, offset?},
 * neighbours. Options (--opt): dir (storage folder, default "."), ttl, degree, firewalled=true.
 * (A NodeAdapter for src/cli/node/adapters; structurally typed so this folder does not import the CLI.)
 */
import { FsBlobStorage } from '../runtime/libp2p/storage.js'
import { fileSearchOps } from '../search/live/node-ops.js'
import { gnutella, type GnutellaService } from './service.js'

const svc = (ctx: any): GnutellaService => ctx.node.services.gnutella as GnutellaService

const adapter = {
  name: 'gnutella',
  description: 'Gnutella 0.4 servent: flooding search over neighbours, direct download (push when firewalled)',
  services (o: Record<string, string>, seed: string) {
    const degree = o.degree !== undefined ? Number(o.degree) : 4
    return {
      gnutella: gnutella({
        ttl: o.ttl !== undefined ? Number(o.ttl) : 7,
        targetDegree: degree,
        maxDegree: Math.max(8, 2 * degree),
        firewalled: o.firewalled === 'true',
        driver: { seed, storage: new FsBlobStorage(o.dir ?? '.') }
      })
    }
  },
  async join (ctx: any) {
    for (const b of ctx.bootstrap as string[]) {
      try { await svc(ctx).connectServent(b) } catch (err) { ctx.log(`gnutella: connect ${b} failed: ${(err as Error).message}`) }
    }
    svc(ctx).onEvent(e => { if (e.type === 'gnutella:neighbour-up' || e.type === 'gnutella:neighbour-down') ctx.emit({ event: e.type, peer: e.peer }) })
  },
  ops: {
    ...fileSearchOps(svc),
    async neighbours (_a: Record<string, unknown>, ctx: any) { return svc(ctx).neighbours() }
  },
  status (ctx: any) { return { neighbours: svc(ctx).neighbours().length, shared: svc(ctx).machine.catalog.size } }
}

export default adapter
