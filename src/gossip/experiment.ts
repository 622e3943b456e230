/**
 * The Demers et al. experiment in the simulator: n nodes with full membership, one update introduced
 * at a random node, synchronous rounds (every node's round fires at the same multiple of the period;
 * the constant 10 ms latency is well under the 1 s period, so a contact and its answers finish inside
 * the round they start in). Used by `overlaykit sim gossip` and the gossip benchmarks.
 *
 * Counting, as in the paper: the update is introduced during round 0; a node reached by a contact of
 * round r has t = r. t_ave is the mean of t over the nodes reached (the origin excluded), t_last the
 * largest. Residue s is the fraction of nodes never reached (the origin excluded from neither side:
 * s = missed / n). Traffic m is the number of update transmissions by rumor mongering (a push, or an
 * answer to a pull that carried the update) divided by n; feedback and pull requests carry no update
 * and are reported separately; with a connection limit, a refused contact transmits nothing.
 */
import { Simulator } from '../sim/index.js'
import type { PeerRef } from '../overlay/types.js'
import { gossipSpec } from './spec.js'
import type { GossipMachine } from './machine.js'
import type { AeMode, RumorMode, StopRule } from './types.js'

export interface ExperimentOptions {
  nodes: number
  /** @default 1 */
  runs?: number
  /** @default 1 */
  seed?: number | string
  /** @default 'push' */
  mode?: RumorMode | 'none'
  /** @default 'feedback-counter' */
  stop?: StopRule
  /** @default 1 */
  k?: number
  /** @default 1 */
  fanout?: number
  /** Message loss probability. @default 0 */
  loss?: number
  /** Anti-entropy every this many rounds (0 = off). @default 0 */
  antiEntropyRounds?: number
  /** @default 'push-pull' */
  antiEntropyMode?: AeMode
  /** @default 0 (unlimited) */
  connectionLimit?: number
  /** @default 0 */
  hunt?: number
  /** Give up after this many rounds. @default 500 */
  maxRounds?: number
  /** Called after each run. */
  onRun?: (run: number, r: RunResult) => void
}

export interface RunResult {
  residue: number
  traffic: number
  tAve: number
  tLast: number
  /** Residue when rumor mongering alone had finished (before anti-entropy repaired the rest). */
  rumorResidue: number
  /** Messages of any kind per node (pull requests, feedback, anti-entropy included). */
  messages: number
  /** Anti-entropy update transmissions per node. */
  aeTraffic: number
  rounds: number
}

export interface ExperimentResult extends RunResult {
  nodes: number
  runs: number
  /** Standard deviation of the residue across runs. */
  residueSd: number
  perRun: RunResult[]
}

const PERIOD = 1000

export function runExperiment (o: ExperimentOptions): ExperimentResult {
  const runs = o.runs ?? 1
  const perRun: RunResult[] = []
  for (let r = 0; r < runs; r++) {
    const res = runOnce(o, `${o.seed ?? 1}/${r}`)
    perRun.push(res)
    o.onRun?.(r, res)
  }
  const mean = (f: (x: RunResult) => number): number => perRun.reduce((a, x) => a + f(x), 0) / runs
  const residue = mean(x => x.residue)
  return {
    nodes: o.nodes,
    runs,
    residue,
    residueSd: Math.sqrt(mean(x => (x.residue - residue) ** 2)),
    traffic: mean(x => x.traffic),
    tAve: mean(x => x.tAve),
    tLast: mean(x => x.tLast),
    rumorResidue: mean(x => x.rumorResidue),
    messages: mean(x => x.messages),
    aeTraffic: mean(x => x.aeTraffic),
    rounds: mean(x => x.rounds),
    perRun
  }
}

function runOnce (o: ExperimentOptions, seed: string): RunResult {
  const n = o.nodes
  const sim = new Simulator({ seed, latency: { kind: 'constant', ms: 10 }, lossRate: o.loss ?? 0 })
  const peers: PeerRef[] = []
  for (let i = 0; i < n; i++) peers.push({ id: `n${String(i).padStart(6, '0')}` })
  const aeRounds = o.antiEntropyRounds ?? 0
  const options = {
    mode: o.mode ?? 'push',
    stop: o.stop ?? 'feedback-counter',
    k: o.k ?? 1,
    fanout: o.fanout ?? 1,
    periodMs: PERIOD,
    alignRounds: true,
    connectionLimit: o.connectionLimit ?? 0,
    hunt: o.hunt ?? 0,
    antiEntropy: { periodMs: aeRounds * PERIOD, mode: o.antiEntropyMode ?? 'push-pull', maxPeriodMs: aeRounds * PERIOD },
    membership: { kind: 'full' as const, peers },
    ttlMs: 1e12,
    // open nodes: the paper's experiment counts rounds and messages, which signatures do not change,
    // and signing 10^4 nodes' traffic would only cost time (see the `signed` option for the cost)
    signed: false
  }
  const nodes = peers.map(p => sim.spawn(gossipSpec, options, { id: p.id }))
  const reached = new Int32Array(n).fill(-1)
  let count = 0
  sim.on((node, ev) => {
    if (ev.type !== 'gossip:deliver') return
    const i = (node as { index: number }).index
    if (reached[i] < 0) { reached[i] = Math.floor(sim.now / PERIOD); count++ }
  })
  const origin = sim.rng.int(n)
  sim.at(PERIOD / 2, () => { (nodes[origin].machine as GossipMachine).publish('demers', new Uint8Array([1])) })
  reached[origin] = 0
  count++
  const maxRounds = o.maxRounds ?? 500
  let rumorResidue = -1
  let round = 0
  for (round = 1; round <= maxRounds; round++) {
    sim.run({ until: round * PERIOD + PERIOD / 2 })
    let hot = 0
    for (const nd of nodes) hot += (nd.machine as GossipMachine).hotCount
    if (hot === 0 && rumorResidue < 0) rumorResidue = (n - count) / n
    // rumor mongering is over when nobody is hot; with anti-entropy we also wait for full coverage
    if (hot === 0 && (aeRounds === 0 || count === n)) break
  }
  if (rumorResidue < 0) rumorResidue = (n - count) / n
  let sum = 0
  let last = 0
  for (let i = 0; i < n; i++) {
    if (i === origin || reached[i] < 0) continue
    sum += reached[i]
    if (reached[i] > last) last = reached[i]
  }
  const totals = sim.stats.totals()
  return {
    residue: (n - count) / n,
    traffic: (sim.stats.get('gossip:rumor-updates') - sim.stats.get('gossip:refused-updates')) / n,
    tAve: count > 1 ? sum / (count - 1) : 0,
    tLast: last,
    rumorResidue,
    messages: totals.sent / n,
    aeTraffic: sim.stats.get('gossip:ae-updates') / n,
    rounds: Math.min(round, maxRounds)
  }
}
