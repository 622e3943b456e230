/**
 * The `overlaykit node` control operations every FileSearch overlay answers the same way (napster
 * client, gnutella, fasttrack): share a file from the node's storage folder, search, download a hit.
 * Their node ops (src/<overlay>/node-ops.ts) spread these into their `ops`.
 */
import type { FileSearch, SearchHit } from '../../overlay/capabilities.js'
import type { NodeOp, NodeOpsContext } from '../../overlay/node-ops.js'
import type { DownloadResult } from '../transfer.js'
import type { ShareableFile } from '../api.js'

export interface FileSearchService extends FileSearch {
  shareStored (store: string, name?: string): Promise<ShareableFile>
  fetchFile (hit: SearchHit, options?: { offset?: number, store?: string, signal?: AbortSignal }): Promise<DownloadResult>
}

export function fileSearchOps (svc: (ctx: NodeOpsContext) => FileSearchService): Record<string, NodeOp> {
  return {
    /** {"op":"share","path":"music/a.mp3"} — a path under the node's --opt dir. */
    async share (args, ctx) {
      if (typeof args.path !== 'string') throw new Error('share needs "path" (relative to the storage folder)')
      const f = await svc(ctx).shareStored(args.path, typeof args.name === 'string' ? args.name : undefined)
      return { name: f.name, size: f.size, hash: f.hash }
    },
    /** {"op":"search","query":"blue moon","limit":20,"timeoutMs":3000} → hits. */
    async search (args, ctx, signal) {
      if (typeof args.query !== 'string') throw new Error('search needs "query"')
      const hits: SearchHit[] = []
      for await (const h of svc(ctx).search(args.query, { signal, limit: Number(args.limit ?? 20), timeoutMs: Number(args.timeoutMs ?? 3000) })) hits.push(h)
      return hits
    },
    /** {"op":"download","hit":{…a hit from search…},"offset":0,"store":"downloads/x"} */
    async download (args, ctx, signal) {
      const hit = args.hit as SearchHit | undefined
      if (hit === undefined || typeof hit.hash !== 'string' || typeof hit.peer?.id !== 'string') throw new Error('download needs "hit" (an object returned by search)')
      const r = await svc(ctx).fetchFile(hit, { signal, offset: Number(args.offset ?? 0), ...(typeof args.store === 'string' ? { store: args.store } : {}) })
      return { hash: r.hash, size: r.size, store: r.store, from: r.from, viaPush: r.viaPush, resumedFrom: r.resumedFrom, durationMs: Math.round(r.durationMs) }
    }
  }
}
