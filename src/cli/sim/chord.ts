/**
 * `overlaykit sim chord`: a Chord ring in the simulator. Lookups of random keys from random hosts run
 * as real messages and are checked against brute-force ownership. Options add virtual nodes, a
 * fraction of simultaneous failures (no repair), continuous churn, and key-load statistics; `--out`
 * writes nodes.jsonl and lookups.jsonl for analysis elsewhere.
 */
import { spawnSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { getHeapStatistics } from 'node:v8'
import type { Command } from 'commander'
import type { SimCommand } from '../plugin.js'
import { buildRing, failFraction, keyLoad, routingEntriesPerHost, runLookups } from '../../chord/sim-run.js'
import { runChurn } from '../../chord/sim-churn.js'
import { idToHex } from '../../overlay/ids.js'
import { parseLatency, parseNonNegative, parsePositiveInt } from '../options.js'
import type { LatencyModel } from '../../sim/network.js'

interface ChordSimOptions {
  nodes: number; lookups: number; seed: number | string; vnodes: number; successors?: number; replicas: number
  keys: number; fail: number; churn: number; duration: number; bits: number; latency: LatencyModel
  bootstrap: 'oracle' | 'join'; out?: string
}

/**
 * Heap a simulated ring needs, measured (benchmarks/results/chord-scale.md): about 1.4 KB per vnode with
 * its routing state at 10^5 hosts (oracle ring; 2.0 KB before issue 17), plus 100 bytes per lookup of
 * statistics; 2.6 KB per vnode and 1 GiB are counted, headroom for the GC and for rings built by joins.
 */
function heapNeededMiB (vnodes: number, lookups: number): number {
  return Math.ceil((vnodes * 2600 + lookups * 100) / 2 ** 20) + 1024
}

/** From this many vnodes the ring is worth a re-run with a larger young generation (see rerunWithHeap). */
const BIG_RING = 50_000
/**
 * Young-generation size for big rings: building one allocates millions of long-lived objects, and with
 * Node's default semi-spaces the scavenges that copy them took half the build time (measured at
 * 10^5 hosts: 27 scavenges, 3.1 s of a 6 s build).
 */
const SEMI_SPACE_MIB = 64

/**
 * Node's young generation is too small for building big rings quickly, and its default heap limit is
 * either too small for 10^6 hosts or (on a big machine) lets the heap, and so the RSS, grow far past
 * what the ring needs: run the same command again in a child Node with --max-semi-space-size and
 * --max-old-space-size sized for the ring, pass its output through and exit with its code.
 * OVERLAYKIT_SIM_HEAP=off disables this; the child is marked so it never re-runs itself.
 */
function rerunWithHeap (vnodes: number, neededMiB: number, io: { info: (line: string) => void }): void {
  const limitMiB = getHeapStatistics().heap_size_limit / 2 ** 20
  if ((limitMiB >= neededMiB && vnodes < BIG_RING) || process.env.OVERLAYKIT_SIM_HEAP != null) return
  const flags = [`--max-semi-space-size=${SEMI_SPACE_MIB}`, `--max-old-space-size=${neededMiB}`]
  io.info(`sim chord: a ring of ${vnodes} vnodes needs about ${neededMiB} MiB of heap (Node's limit here is ${Math.round(limitMiB)} MiB): re-running with ${flags.join(' ')}`)
  const r = spawnSync(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, OVERLAYKIT_SIM_HEAP: String(neededMiB) } })
  process.exit(r.status ?? 1)
}

const summary = (h: { mean: number, p1: number, p50: number, p99: number, max: number }): Record<string, number> =>
  ({ mean: +h.mean.toFixed(4), p1: h.p1, p50: h.p50, p99: h.p99, max: h.max })

const command: SimCommand = {
  name: 'chord',
  description: 'Chord DHT: lookup hops, timeouts and failures on a simulated ring (optional vnodes, failures, churn, key load)',
  configure (cmd: Command): void {
    cmd
      .option('--nodes <n>', 'hosts on the ring (a big ring re-runs the command with a larger young generation and --max-old-space-size sized for it; OVERLAYKIT_SIM_HEAP=off disables that)', parsePositiveInt, 1000)
      .option('--lookups <n>', 'lookups of random keys', parsePositiveInt, 10_000)
      .option('--vnodes <v>', 'virtual nodes per host', parsePositiveInt, 1)
      .option('--successors <r>', 'successor-list length (default max(8, 2·log2 N))', parsePositiveInt)
      .option('--replicas <k>', 'copies of each key (with --churn)', parsePositiveInt, 3)
      .option('--keys <k>', 'random keys placed by hash: report keys per host (load)', parseNonNegative, 0)
      .option('--fail <p>', 'fraction of hosts that crash at once before the lookups (no repair)', parseNonNegative, 0)
      .option('--churn <R>', 'joins and failures per second (each), with maintenance running', parseNonNegative, 0)
      .option('--duration <s>', 'virtual seconds of churn (with --churn)', parsePositiveInt, 600)
      .option('--bits <m>', 'identifier bits', parsePositiveInt, 160)
      .option('--latency <model>', 'constant:MS, uniform:MIN:MAX, exponential:MEAN, lognormal:MEDIAN:SIGMA', parseLatency, { kind: 'constant', ms: 10 })
      .option('--bootstrap <how>', 'oracle (converged ring written directly) or join (real joins)', 'oracle')
      .option('--out <dir>', 'write nodes.jsonl and lookups.jsonl there')
  },
  async run (raw, io) {
    const o = raw as ChordSimOptions
    if (o.fail >= 1) throw new Error('--fail must be below 1')
    if (o.bootstrap !== 'oracle' && o.bootstrap !== 'join') throw new Error('--bootstrap must be oracle or join')
    const options = { bits: o.bits, vnodes: o.vnodes, successors: o.successors, replicas: o.replicas, expectedNodes: o.nodes * o.vnodes }
    rerunWithHeap(o.nodes * o.vnodes, heapNeededMiB(o.nodes * o.vnodes, o.lookups), io)
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    if (o.churn > 0) {
      io.info(`churn: ${o.nodes} hosts, R = ${o.churn}/s joins and failures, ${o.duration} s`)
      const r = runChurn({
        hosts: o.nodes, rate: o.churn, durationMs: o.duration * 1000, lookupRate: o.lookups / o.duration, keys: o.keys,
        options: { ...options, rpcTimeoutMs: 500, stabilizeMs: 30_000, fixFingersMs: 30_000, checkPredecessorMs: 30_000, replicateMs: 30_000 },
        sim: { seed: o.seed, latency: o.latency }
      })
      return {
        nodes: o.nodes, lookups: r.lookups, hops: summary(r.hops), failed: r.failed, timeouts: { mean: +r.timeouts.mean.toFixed(4) },
        churn: { rate: o.churn, joins: r.joins, failures: r.failures, finalHosts: r.finalHosts },
        ...(o.keys > 0 ? { keys: { stored: r.keys, lost: r.keysLost } } : {}),
        seed: o.seed, wallMs: Math.round(performance.now() - t0)
      }
    }
    const bar = io.progress('building the ring', o.nodes)
    const { sim, nodes } = buildRing({
      hosts: o.nodes,
      bootstrap: o.bootstrap,
      options: o.fail > 0 ? { ...options, rpcTimeoutMs: 500, verifyOwner: true, repairOnTimeout: false, lookupTimeoutMs: 600_000 } : options,
      sim: { seed: o.seed, latency: o.latency },
      onProgress: d => { bar.update(d) }
    })
    bar.stop()
    if (o.bootstrap === 'join') sim.run({ until: sim.now + 120_000 })
    const buildWallMs = Math.round(performance.now() - t0)
    const buildCpu = process.cpuUsage(c0)
    const crashed = o.fail > 0 ? failFraction(sim, nodes, o.fail) : 0
    const lb = io.progress('lookups', o.lookups)
    const st = runLookups(sim, nodes, { count: o.lookups, spacingMs: o.fail > 0 ? 10 : 1, keepRecords: o.out !== undefined, onProgress: d => { lb.update(d) } })
    lb.stop()
    const result: Record<string, unknown> = {
      nodes: o.nodes,
      lookups: st.count,
      hops: summary(st.hops.summary()),
      failed: st.failed,
      timeouts: { mean: +st.timeouts.mean.toFixed(4) },
      vnodes: o.vnodes,
      crashed,
      routingEntriesPerHost: +routingEntriesPerHost(nodes).toFixed(1),
      messagesPerLookup: +st.messages.mean.toFixed(3),
      latencyMs: summary(st.latency.summary()),
      seed: o.seed,
      wallMs: Math.round(performance.now() - t0),
      cpuMs: Math.round((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1000),
      buildWallMs,
      buildCpuMs: Math.round((buildCpu.user + buildCpu.system) / 1000),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      simEvents: sim.eventCount
    }
    if (o.keys > 0) {
      const load = keyLoad(nodes, o.keys, sim.rng.fork('keys'))
      result.load = { keys: load.keys, meanPerHost: load.mean, p1: load.p1, p50: load.p50, p99: load.p99, max: load.max, p99PerMean: +(load.p99 / load.mean).toFixed(3), hostsWithNoKeys: load.zero }
    }
    if (o.out !== undefined) {
      await mkdir(o.out, { recursive: true })
      const nodeLines: string[] = []
      for (const n of nodes) for (const v of n.machine.vnodes) nodeLines.push(JSON.stringify({ host: n.id, vnode: v.self.vnode, id: idToHex(v.self.id, o.bits), alive: n.alive }))
      await writeFile(join(o.out, 'nodes.jsonl'), nodeLines.join('\n') + '\n')
      const lookLines = (st.records ?? []).map(r => JSON.stringify({ key: idToHex(r.key, o.bits), owner: r.owner === undefined ? null : idToHex(r.owner.id, o.bits), hops: r.hops, ok: r.ok, timeouts: r.timeouts }))
      await writeFile(join(o.out, 'lookups.jsonl'), lookLines.join('\n') + '\n')
      io.info(`wrote ${join(o.out, 'nodes.jsonl')} and ${join(o.out, 'lookups.jsonl')}`)
    }
    return result
  }
}

export default command
