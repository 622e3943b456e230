/**
 * `overlaykit sim gossip`: the Demers et al. experiment in the simulator. N nodes with full
 * membership, one update introduced at a random node, synchronous rounds; prints residue (fraction of
 * nodes never reached), traffic (update transmissions per node), t_ave and t_last (in rounds, counted
 * from the round the update was introduced), averaged over --runs.
 */
import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import type { SimCommand } from '../plugin.js'
import { runExperiment } from '../../gossip/index.js'
import { parseNonNegative, parsePositiveInt } from '../options.js'

const MODES = ['push', 'pull', 'push-pull', 'none']
const STOPS = ['feedback-counter', 'feedback-coin', 'blind-counter', 'blind-coin']
const AE_MODES = ['push', 'pull', 'push-pull']

const oneOf = (list: string[], what: string) => (v: string): string => {
  if (!list.includes(v)) throw new InvalidArgumentError(`${what} must be one of ${list.join(', ')}`)
  return v
}

const command: SimCommand = {
  name: 'gossip',
  description: 'SIR rumor mongering (+ anti-entropy) as in Demers et al. 1987: residue, traffic, t_ave, t_last',
  configure (cmd: Command): void {
    cmd
      .option('--nodes <n>', 'number of nodes', parsePositiveInt, 1000)
      .option('--mode <mode>', 'rumor direction: push | pull | push-pull | none (anti-entropy only)', oneOf(MODES, '--mode'), 'push')
      .option('--stop <rule>', 'losing interest: feedback-counter | feedback-coin | blind-counter | blind-coin', oneOf(STOPS, '--stop'), 'feedback-counter')
      .option('--k <k>', 'counter limit, or 1/probability of the coin', parsePositiveInt, 1)
      .option('--fanout <f>', 'partners contacted per round', parsePositiveInt, 1)
      .option('--loss <rate>', 'message loss rate in [0, 1)', parseNonNegative, 0)
      .option('--anti-entropy <rounds>', 'anti-entropy every this many rounds (0 = off)', parseNonNegative, 0)
      .option('--ae-mode <mode>', 'anti-entropy direction: push | pull | push-pull', oneOf(AE_MODES, '--ae-mode'), 'push-pull')
      .option('--connection-limit <c>', 'contacts a node accepts per round (0 = unlimited)', parseNonNegative, 0)
      .option('--hunt <h>', 'after a refusal, try up to h other partners in the round', parseNonNegative, 0)
      .option('--runs <r>', 'independent runs to average', parsePositiveInt, 10)
  },
  async run (raw, io) {
    const o = raw as Record<string, any>
    if (o.loss >= 1) throw new Error('--loss must be below 1')
    if (o.mode === 'none' && !(o.antiEntropy > 0)) throw new Error('--mode none needs --anti-entropy > 0')
    const bar = io.progress('runs', o.runs)
    const r = runExperiment({
      nodes: o.nodes,
      runs: o.runs,
      seed: o.seed,
      mode: o.mode,
      stop: o.stop,
      k: o.k,
      fanout: o.fanout,
      loss: o.loss,
      antiEntropyRounds: Math.floor(o.antiEntropy),
      antiEntropyMode: o.aeMode,
      connectionLimit: Math.floor(o.connectionLimit),
      hunt: Math.floor(o.hunt),
      onRun: () => { bar.tick() }
    })
    bar.stop()
    const round = (x: number, d = 4): number => Number(x.toFixed(d))
    return {
      nodes: r.nodes,
      runs: r.runs,
      residue: round(r.residue, 6),
      traffic: round(r.traffic, 3),
      tAve: round(r.tAve, 2),
      tLast: round(r.tLast, 2),
      seed: o.seed,
      params: { mode: o.mode, stop: o.stop, k: o.k, fanout: o.fanout, loss: o.loss, antiEntropyRounds: Math.floor(o.antiEntropy), aeMode: o.aeMode, connectionLimit: o.connectionLimit, hunt: o.hunt },
      residueSd: round(r.residueSd, 6),
      rumorResidue: round(r.rumorResidue, 6),
      messagesPerNode: round(r.messages, 3),
      aeTrafficPerNode: round(r.aeTraffic, 3),
      rounds: round(r.rounds, 2),
      counting: 't in rounds: the update is introduced in round 0, a node reached by a contact of round r has t = r; tAve over reached nodes (origin excluded); traffic = update transmissions by rumor mongering / n'
    }
  }
}

export default command
