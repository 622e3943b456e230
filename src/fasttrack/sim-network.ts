/**
 * Builds a FastTrack network in the simulator: nodes arrive one after another (each bootstrapping
 * from a few random earlier arrivals), with heterogeneous capacities, so elections happen as the
 * network grows, as in a real deployment. Used by sim-search, the benchmarks, the CLI and tests.
 */
import type { PeerRef } from '../overlay/index.js'
import type { Rng } from '../overlay/rng.js'
import type { Simulator, SimNode } from '../sim/index.js'
import type { FastTrackMachine } from './machine.js'
import type { FastTrackMsg } from './messages.js'
import type { SharedFile } from '../overlay/index.js'
import type { CapacityInit, FastTrackOptions } from './options.js'
import { fasttrackSpec } from './spec.js'

export type FtSimNode = SimNode<FastTrackMsg, FastTrackMachine>

export interface NetworkOptions {
  nodes: number
  /** Options for every node (capacity, bootstrap and shares are set per node). */
  overlay?: FastTrackOptions
  /** Gap between arrivals, ms. @default 10 */
  arrivalGapMs?: number
  /** Random earlier nodes each arrival bootstraps from. @default 3 */
  bootstrapPeers?: number
  /** Fraction of nodes behind a firewall/NAT (never supernodes, reached by push). @default 0.4 */
  firewalledShare?: number
  /** Per node capacity; default draws from `drawCapacity`. */
  capacity?: (i: number, rng: Rng) => CapacityInit
  /** Per node position for the 'coordinates' latency model. @default none */
  place?: (i: number) => [number, number]
  /** Per node shares. @default none */
  shares?: (i: number) => Array<SharedFile & { store?: string }>
}

/**
 * Upload bandwidth of the early-2000s file-sharing population (roughly after Saroiu, Gummadi and
 * Gribble 2002): 10 % fast (2–20 Mbit/s, university or T1), 20 % broadband (0.77–2 Mbit/s),
 * 70 % modem/ADSL uplinks (56–512 kbit/s). Log-uniform within each class.
 */
export function drawCapacity (rng: Rng, firewalledShare: number): CapacityInit {
  const u = rng.next()
  const logUniform = (lo: number, hi: number): number => Math.round(Math.exp(rng.range(Math.log(lo), Math.log(hi))))
  const upKbps = u < 0.1 ? logUniform(2000, 20000) : u < 0.3 ? logUniform(768, 2000) : logUniform(56, 512)
  return { upKbps, firewalled: rng.bool(firewalledShare) }
}

/** Spawns the nodes over virtual time; returns them in arrival order (entries fill as they arrive). */
export function buildNetwork (sim: Simulator, opts: NetworkOptions): FtSimNode[] {
  const gap = opts.arrivalGapMs ?? 10
  const k = opts.bootstrapPeers ?? 3
  const rng = sim.rng.fork('fasttrack-network')
  const nodes: FtSimNode[] = []
  const refs: PeerRef[] = []
  for (let i = 0; i < opts.nodes; i++) {
    const capacity = opts.capacity?.(i, rng) ?? drawCapacity(rng, opts.firewalledShare ?? 0.4)
    const spawn = (): void => {
      const bootstrap = rng.sample(refs, k)
      const coords = opts.place?.(i)
      const node = sim.spawn(fasttrackSpec, { ...opts.overlay, capacity, bootstrap, shares: opts.shares?.(i) ?? [] }, coords !== undefined ? { coords } : {})
      nodes.push(node)
      refs.push(node.ref)
    }
    if (i === 0) spawn(); else sim.at(sim.now + i * gap, spawn)
  }
  return nodes
}

/** Snapshot of the two tiers. */
export function tiers (nodes: readonly FtSimNode[]): { supernodes: number, leaves: number, orphans: number, meanLeavesPerSupernode: number, maxLeaves: number } {
  let supernodes = 0; let leaves = 0; let orphans = 0; let totalLeaves = 0; let maxLeaves = 0
  for (const n of nodes) {
    if (!n.alive) continue
    const sn = n.machine.supernodeRole
    if (sn !== undefined) {
      supernodes++
      totalLeaves += sn.leaves.size
      maxLeaves = Math.max(maxLeaves, sn.leaves.size)
    } else if (n.machine.supernode !== undefined) leaves++
    else orphans++
  }
  return { supernodes, leaves, orphans, meanLeavesPerSupernode: supernodes === 0 ? 0 : totalLeaves / supernodes, maxLeaves }
}

/**
 * Every live node's shares are indexed at a live supernode it belongs to (its parent, or itself).
 * Returns the number of (node, file) pairs that are not: shares lost to searches.
 */
export function unindexedShares (sim: Simulator, nodes: readonly FtSimNode[]): { missing: number, total: number, unsearchableNodes: number } {
  let missing = 0; let total = 0; let unsearchableNodes = 0
  for (const n of nodes) {
    if (!n.alive) continue
    const files = n.machine.sharedFiles()
    total += files.length
    const holder = n.machine.isSupernode ? n : sim.node(n.machine.supernode?.id ?? '') as FtSimNode | undefined
    const index = holder?.alive === true ? holder.machine.supernodeRole?.index : undefined
    let lost = 0
    for (const f of files) if (index === undefined || !index.has(n.id, f.hash)) lost++
    missing += lost
    if (lost > 0 || index === undefined) unsearchableNodes++
  }
  return { missing, total, unsearchableNodes }
}
