/**
 * The failover experiment (benchmark fasttrack-failover, tests): a FastTrack network on the shared
 * search workload settles, queries arrive as a Poisson stream, and mid-run a fraction of the
 * supernodes crash at once (no goodbye). Measured: when every orphaned leaf is re-attached and
 * searchable again (all its shares indexed at a live supernode), shares lost, and the success rate
 * of the queries before the crash, during the gap and after it.
 */
import { Simulator, type LatencyModel } from '../sim/index.js'
import type { SearchWorkload } from '../search/workload.js'
import type { FastTrackHit } from './messages.js'
import type { FastTrackOptions } from './options.js'
import { buildNetwork, tiers, unindexedShares, type FtSimNode } from './sim-network.js'

export interface FailoverOptions {
  /** @default 1 */
  seed?: number | string
  /** Fraction of the supernodes that crash. @default 0.1 */
  killFraction?: number
  /** @default coordinates, 10 ms + 100 ms per unit */
  latency?: LatencyModel
  /** Overlay options for every node. */
  overlay?: FastTrackOptions
  /** Virtual time after the last arrival before the queries start. @default 120000 */
  settleMs?: number
  /** The crash happens this long after the first query. @default half the query phase */
  killAfterMs?: number
  /** Each query waits this long for hits. @default 10000 */
  queryTimeoutMs?: number
  /** Resolution of the recovery measurement, virtual ms. @default 250 */
  sampleMs?: number
}

export interface FailoverResult {
  nodes: number
  supernodesBefore: number
  supernodesKilled: number
  orphanedLeaves: number
  /** ms from the crash until every orphaned leaf was re-attached; -1 if never within the run. */
  reattachMs: number
  /** ms from the crash until every orphaned leaf's shares were indexed at a live supernode again. */
  searchableMs: number
  maintenanceMs: number
  /** Files of live nodes not indexed anywhere at the end of the run (goal 0). */
  sharesLostAtEnd: number
  /** Most files of live nodes unindexed at any sample after the crash (the gap's depth). */
  maxSharesUnindexed: number
  supernodesAfter: number
  promotionsAfterCrash: number
  successBefore: number
  successDuringGap: number
  successAfter: number
  queriesBefore: number
  queriesDuringGap: number
  queriesAfter: number
}

export function simulateFailover (workload: SearchWorkload, options: FailoverOptions = {}): FailoverResult {
  const sim = new Simulator({ seed: options.seed ?? 1, latency: options.latency ?? { kind: 'coordinates', msPerUnit: 100, baseMs: 10 } })
  const coordsRng = sim.rng.fork('coords')
  const coords: Array<[number, number]> = workload.shares.map(() => [coordsRng.next(), coordsRng.next()])
  const n = workload.shares.length
  const overlay = options.overlay ?? {}
  const maintenanceMs = overlay.maintenanceMs ?? 30_000
  const nodes = buildNetwork(sim, {
    nodes: n,
    overlay,
    place: i => coords[i],
    shares: i => workload.shares[i].map(f => ({ ...workload.catalog[f], store: `w/${f}` }))
  })
  const startAt = n * 10 + (options.settleMs ?? 120_000)
  const lastQuery = workload.queries.length > 0 ? workload.queries[workload.queries.length - 1].at : 0
  const killAt = startAt + (options.killAfterMs ?? lastQuery / 2)
  const timeout = options.queryTimeoutMs ?? 10_000
  sim.run({ until: startAt })

  // queries: success by issue time
  const outcome: Array<{ at: number, ok: boolean }> = []
  workload.queries.forEach(q => {
    sim.at(startAt + q.at, () => {
      const node = nodes[q.from]
      const rec = { at: sim.now, ok: false }
      outcome.push(rec)
      if (!node.alive) return
      const wanted = workload.catalog[q.file].hash
      node.machine.search(q.text, { limit: 100, timeoutMs: timeout }, h => { if ((h as FastTrackHit).hash === wanted) rec.ok = true }, () => {})
    })
  })

  sim.run({ until: killAt })
  const before = tiers(nodes)
  const sns = nodes.filter(x => x.alive && x.machine.isSupernode)
  const victims = sim.rng.fork('failover-victims').sample(sns, Math.max(1, Math.round(sns.length * (options.killFraction ?? 0.1))))
  const orphans: FtSimNode[] = []
  for (const v of victims) for (const id of v.machine.supernodeRole?.leaves.keys() ?? []) orphans.push(sim.node(id) as FtSimNode)
  const promotionsBefore = sim.stats.get('ft.promotions')
  for (const v of victims) sim.crash(v)

  const isSearchable = (o: FtSimNode): boolean => {
    if (!o.alive) return true
    if (o.machine.isSupernode) return true
    const parent = o.machine.supernode
    if (parent === undefined) return false
    const sn = sim.node(parent.id) as FtSimNode | undefined
    const index = sn?.alive === true ? sn.machine.supernodeRole?.index : undefined
    if (index === undefined) return false
    for (const f of o.machine.sharedFiles()) if (!index.has(o.id, f.hash)) return false
    return true
  }
  const step = options.sampleMs ?? 250
  let reattachMs = -1
  let searchableMs = -1
  let maxUnindexed = 0
  const end = startAt + lastQuery + timeout + 1
  for (let t = killAt + step; t <= Math.max(end, killAt + 10 * maintenanceMs); t += step) {
    sim.run({ until: t })
    if (reattachMs < 0 && orphans.every(o => !o.alive || o.machine.isSupernode || sim.node(o.machine.supernode?.id ?? '')?.alive === true)) reattachMs = t - killAt
    if (searchableMs < 0) {
      if (orphans.every(isSearchable)) searchableMs = t - killAt
      else {
        let missing = 0
        for (const o of orphans) if (o.alive && !isSearchable(o)) missing += o.machine.sharedFiles().length
        maxUnindexed = Math.max(maxUnindexed, missing)
      }
    }
    if (reattachMs >= 0 && searchableMs >= 0 && t >= end) break
  }
  const gapEnd = searchableMs >= 0 ? killAt + searchableMs : Infinity
  const rate = (xs: typeof outcome): number => xs.length === 0 ? 0 : xs.filter(x => x.ok).length / xs.length
  const pre = outcome.filter(x => x.at < killAt)
  const gap = outcome.filter(x => x.at >= killAt && x.at < gapEnd)
  const post = outcome.filter(x => x.at >= gapEnd)
  return {
    nodes: n,
    supernodesBefore: before.supernodes,
    supernodesKilled: victims.length,
    orphanedLeaves: orphans.length,
    reattachMs,
    searchableMs,
    maintenanceMs,
    sharesLostAtEnd: unindexedShares(sim, nodes).missing,
    maxSharesUnindexed: maxUnindexed,
    supernodesAfter: tiers(nodes).supernodes,
    promotionsAfterCrash: sim.stats.get('ft.promotions') - promotionsBefore,
    successBefore: rate(pre),
    successDuringGap: rate(gap),
    successAfter: rate(post),
    queriesBefore: pre.length,
    queriesDuringGap: gap.length,
    queriesAfter: post.length
  }
}
