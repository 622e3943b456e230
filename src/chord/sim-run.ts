/**
 * Simulator scenarios shared by `overlaykit sim chord` and the chord benchmarks: build a ring (oracle
 * bootstrap or real joins), fail a fraction of hosts, run lookups as real messages and compare every
 * answer with brute-force ownership over the live ring, and measure key load per host.
 */
import { bigIntToBytes, hashToId } from '../overlay/ids.js'
import { Histogram } from '../overlay/stats.js'
import type { Rng } from '../overlay/rng.js'
import { Simulator, type SimNode, type SimOptions, type SpawnOptions } from '../sim/index.js'
import type { LookupOutcome } from './lookup.js'
import type { ChordMachine } from './machine.js'
import type { ChordMessage } from './messages.js'
import { compareNodes, type NodeInfo } from './node.js'
import type { ChordOptions } from './options.js'
import { oracleBootstrap, RingIndex, sortedRing, successorIndex } from './oracle.js'
import { chordSpecFor } from './spec.js'

export type ChordSimNode = SimNode<ChordMessage, ChordMachine>

export interface RingSpec {
  hosts: number
  options?: ChordOptions
  sim?: SimOptions
  /** 'oracle': converged state written directly (documented in oracle.ts); 'join': real joins. @default 'oracle' */
  bootstrap?: 'oracle' | 'join'
  /** Virtual ms between joins in 'join' mode. @default 50 */
  joinGapMs?: number
  onProgress?: (done: number, total: number) => void
  /** Per-host spawn options (e.g. coordinates for the coordinates latency model). */
  spawn?: (i: number) => SpawnOptions
}

/** Spawn `hosts` Chord hosts. In oracle mode maintenance is off unless options say otherwise. */
export function buildRing (spec: RingSpec): { sim: Simulator, nodes: ChordSimNode[] } {
  const sim = new Simulator(spec.sim)
  const opts: ChordOptions = spec.options ?? {}
  const cspec = chordSpecFor(opts.bits ?? 160)
  const nodes: ChordSimNode[] = []
  const oracle = (spec.bootstrap ?? 'oracle') === 'oracle'
  // one options object for every oracle host (each node keeps its options: 10^6 copies add up)
  const oracleOpts: ChordOptions = { maintenance: false, ...opts, bits: opts.bits ?? 160 }
  for (let i = 0; i < spec.hosts; i++) {
    if (oracle) nodes.push(sim.spawn(cspec, oracleOpts, spec.spawn?.(i)))
    else {
      if (i > 0) sim.run({ until: sim.now + (spec.joinGapMs ?? 50) })
      nodes.push(sim.spawn(cspec, { ...opts, bootstrap: i === 0 ? [] : [nodes[sim.rng.int(i)].ref] }, spec.spawn?.(i)))
    }
    if ((i & 4095) === 0) spec.onProgress?.(i, spec.hosts)
  }
  if (oracle) oracleBootstrap(nodes.map(n => n.machine))
  spec.onProgress?.(spec.hosts, spec.hosts)
  return { sim, nodes }
}

export function randomKey (rng: Rng, bits: number): bigint {
  let k = 0n
  for (let i = 0; i < Math.ceil(bits / 32); i++) k = (k << 32n) | BigInt(rng.u32())
  return k & ((1n << BigInt(bits)) - 1n)
}

export interface LookupRecord { key: bigint, owner?: NodeInfo, expected: NodeInfo, hops: number, timeouts: number, ok: boolean, latencyMs: number, messages: number }

export interface LookupStats {
  count: number
  hops: Histogram
  timeouts: Histogram
  latency: Histogram
  messages: Histogram
  failed: number
  records?: LookupRecord[]
}

export interface LookupRun {
  count: number
  /** Virtual ms between lookup starts. @default 1 */
  spacingMs?: number
  verifyOwner?: boolean
  keepRecords?: boolean
  onProgress?: (done: number) => void
}

/**
 * `count` lookups of random keys from random live hosts, run to completion. A lookup fails when it
 * errors or names an owner other than the brute-force successor of the key among live vnodes.
 */
export function runLookups (sim: Simulator, nodes: ChordSimNode[], run: LookupRun): LookupStats {
  const liveNodes = nodes.filter(n => n.alive)
  const bits = liveNodes[0].machine.bits
  const ring = new RingIndex(sortedRing(liveNodes.map(n => n.machine)), bits)
  const st: LookupStats = { count: 0, hops: new Histogram(), timeouts: new Histogram(), latency: new Histogram(), messages: new Histogram(), failed: 0, records: run.keepRecords === true ? [] : undefined }
  const rng = sim.rng.fork('lookups')
  const spacing = run.spacingMs ?? 1
  let started = 0
  const startOne = (): void => {
    const from = liveNodes[rng.int(liveNodes.length)]
    const key = randomKey(rng, bits)
    from.machine.lookup({ key, verifyOwner: run.verifyOwner }, (err, res?: LookupOutcome) => {
      const expected = ring.owner(key)
      const ok = err == null && res !== undefined && res.owner.tag === expected.tag
      st.count++
      if (!ok) st.failed++
      if (res !== undefined) {
        st.hops.add(res.hops); st.timeouts.add(res.timeouts); st.latency.add(res.latencyMs); st.messages.add(res.messages)
      }
      st.records?.push({ key, owner: res?.owner, expected, hops: res?.hops ?? -1, timeouts: res?.timeouts ?? 0, ok, latencyMs: res?.latencyMs ?? 0, messages: res?.messages ?? 0 })
      if ((st.count & 1023) === 0) run.onProgress?.(st.count)
    })
  }
  const tick = (): void => {
    startOne()
    if (++started < run.count) sim.after(spacing, tick)
  }
  sim.after(0, tick)
  while (st.count < run.count && sim.pending > 0) sim.run({ maxEvents: 200_000 })
  run.onProgress?.(st.count)
  return st
}

/** Crash a random fraction p of the hosts at once (the "simultaneous failures" experiment). */
export function failFraction (sim: Simulator, nodes: ChordSimNode[], p: number): number {
  const rng = sim.rng.fork(`fail/${p}`)
  const victims = rng.sample(nodes.filter(n => n.alive), Math.round(p * nodes.length))
  for (const v of victims) sim.crash(v)
  return victims.length
}

export interface LoadSummary { keys: number, hosts: number, mean: number, p1: number, p50: number, p99: number, max: number, zero: number }

/** Ring ids of `n` random hashed keys (hash of 8 random bytes, as a hashed key name would be). */
export function hashedKeys (n: number, rng: Rng, bits: number): bigint[] {
  const out: bigint[] = new Array(n)
  for (let i = 0; i < n; i++) out[i] = hashToId(bigIntToBytes(BigInt(rng.u32()) * 4294967296n + BigInt(rng.u32()), 8), bits)
  return out
}

/** Keys per host when the keys are placed at their owners (brute force, no messages). */
export function keyLoad (nodes: ChordSimNode[], keys: number | bigint[], rng: Rng): LoadSummary {
  const machines = nodes.filter(n => n.alive).map(n => n.machine)
  const ring = sortedRing(machines)
  const bits = machines[0].bits
  const hostIndex = new Map<string, number>()
  machines.forEach((m, i) => hostIndex.set(m.self.id, i))
  const counts = new Float64Array(machines.length)
  const ids = typeof keys === 'number' ? hashedKeys(keys, rng, bits) : keys
  for (const key of ids) counts[hostIndex.get(ring[successorIndex(ring, key, bits)].peer) as number]++
  const h = new Histogram()
  let zero = 0
  for (const c of counts) { h.add(c); if (c === 0) zero++ }
  const s = h.summary()
  return { keys: ids.length, hosts: machines.length, mean: s.mean, p1: s.p1, p50: s.p50, p99: s.p99, max: s.max, zero }
}

/** Mean routing entries per host (distinct fingers + successor-list entries + predecessors). */
export function routingEntriesPerHost (nodes: ChordSimNode[]): number {
  let total = 0; let n = 0
  for (const x of nodes) if (x.alive) { total += x.machine.routingEntries(); n++ }
  return n === 0 ? 0 : total / n
}

export { compareNodes }
