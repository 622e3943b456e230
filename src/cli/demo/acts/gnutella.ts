/**
 * Gnutella live: servents connect into a random graph (a ring plus 2 random edges from each), one floods a
 * query with TTL; hits come back along the reverse path; download from a hit.
 */
import { gnutella, type GnutellaService } from '../../../gnutella/index.js'
import { mapLimit } from '../../live.js'
import type { Rng } from '../../../overlay/rng.js'
import type { DemoAct, DemoContext, DemoRow } from '../types.js'
import { refOf } from '../util.js'
import { pickDistinct, searchScenario, storageFor } from '../search-common.js'

/** A servent refuses connections beyond its maxDegree (default 8); the demo graph stays below it, leaving room for the servents' own maintenance connects. */
export const DEGREE_CAP = 6

/**
 * A connected random graph: a ring (i → i+1) plus, from each node, 2 edges to random others, never
 * a pair twice (no a → b beside b → a) and no node above DEGREE_CAP.
 */
export function randomGraph (rng: Rng, n: number): Array<[number, number]> {
  const edges: Array<[number, number]> = []
  const adj = Array.from({ length: n }, () => new Set<number>())
  const add = (a: number, b: number): void => { edges.push([a, b]); adj[a].add(b); adj[b].add(a) }
  for (let i = 0; i < n && n > 1; i++) if (!adj[i].has((i + 1) % n)) add(i, (i + 1) % n)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 2 && adj[i].size < DEGREE_CAP; k++) {
      const free = Array.from({ length: n }, (_, j) => j).filter(j => j !== i && !adj[i].has(j) && adj[j].size < DEGREE_CAP)
      if (free.length === 0) break
      add(i, free[rng.int(free.length)])
    }
  }
  return edges
}

const act: DemoAct = {
  name: 'gnutella',
  description: 'unstructured flooding search: connect a random graph, flood a query, download from a hit',
  async available () { return null },
  async services (i, _n, seed) {
    return { gnutella: gnutella({ driver: { seed, storage: storageFor('gnutella', i) } }) }
  },
  async setup (ctx: DemoContext): Promise<DemoRow[]> {
    const peers = ctx.services.map(s => s.gnutella as GnutellaService)
    const n = peers.length
    const t0 = performance.now()
    const edges = randomGraph(ctx.rng, n)
    const bar = ctx.io.progress('gnutella: connecting', edges.length)
    let failed = 0
    await mapLimit(edges, 6, async ([a, b]) => {
      // a refused CONNECT (busy) is only noticed by timing out, so no longer than the servent's own
      // connect timeout (5 s); the degree cap makes refusals rare
      try { await peers[a].connectServent(refOf(ctx.nodes[b]), { signal: ctx.signal, timeoutMs: 5000 }) } catch { failed++ }
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
    const peers = ctx.services.map(s => s.gnutella as GnutellaService)
    const n = peers.length
    const rows: DemoRow[] = []
    const asker = ctx.rng.int(n)
    const sharers = pickDistinct(ctx, n, 3, [asker])
    rows.push(...await searchScenario(ctx, 'gnutella', peers, sharers, asker))
    return rows
  }
}

export default act
