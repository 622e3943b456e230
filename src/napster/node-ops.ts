/**
 * `overlaykit node --overlay napster --opt role=server` runs the central index server;
 * `overlaykit node --overlay napster --opt dir=./shared --opt server=<server multiaddr>` a client.
 * Client ops: share {path}, search {query, limit, timeoutMs}, download {hit, offset?}, browse {nick}.
 * Server status: users and index size. Options: dir, firewalled=true, role.
 */
import type { NodeOpsContext, NodeOpsFactory } from '../overlay/node-ops.js'
import { FsBlobStorage } from '../runtime/libp2p/storage.js'
import { fileSearchOps } from '../search/live/node-ops.js'
import { napster, napsterServer, type NapsterServerService, type NapsterService } from './service.js'

const client = (ctx: NodeOpsContext): NapsterService => {
  const s = ctx.node.services.napster as NapsterService | undefined
  if (s === undefined) throw new Error('this node is the napster server; search from a client node')
  return s
}

export const napsterNodeOps: NodeOpsFactory = (o, seed) => {
  const role = o.role ?? 'client'
  if (role !== 'server' && role !== 'client') throw new Error('--opt role must be server or client')
  if (role === 'client' && o.server === undefined) throw new Error('a napster client needs the server: --opt server=<server multiaddr with /p2p/…>')
  const services: Record<string, (components: any) => unknown> = role === 'server'
    ? { napsterServer: napsterServer({ driver: { seed } }) }
    : { napster: napster({ server: o.server, firewalled: o.firewalled === 'true', driver: { seed, storage: new FsBlobStorage(o.dir ?? '.') } }) }
  return {
    services,
    async join (ctx) {
      if (role === 'server') return
      const s = client(ctx)
      s.onEvent(e => { if (e.type === 'napster:online' || e.type === 'napster:offline') ctx.emit({ event: e.type, ...e }) })
      await s.waitOnline({ timeoutMs: 15_000 }).catch(err => { ctx.log(`napster: not online yet (${(err as Error).message}); retrying in the background`) })
    },
    ops: {
      ...fileSearchOps(client),
      async browse (a, ctx) {
        if (typeof a.nick !== 'string') throw new Error('browse needs "nick" (a peer id)')
        return await client(ctx).browse(a.nick)
      }
    },
    status (ctx) {
      if (role === 'server') {
        const s = ctx.node.services.napsterServer as NapsterServerService
        return { role, users: s.users, indexSize: s.indexSize }
      }
      return { role, online: client(ctx).online, shared: client(ctx).machine.catalog.size }
    }
  }
}
