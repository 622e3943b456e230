/**
 * `overlaykit sim ping`: the reference protocol in the simulator. Every node pings `--fanout` random
 * peers in turn every `--interval` ms for `--duration` virtual ms; prints RTT statistics, message
 * counts, the simulator's speed and the run's trace hash (same seed ⇒ same hash).
 */
import type { Command } from 'commander'
import type { SimCommand } from '../plugin.js'
import { Simulator } from '../../sim/index.js'
import { pingSpec } from '../../ping/index.js'
import { parseLatency, parseNonNegative, parsePositiveInt } from '../options.js'
import type { LatencyModel } from '../../sim/network.js'

interface PingSimOptions {
  nodes: number
  duration: number
  interval: number
  fanout: number
  latency: LatencyModel
  loss: number
  payload: number
  seed: number | string
}

const command: SimCommand = {
  name: 'ping',
  description: 'the reference ping/echo protocol: N nodes pinging random peers in virtual time',
  configure (cmd: Command): void {
    cmd
      .option('--nodes <n>', 'number of nodes', parsePositiveInt, 1000)
      .option('--duration <ms>', 'virtual time to run, ms', parseNonNegative, 10_000)
      .option('--interval <ms>', 'each node pings every interval ms', parseNonNegative, 1000)
      .option('--fanout <k>', 'random peers each node knows and pings', parsePositiveInt, 8)
      .option('--latency <model>', 'latency model: constant:MS, uniform:MIN:MAX, exponential:MEAN, lognormal:MEDIAN:SIGMA', parseLatency, { kind: 'constant', ms: 10 })
      .option('--loss <rate>', 'message loss rate in [0, 1)', parseNonNegative, 0)
      .option('--payload <bytes>', 'payload bytes per ping', parseNonNegative, 0)
  },
  async run (raw, io) {
    const o = raw as PingSimOptions
    if (o.loss >= 1) throw new Error('--loss must be below 1')
    const sim = new Simulator({ seed: o.seed, latency: o.latency, lossRate: o.loss })
    const bar = io.progress('spawning', o.nodes)
    const nodes = []
    for (let i = 0; i < o.nodes; i++) {
      nodes.push(sim.spawn(pingSpec, { intervalMs: o.interval, payloadBytes: o.payload }))
      if ((i & 1023) === 0) bar.update(i)
    }
    bar.update(o.nodes); bar.stop()
    // each node knows `fanout` random others (not itself)
    const k = Math.min(o.fanout, o.nodes - 1)
    for (const n of nodes) {
      const peers = []
      while (peers.length < k) {
        const p = nodes[sim.rng.int(nodes.length)]
        if (p !== n) peers.push(p.ref)
      }
      n.machine.peers = peers
    }
    const t0 = performance.now()
    const steps = 20
    const run = io.progress('virtual time', steps)
    for (let s = 1; s <= steps; s++) { sim.run({ until: (o.duration * s) / steps }); run.tick() }
    run.stop()
    const wallMs = performance.now() - t0
    const rtt = sim.stats.histogram('ping:rtt').summary()
    const totals = sim.stats.totals()
    return {
      overlay: 'ping',
      nodes: o.nodes,
      seed: o.seed,
      latency: o.latency,
      virtualMs: sim.now,
      pongs: rtt.count,
      timeouts: sim.stats.get('ping:timeouts'),
      rttMs: rtt,
      messages: { sent: totals.sent, received: totals.received, dropped: totals.dropped },
      events: sim.eventCount,
      wallMs: Math.round(wallMs),
      eventsPerSec: Math.round(sim.eventCount / Math.max(wallMs / 1000, 1e-9)),
      traceHash: sim.traceHash()
    }
  }
}

export default command
