/**
 * sim-throughput: events per second and memory per node of the simulator, running the ping
 * reference protocol (every node pings a random peer every 100 ms of virtual time).
 * Overhead per node = heap after spawning N idle nodes of a no-op machine, divided by N
 * (SimNode + Env + per-node Rng + timer table), so the machine's own state is not counted.
 */
import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import type { Benchmark } from './lib/types.js'
import { Simulator } from '../src/sim/index.js'
import { pingSpec } from '../src/ping/index.js'
import type { Machine, OverlaySpec } from '../src/overlay/index.js'

setFlagsFromString('--expose_gc')
const gc = runInNewContext('gc') as () => void

const idleSpec: OverlaySpec<never, unknown, Machine<never>> = {
  name: 'idle',
  protocol: '/bench/idle',
  codec: { maxFrameBytes: 0, encode: () => new Uint8Array(0), decode: () => { throw new Error('unused') }, typeOf: () => 'none' },
  create: () => ({ start () {}, stop () {}, onMessage () {}, onTimer () {} })
}

function heapMiB (): number { gc(); gc(); return process.memoryUsage().heapUsed }

const bench: Benchmark = {
  name: 'sim-throughput',
  description: 'Simulator events/s and memory per node with the ping reference protocol at 10^4 and 10^5 nodes',
  async run (ctx) {
    const sizes = ctx.quick ? [1000, 10_000] : [10_000, 100_000]
    const eventsTarget = ctx.quick ? 300_000 : 3_000_000
    const rows: Array<Record<string, unknown>> = []
    for (const n of sizes) {
      const before = heapMiB()
      const idle = new Simulator({ seed: ctx.seed })
      for (let i = 0; i < n; i++) idle.spawn(idleSpec, {})
      const overhead = (heapMiB() - before) / n
      void idle.nodes().length

      const base = heapMiB()
      const sim = new Simulator({ seed: ctx.seed, latency: { kind: 'exponential', mean: 20 } })
      const nodes = Array.from({ length: n }, () => sim.spawn(pingSpec, { intervalMs: 100, timeoutMs: 1000 }))
      // each node knows 8 random peers: a realistic small routing state
      for (const node of nodes) node.machine.peers = Array.from({ length: 8 }, () => nodes[sim.rng.int(n)].ref)
      const withPing = (heapMiB() - base) / n
      sim.run({ until: 200 }) // warm-up
      const bar = ctx.progress(`sim ${n} nodes`, eventsTarget)
      let done = 0
      const t0 = process.hrtime.bigint()
      while (done < eventsTarget) {
        const k = sim.run({ maxEvents: Math.min(100_000, eventsTarget - done) })
        if (k === 0) break
        done += k
        bar.tick(k)
      }
      const secs = Number(process.hrtime.bigint() - t0) / 1e9
      bar.stop()
      const row = {
        nodes: n,
        events: done,
        wallSeconds: +secs.toFixed(3),
        eventsPerSecond: Math.round(done / secs),
        simOverheadBytesPerNode: Math.round(overhead),
        bytesPerNodeWithPing: Math.round(withPing),
        virtualSeconds: +(sim.now / 1000).toFixed(2),
        goalEventsPerSecond: 1_000_000,
        goalOverheadBytesPerNode: 2048
      }
      ctx.log(`${n} nodes: ${row.eventsPerSecond} events/s, ${row.simOverheadBytesPerNode} B/node overhead`)
      rows.push(row)
    }
    const notes = rows.map(r => `${String(r.nodes)} nodes: ${Number(r.eventsPerSecond) >= 1e6 ? 'meets' : 'misses'} the 10^6 events/s goal; ` +
      `${Number(r.simOverheadBytesPerNode) <= 2048 ? 'meets' : 'misses'} the 2 KiB/node overhead goal.`)
    notes.push('An event is a delivered message, a fired timer or a workload callback; cancelled timers are not counted.')
    return { params: { sizes, eventsTarget, latency: 'exponential mean 20 ms', pingIntervalMs: 100, peersPerNode: 8 }, rows, notes }
  }
}

export default bench
