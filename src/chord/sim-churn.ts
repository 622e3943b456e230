/**
 * The churn scenario (ToN 2003 Table III): a converged ring of ≈N hosts with maintenance running,
 * hosts joining (through a random live host) and failing (crash, no goodbye) as Poisson processes at
 * rate R each, lookups of random keys from random hosts as a Poisson process, every answer checked
 * against brute-force ownership over the joined live vnodes at the moment it completes. Keys stored
 * at the start (replicated) are counted at the end: lost = no live host holds a copy.
 */
import { utf8 } from '../overlay/ids.js'
import { Histogram } from '../overlay/stats.js'
import { poissonChurn, type SimOptions } from '../sim/index.js'
import * as kv from './kv.js'
import { PROFILES, type ChordOptions } from './options.js'
import { ownerOf, sortedRing } from './oracle.js'
import { buildRing, randomKey, type ChordSimNode } from './sim-run.js'
import { itemId, KIND_VALUE } from './store.js'
import type { NodeInfo } from './node.js'

export interface ChurnSpec {
  hosts: number
  /** Joins per second and failures per second (each). */
  rate: number
  /** Virtual ms of churn. */
  durationMs: number
  /** Lookups per second. @default 1 */
  lookupRate?: number
  /** Keys stored before churn starts. @default 0 */
  keys?: number
  /** Host failure = 'crash' (silent) or 'leave' (graceful). @default 'crash' */
  failure?: 'crash' | 'leave'
  options?: ChordOptions
  sim?: SimOptions
  onProgress?: (virtualMs: number) => void
  /** Called once the ring is built (for analysis and tracing). */
  onBuilt?: (sim: import('../sim/index.js').Simulator, nodes: ChordSimNode[]) => void
  /** Every finished lookup (for analysis). */
  onLookup?: (r: { from: string, key: bigint, owner?: NodeInfo, expected: NodeInfo, ok: boolean, error?: string, hops: number, timeouts: number }) => void
}

export interface ChurnResult {
  lookups: number
  hops: import('../overlay/stats.js').Summary
  timeouts: import('../overlay/stats.js').Summary
  meanPath: number
  meanTimeouts: number
  failed: number
  failedPer10k: number
  joins: number
  failures: number
  finalHosts: number
  keys: number
  keysLost: number
}

export function runChurn (spec: ChurnSpec): ChurnResult {
  const opts: ChordOptions = { ...PROFILES.sim, maintenance: true, ...spec.options }
  const { sim, nodes } = buildRing({ hosts: spec.hosts, options: opts, sim: spec.sim })
  const all: ChordSimNode[] = [...nodes]
  spec.onBuilt?.(sim, nodes)
  const rng = sim.rng.fork('churn-workload')
  const bits = nodes[0].machine.bits

  // Ring membership for the brute-force check: a live vnode is on the ring once another live vnode
  // points at it: as successor (its predecessor adopted it) or as predecessor (its successor accepted
  // it and handed it its keys). A node still joining is not. Recomputed when pointers change.
  let ring: NodeInfo[] | undefined
  const joinedLive = (): ChordSimNode[] => all.filter(n => n.alive && n.machine.vnodes.every(v => v.joined))
  const currentRing = (): NodeInfo[] => {
    if (ring !== undefined) return ring
    const live = joinedLive()
    const adopted = new Set<string>()
    for (const n of live) {
      for (const v of n.machine.vnodes) {
        for (const x of v.succs) adopted.add(x.tag)
        if (v.pred !== undefined) adopted.add(v.pred.tag)
      }
    }
    ring = sortedRing(live.map(n => n.machine)).filter(x => adopted.has(x.tag))
    return ring
  }
  sim.on((_n, e) => { if (e.type === 'chord:joined' || e.type === 'chord:successor' || e.type === 'chord:predecessor') ring = undefined })

  // store keys (replicated) before churn
  const nkeys = spec.keys ?? 0
  let stored = 0
  for (let i = 0; i < nkeys; i++) {
    const from = nodes[rng.int(nodes.length)]
    kv.put(from.machine, `churn-key-${i}`, utf8(`v${i}`), (err) => { if (err == null) stored++ })
  }
  sim.run({ until: sim.now + 10_000 })

  const t0 = sim.now
  const until = t0 + spec.durationMs
  let joins = 0; let failures = 0
  poissonChurn(sim, {
    joinRate: spec.rate,
    leaveRate: spec.rate,
    until,
    rng: rng.fork('churn'),
    onJoin: () => {
      const live = joinedLive()
      const via = live[rng.int(live.length)]
      all.push(sim.spawn(nodes[0].spec, { ...opts, bootstrap: [via.ref] }) as ChordSimNode)
      joins++
    },
    onLeave: () => {
      const live = all.filter(n => n.alive)
      if (live.length < 2) return
      const victim = live[rng.int(live.length)]
      if (spec.failure === 'leave') sim.leave(victim); else sim.crash(victim)
      failures++
      ring = undefined
    }
  })

  const path = new Histogram(); const timeouts = new Histogram()
  let lookups = 0; let failed = 0
  const lrng = rng.fork('lookups')
  const nextLookup = (): void => {
    const gap = lrng.exponential(1000 / (spec.lookupRate ?? 1))
    if (sim.now + gap > until) return
    sim.after(gap, () => {
      const live = joinedLive()
      const from = live[lrng.int(live.length)]
      const key = randomKey(lrng, bits)
      from.machine.lookup({ key, verifyOwner: true }, (err, res) => {
        lookups++
        const expected = ownerOf(currentRing(), key)
        const ok = err == null && res !== undefined && res.owner.tag === expected.tag
        if (!ok) failed++
        spec.onLookup?.({ from: from.id, key, owner: res?.owner, expected, ok, error: err?.message, hops: res?.hops ?? -1, timeouts: res?.timeouts ?? 0 })
        if (res !== undefined) { path.add(res.hops); timeouts.add(res.timeouts) }
      })
      nextLookup()
    })
  }
  nextLookup()

  for (let t = t0; t < until; t += 10_000) {
    sim.run({ until: Math.min(until, t + 10_000) })
    spec.onProgress?.(sim.now - t0)
  }
  // let the last lookups finish and repair settle
  sim.run({ until: sim.now + 4 * (opts.replicateMs ?? 5000) })

  let lost = 0
  for (let i = 0; i < nkeys; i++) {
    const id = itemId(KIND_VALUE, utf8(`churn-key-${i}`))
    if (!all.some(n => n.alive && n.machine.store.get(id)?.value !== undefined)) lost++
  }
  return {
    lookups,
    hops: path.summary(),
    timeouts: timeouts.summary(),
    meanPath: path.mean,
    meanTimeouts: timeouts.mean,
    failed,
    failedPer10k: lookups === 0 ? 0 : (failed * 10_000) / lookups,
    joins,
    failures,
    finalHosts: all.filter(n => n.alive).length,
    keys: stored,
    keysLost: lost
  }
}
