/**
 * A flash-crowd swarm in the simulator: one seed, N leechers arriving at once, upload caps on
 * every node (the simulator serializes messages on each node's uplink), peers introduced the way a
 * tracker would (the seed plus a random subset). Used by the tests, the `bittorrent-bound`
 * benchmark and `overlaykit sim bittorrent`.
 */
import { Simulator, type SimNode } from '../sim/index.js'
import { Rng } from '../overlay/rng.js'
import { createTorrent, type Metainfo } from './metainfo.js'
import { torrentSpec } from './spec.js'
import type { TorrentMachine, TorrentOptions } from './machine.js'
import type { WireMsg } from './wire.js'
import type { LatencyModel } from '../sim/index.js'

export interface SwarmParams {
  leechers: number
  /** File size F in bytes. */
  fileBytes: number
  /** @default 262144 */
  pieceLength?: number
  /** Seed upload u_s, bytes/s. */
  seedUp: number
  /** Leecher upload u, bytes/s. */
  peerUp: number
  /** Leecher download, bytes/s. @default unconstrained */
  peerDown?: number
  seed?: number | string
  /** 'virtual' keeps no bytes (thousands of peers); 'memory' moves and verifies real bytes. @default 'virtual' */
  storage?: 'virtual' | 'memory'
  /** Random other leechers each leecher dials (like a tracker's peer list). @default 20 */
  neighbors?: number
  /** @default constant 10 ms */
  latency?: LatencyModel
  /** Extra machine options for every node. */
  torrent?: Partial<TorrentOptions>
  /** Extra machine options for the seed only (e.g. superSeed). */
  seedTorrent?: Partial<TorrentOptions>
  /** Stop after this much virtual time, ms. @default 20 × the bound */
  limitMs?: number
  /** Record swarm-wide upload utilisation every this many ms (0: never). @default 0 */
  sampleMs?: number
}

export interface SwarmResult {
  /** Completion time of the last leecher, seconds (Infinity if some did not finish). */
  completion: number
  /** Kurose–Ross lower bound max{F/u_s, F/d_min, N·F/(u_s + N·u)}, seconds. */
  bound: number
  /** Client-server time max{N·F/u_s, F/d_min}, seconds. */
  clientServer: number
  ratio: number
  finished: number
  times: number[]
  /** [seconds, fraction of total upload capacity used in the interval, leechers done] */
  utilisation: Array<[number, number, number]>
  events: number
  sim: Simulator
  seedNode: SimNode<WireMsg, TorrentMachine>
  leecherNodes: Array<SimNode<WireMsg, TorrentMachine>>
  metainfo: Metainfo
  content: Uint8Array | undefined
}

export function bounds (n: number, F: number, us: number, u: number, dmin = Infinity): { bound: number, clientServer: number } {
  return {
    bound: Math.max(F / us, F / dmin, (n * F) / (us + n * u)),
    clientServer: Math.max((n * F) / us, F / dmin)
  }
}

export function runSwarm (p: SwarmParams): SwarmResult {
  const rng = new Rng(p.seed ?? 1).fork('swarm')
  const storage = p.storage ?? 'virtual'
  const pieceLength = p.pieceLength ?? 262144
  // virtual storage still needs a metainfo: hash a zero file once (hashes are not checked)
  const content = storage === 'memory' ? rng.bytes(p.fileBytes) : undefined
  const { metainfo } = createTorrent([{ path: 'file.bin', data: content ?? new Uint8Array(p.fileBytes) }], { name: 'file.bin', pieceLength })
  const sim = new Simulator({ seed: p.seed ?? 1, latency: p.latency ?? { kind: 'constant', ms: 10 } })
  const base: TorrentOptions = { metainfo, storage, maxPeers: 80, ...p.torrent }
  const seedNode = sim.spawn(torrentSpec, { ...base, ...p.seedTorrent, seed: true, content, uploadRate: p.seedUp }, { id: 'seed', upBps: p.seedUp })
  const leecherNodes: Array<SimNode<WireMsg, TorrentMachine>> = []
  for (let i = 0; i < p.leechers; i++) {
    leecherNodes.push(sim.spawn(torrentSpec, { ...base, uploadRate: p.peerUp }, { id: `l${String(i).padStart(5, '0')}`, upBps: p.peerUp, downBps: p.peerDown }))
  }
  const times = new Map<string, number>()
  sim.on((node, ev) => {
    if (ev.type === 'bittorrent:complete' && node !== seedNode && !times.has(node.id)) times.set(node.id, sim.now)
    // the transport closes both ends: tell the other side
    if (ev.type === 'bittorrent:disconnect') {
      const other = sim.node(ev.peer as string) as SimNode<WireMsg, TorrentMachine> | undefined
      if (other !== undefined && other.alive) sim.after(10, () => other.machine.onPeerUnreachable({ id: node.id }))
    }
  })
  const k = p.neighbors ?? 20
  const ids = leecherNodes.map(n => n.ref)
  for (const l of leecherNodes) {
    l.machine.connect(seedNode.ref)
    for (const other of rng.sample(ids, k + 1)) if (other.id !== l.id) l.machine.connect(other)
  }
  const { bound, clientServer } = bounds(p.leechers, p.fileBytes, p.seedUp, p.peerUp, p.peerDown)
  const limit = p.limitMs ?? bound * 20 * 1000
  let events = 0
  const utilisation: Array<[number, number, number]> = []
  const step = p.sampleMs !== undefined && p.sampleMs > 0 ? p.sampleMs : 5000
  const capacity = p.seedUp + p.leechers * p.peerUp
  let lastUp = 0
  while (times.size < p.leechers && sim.now < limit) {
    const n = sim.run({ until: Math.min(limit, sim.now + step) })
    if (p.sampleMs !== undefined && p.sampleMs > 0) {
      const up = seedNode.machine.uploaded + leecherNodes.reduce((s, l) => s + l.machine.uploaded, 0)
      utilisation.push([sim.now / 1000, (up - lastUp) / (capacity * step / 1000), times.size])
      lastUp = up
    }
    events += n
    if (n === 0) break
  }
  const all = [...times.values()].map(t => t / 1000)
  const completion = times.size === p.leechers ? Math.max(...all) : Infinity
  return { completion, bound, clientServer, ratio: completion / bound, finished: times.size, times: all, utilisation, events, sim, seedNode, leecherNodes, metainfo, content }
}
