/**
 * Gnutella live: servents connect into a random graph (each to 3 random others), one floods a
 * query with TTL; hits come back along the reverse path; download from a hit.
 */
import { gnutella, type GnutellaService } from '../../../gnutella/index.js'
import { mapLimit } from '../../live.js'
import type { DemoAct, DemoContext, DemoRow } from '../types.js'
import { refOf } from '../util.js'
import { pickDistinct, searchScenario, storageFor } from '../search-common.js'

const act: DemoAct = {
  name: 'gnutella',
  description: 'unstructured flooding search: connect a random graph, flood a query, download from a hit',
  async available () { return null },
  async services (i, _n, seed) {
    return { gnutella: gnutella({ driver: { seed, storage: storageFor('gnutella', i) } }) }
  },
  async setup (ctx: DemoContext): Promise<DemoRow[]> {
    const peers = ctx.nodes.map(n => n.services.gnutella as GnutellaService)
    const n = peers.length
    const t0 = performance.now()
    // each servent connects to 3 random others (plus i → i+1 so the graph is connected)
    const edges: Array<[number, number]> = []
    for (let i = 0; i < n; i++) {
      edges.push([i, (i + 1) % n])
      for (const j of pickDistinct(ctx, n, 2, [i, (i + 1) % n])) edges.push([i, j])
    }
    const bar = ctx.io.progress('gnutella: connecting', edges.length)
    let failed = 0
    await mapLimit(edges, 6, async ([a, b]) => {
      try { await peers[a].connectServent(refOf(ctx.nodes[b]), { signal: ctx.signal, timeoutMs: 15_000 }) } catch { failed++ }
      bar.tick()
    })
    bar.stop()
    const degrees = peers.map(p => p.neighbours().length)
    const rows: DemoRow[] = [{
      overlay: 'gnutella',
      action: `${n} servents connect a random graph`,
      result: `mean degree ${(degrees.reduce((a, b) => a + b, 0) / n).toFixed(1)}${failed > 0 ? `, ${failed} connects failed` : ''}`,
      timeMs: Math.round(performance.now() - t0)
    }]
    return rows
  },
  async run (ctx: DemoContext): Promise<DemoRow[]> {
    const peers = ctx.nodes.map(n => n.services.gnutella as GnutellaService)
    const n = peers.length
    const rows: DemoRow[] = []
    const asker = ctx.rng.int(n)
    const sharers = pickDistinct(ctx, n, 3, [asker])
    rows.push(...await searchScenario(ctx, 'gnutella', peers, sharers, asker))
    return rows
  }
}

export default act
