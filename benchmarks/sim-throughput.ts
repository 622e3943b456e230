/**
 * sim-throughput: events per second and memory per node of the simulator, running the ping
 * reference protocol (every node pings one of 8 random peers every 100 ms of virtual time, timeout
 * 1 s, so nearly every ping arms a timeout timer that is cancelled by its pong).
 *
 * Memory is measured in a fresh child process per figure (`--expose-gc`, heap after two full GCs),
 * so nothing from an earlier measurement (or the events/s run) is still on the heap:
 * - overhead per node: N idle nodes of a no-op machine (SimNode + Env + timer table: the simulator's own cost);
 * - with ping, spawned: N ping nodes with their 8 peers, before any event;
 * - with ping, running: the same after 2 s of virtual time (queued events, in-flight pings, RTT samples).
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { loadavg } from 'node:os'
import type { Benchmark } from './lib/types.js'
import { Simulator } from '../src/sim/index.js'
import { pingSpec } from '../src/ping/index.js'
import type { Machine, OverlaySpec } from '../src/overlay/index.js'

const idleSpec: OverlaySpec<never, unknown, Machine<never>> = {
  name: 'idle',
  protocol: '/bench/idle',
  codec: { maxFrameBytes: 0, encode: () => new Uint8Array(0), decode: () => { throw new Error('unused') }, typeOf: () => 'none' },
  create: () => ({ start () {}, stop () {}, onMessage () {}, onTimer () {} })
}

function pingSim (n: number, seed: number): Simulator {
  const sim = new Simulator({ seed, latency: { kind: 'exponential', mean: 20 } })
  const nodes = Array.from({ length: n }, () => sim.spawn(pingSpec, { intervalMs: 100, timeoutMs: 1000 }))
  // each node knows 8 random peers: a realistic small routing state
  for (const node of nodes) node.machine.peers = Array.from({ length: 8 }, () => nodes[sim.rng.int(n)].ref)
  return sim
}

type MemoryMode = 'idle' | 'ping-spawned' | 'ping-running'

/** Runs in a child process: heap bytes per node for one mode. */
function measureMemory (mode: MemoryMode, n: number, seed: number): number {
  const gc = (globalThis as { gc?: () => void }).gc as () => void
  const heap = (): number => { gc(); gc(); return process.memoryUsage().heapUsed }
  const before = heap()
  let keep: Simulator
  if (mode === 'idle') {
    keep = new Simulator({ seed })
    for (let i = 0; i < n; i++) keep.spawn(idleSpec, {})
  } else {
    keep = pingSim(n, seed)
    if (mode === 'ping-running') keep.run({ until: 2000 })
  }
  const bytes = (heap() - before) / n
  if (keep.pending < 0) throw new Error('unreachable') // keeps the simulator alive until measured
  return bytes
}

if (process.argv[2] === '--sim-memory') {
  const [mode, n, seed] = [process.argv[3] as MemoryMode, Number(process.argv[4]), Number(process.argv[5])]
  process.send?.({ bytes: measureMemory(mode, n, seed) })
}

async function memoryInChild (mode: MemoryMode, n: number, seed: number): Promise<number> {
  return await new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--sim-memory', mode, String(n), String(seed)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    child.once('message', (m: { bytes: number }) => { resolve(m.bytes) })
    child.once('error', reject)
    child.once('exit', code => { if (code !== 0) reject(new Error(`memory child exited with ${String(code)}`)) })
  })
}

const bench: Benchmark = {
  name: 'sim-throughput',
  description: 'Simulator events/s and memory per node with the ping reference protocol at 10^4 and 10^5 nodes',
  async run (ctx) {
    const sizes = ctx.quick ? [1000, 10_000] : [10_000, 100_000]
    const eventsTarget = ctx.quick ? 300_000 : 3_000_000
    const rows: Array<Record<string, unknown>> = []
    for (const n of sizes) {
      const overhead = await memoryInChild('idle', n, ctx.seed)
      const spawned = await memoryInChild('ping-spawned', n, ctx.seed)
      const running = await memoryInChild('ping-running', n, ctx.seed)

      const sim = pingSim(n, ctx.seed)
      sim.run({ until: 200 }) // warm-up
      const bar = ctx.progress(`sim ${n} nodes`, eventsTarget)
      const load = loadavg()[0]
      let done = 0
      const c0 = process.cpuUsage()
      const t0 = process.hrtime.bigint()
      while (done < eventsTarget) {
        const k = sim.run({ maxEvents: Math.min(100_000, eventsTarget - done) })
        if (k === 0) break
        done += k
        bar.tick(k)
      }
      const secs = Number(process.hrtime.bigint() - t0) / 1e9
      const cu = process.cpuUsage(c0)
      const loadAfter = loadavg()[0]
      bar.stop()
      const row = {
        nodes: n,
        events: done,
        wallSeconds: +secs.toFixed(3),
        eventsPerSecond: Math.round(done / secs),
        eventsPerCpuSecond: Math.round(done / ((cu.user + cu.system) / 1e6)),
        queuedAtEnd: sim.pending,
        traceHash: sim.traceHash(),
        loadAvg1m: +load.toFixed(1),
        loadAvg1mAfter: +loadAfter.toFixed(1),
        simOverheadBytesPerNode: Math.round(overhead),
        bytesPerNodeWithPingSpawned: Math.round(spawned),
        bytesPerNodeWithPingRunning: Math.round(running),
        virtualSeconds: +(sim.now / 1000).toFixed(2),
        goal: n === 10_000 ? 'events/s ≥ 10^6; overhead ≤ 2 KiB/node' : 'overhead ≤ 2 KiB/node',
        met: (n !== 10_000 || done / secs >= 1e6) && overhead <= 2048
      }
      ctx.log(`${n} nodes: ${row.eventsPerSecond} events/s (${row.eventsPerCpuSecond} per CPU second, load ${row.loadAvg1m}), ${row.simOverheadBytesPerNode} B/node overhead, ${row.bytesPerNodeWithPingRunning} B/node with ping`)
      rows.push(row)
    }
    const notes = rows.map(r => `${String(r.nodes)} nodes: ${Number(r.eventsPerSecond) >= 1e6 ? 'meets' : 'misses'} 10^6 events/s in wall time (${String(r.eventsPerSecond)}; ${String(r.eventsPerCpuSecond)} per CPU second; 1-minute load average ${String(r.loadAvg1m)} -> ${String(r.loadAvg1mAfter)} on 2 cores); ` +
      `${Number(r.simOverheadBytesPerNode) <= 2048 ? 'meets' : 'misses'} the 2 KiB/node overhead goal.`)
    notes.push('An event is a delivered message, a fired timer or a workload callback. Cancelled timers leave the queue when cancelled (indexed heap), so queuedAtEnd is live events only (about a tick timer per node plus the pings in flight).')
    notes.push('traceHash: same seed ⇒ same hash; the queue change kept every executed event\'s order, so it equals the hash of the simulator that left cancelled timers queued (checked in test/sim/queue.spec.ts). The later changes (a node and its Env one object, timers in two fields before a Map, periodic timers re-armed in place, refs that carry their node, the ping timeout key made once, a ref\'s host link stored in the ref object, the timer table keeping its overflow Map) changed no event order either, nor did this round\'s (a four-ary heap, event keys kept in the heap only, deliveries carrying the sender\'s ref and index, a node\'s timers and a ping machine\'s pending pings in their own fields): the hashes are the same as in the previous results.')
    notes.push('Where the time goes (ping, 10^4 nodes, seed 1; valgrind callgrind over 200k events after the 200 ms warm-up, repeatable to ~3 %): 3.4k instructions and 54 L1-D misses per event (3.9k and 95 before this round). The same code runs about 2x more events per CPU second at 10^3 nodes (working set in cache) than at 10^4, so about half the time at 10^4 is waiting on memory: each event still reads a few cold objects (the event, the node, its machine, the message, the peer ref). Of the instructions, V8 garbage collection and allocation are ~20 % under valgrind (a normal run with --trace-gc spends 2-3 % of its time in GC), Map builtins 4 %, Math.log of the exponential latency 1.3 %, the JIT-compiled simulator and ping code the rest; no single hot spot. What paid this round was fewer cold reads (four-ary heap, no boxed time per event, timers and pending pings in fields), not fewer instructions.')
    notes.push('On this 2-core machine shared with other jobs the wall rate moves with the load (other agents run while the benchmark holds the lock); eventsPerCpuSecond is the steadier figure.')
    notes.push('Memory: each figure in a fresh child process (--expose-gc, heap after two full GCs); the ping figures include the machine state (pending pings, RTT samples kept by stats.observe).')
    return { params: { sizes, eventsTarget, latency: 'exponential mean 20 ms', pingIntervalMs: 100, pingTimeoutMs: 1000, peersPerNode: 8, seed: ctx.seed }, rows, notes }
  }
}

export default bench
