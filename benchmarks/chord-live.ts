/**
 * chord-live — 64 real libp2p nodes in one process (memory transport, Noise + yamux) running Chord,
 * and, in the same run, 64 nodes running @libp2p/kad-dht 16 (k 20, alpha 3) on a swarm with the same
 * libp2p services: real @libp2p/identify (plus the relay client every overlaykit node has), the ping
 * service and the same connection-monitor settings on both. Three runs: the link as fast as the CPU
 * allows (one process, CPU-bound); a run where every buffer is delayed 25 ms per direction (the
 * memory transport's `latency` option: one buffer after another, a serial link), where kad-dht's
 * parallel rounds meet Chord's sequential hops; and the same 25 ms as a pure propagation delay
 * (lib/propagation-memory.ts), not a goal row.
 *
 * Per system: connections per node, ring-formation time (Chord: from the first join until every
 * successor and predecessor is right, `ringFormationMs`; then until every finger is right) or bootstrap
 * time (kad-dht: dials to node 0 and one self-lookup per node, 2 at a time), and the event-loop use of
 * the idle swarm. Lookups of the same random targets (a random node, from a random other node), one
 * at a time: Chord `lookup(ring id of the target)` against libp2p's `peerRouting.findPeer(target,
 * { useCache: false })` (kad-dht's findPeer with libp2p's early exit at the first FINAL_PEER) and the
 * drained `getClosestPeers(target)`. Messages = requests sent + responses received by the operation
 * (background maintenance not counted on either side). And the cost of signing: gets of BEP 44-style
 * signed records (verified by the reader) beside gets of plain keys on the same (open) nodes.
 */
import { loadavg } from 'node:os'
import { memory } from '@libp2p/memory'
import { ping } from '@libp2p/ping'
import type { Libp2pOptions } from 'libp2p'
import type { Benchmark, BenchContext } from './lib/types.js'
import { chord, type ChordService } from '../src/chord/index.js'
import type { ChordMachine } from '../src/chord/machine.js'
import { checkRing, sortedRing, successorIndex } from '../src/chord/oracle.js'
import { Rng } from '../src/overlay/rng.js'
import { createSwarm, pool } from '../src/runtime/libp2p/swarm.js'
import { runKad } from './lib/kad-swarm.js'
import { propagationMemory } from './lib/propagation-memory.js'
import { connectionsPerNode, idleElu, measure, opRow, sleep, until, type Measure } from './lib/live-measure.js'

/** Every finger of every vnode is the true successor of its start (a finger left unset stands for the successor). */
function fingersExact (machines: ChordMachine[]): boolean {
  const ring = sortedRing(machines)
  for (const m of machines) {
    for (const v of m.vnodes) {
      for (let j = 0; j < m.bits; j++) {
        const want = ring[successorIndex(ring, v.start(j, m.mask), m.bits)]
        if ((v.fingers[j] ?? v.successor).tag !== want.tag) return false
      }
    }
  }
  return true
}

/** propagation: every buffer delayed independently (benchmark wrapper) instead of the memory transport's serial `latency`. */
interface Run { link: string, latencyMs: number, lookups: number, records: number, propagation?: boolean }

/** CHORD_LIVE_ONLY=ring: only the CPU-bound Chord ring formation (no lookups, no kad-dht), for iterating on it; write it elsewhere (--out). */
const RING_ONLY = process.env.CHORD_LIVE_ONLY === 'ring'

async function runChord (ctx: BenchContext, n: number, run: Run, pairs: ReadonlyArray<readonly [number, number]>, config: Partial<Libp2pOptions<any>>, idleMs: number): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = []
  const rng = new Rng(`${ctx.seed}/records/${run.latencyMs}`)
  const cs = await createSwarm(n, () => ({ chord: chord({ expectedNodes: n, rpcTimeoutMs: 2000, open: true }), ping: ping() }), { transport: 'memory', seed: `${ctx.seed}/chord`, config })
  try {
    const svc = (i: number): ChordService => cs.nodes[i].services.chord
    const machines = cs.nodes.map(x => x.services.chord.machine)
    const loadAtStart = +loadavg()[0].toFixed(2)
    const cpu0 = process.cpuUsage()
    const t0 = Date.now()
    // joins through node 0, 8 in flight at a time (concurrent joins are normal for Chord; stabilization sorts them out)
    // one retry (as for kad-dht's dials): on a loaded machine a Noise handshake can outlast the dial timeout
    await pool(Array.from({ length: n - 1 }, (_, i) => async () => { await svc(i + 1).join(cs.addr(0)).catch(async () => { await svc(i + 1).join(cs.addr(0)) }) }), 8)
    const joinsMs = Date.now() - t0
    // a ring still wrong after the limit is a result too (lookups then measure the wrong owners it gives)
    let ringFormationMs: number | undefined
    try { await until(() => checkRing(machines).length === 0, 120_000, 'the chord ring'); ringFormationMs = Date.now() - t0 } catch { ctx.log(`chord (${run.link}): ring not right after 120 s (${checkRing(machines).length} errors)`) }
    // the process's CPU time over the formation (one process: every node's share), steadier than wall time under load
    const cpu = process.cpuUsage(cpu0)
    const ringCpuMs = Math.round((cpu.user + cpu.system) / 1000)
    const connsAtRing = connectionsPerNode(cs.nodes)
    const ringGoal = run.latencyMs === 0 && !ctx.quick ? { goal: 'ringFormationMs ≤ 5000 (64 nodes, idle machine)', met: ringFormationMs !== undefined && ringFormationMs <= 5000 } : {}
    if (RING_ONLY) {
      ctx.log(`chord (${run.link}): joins ${joinsMs} ms, ring ${ringFormationMs ?? '> 120000'} ms, CPU ${ringCpuMs} ms, load ${loadAtStart}`)
      return [{ system: 'chord', link: run.link, op: 'ring formation', nodes: n, joinsMs, ringFormationMs, ringCpuMs, connectionsAtRing: connsAtRing, loadAvg1mAtStart: loadAtStart, ...ringGoal }]
    }
    let fingersMs: number | undefined
    try { await until(() => fingersExact(machines), 60_000, 'finger tables'); fingersMs = Date.now() - t0 } catch { ctx.log('chord: fingers not all exact after 60 s') }
    ctx.log(`chord (${run.link}): joins ${joinsMs} ms, ring ${ringFormationMs ?? '> 120000'} ms, fingers ${fingersMs ?? '> 60000'} ms`)
    // warm-up (not measured): the connections lookups use, as kad-dht's self-lookups open its own
    for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) await svc(i).lookup(svc((i * 7 + k * 13 + 1) % n).machine.vnodes[0].self.id).catch(() => {})
    await sleep(2000)
    const conns = connectionsPerNode(cs.nodes)
    const elu = await idleElu(idleMs)
    // every node stays up: each peer dropped as dead is a false verdict (a slow link or a busy process)
    const count = (name: string): number => cs.nodes.reduce((a, x) => a + x.services.chord.stats.get(name), 0)
    rows.push({
      system: 'chord', link: run.link, op: 'idle swarm', nodes: n, joinsMs, ringFormationMs, ringCpuMs, fingersMs, connectionsAtRing: connsAtRing, connectionsPerNode: conns, idleElu: elu,
      falseDrops: count('chord:peer-dropped'), lateReplies: count('chord:late-reply'), loadAvg1mAtStart: loadAtStart,
      ...ringGoal
    })

    const m = measure()
    let timeouts = 0
    for (const [a, b] of pairs) {
      const target = svc(b).machine.vnodes[0].self
      const t = performance.now()
      try {
        const r = await svc(a).lookup(target.id)
        m.latency.add(performance.now() - t); m.hops.add(r.hops); m.messages.add(r.messages); timeouts += r.timeouts
        if (r.owner.id !== target.peer) m.wrong++
      } catch { m.errors++ }
    }
    rows.push({ ...opRow({ system: 'chord', link: run.link, op: 'lookup(target id)' }, m, pairs.length), timeouts })
    ctx.log(`chord (${run.link}): ${pairs.length} lookups p50 ${m.latency.summary().p50.toFixed(2)} ms`)

    // the cost of signing: the same value sizes, readers and order alternating, one at a time
    const value = new Uint8Array(1024).fill(7)
    const written: Array<{ plain: string, author: number, name: string }> = []
    let putErrors = 0
    for (let i = 0; i < run.records; i++) {
      const a = rng.int(n)
      try {
        await svc(a).put(`plain-${i}`, value)
        await svc(a).putSigned(`name-${i}`, value)
      } catch (err) { putErrors++; ctx.log(`chord (${run.link}): put ${i} failed: ${(err as Error).message}`) }
      written.push({ plain: `plain-${i}`, author: a, name: `name-${i}` })
    }
    const plain = measure(); const signed = measure()
    const timed = async (mm: Measure, f: () => Promise<unknown>): Promise<void> => {
      const t = performance.now()
      try { await f(); mm.latency.add(performance.now() - t) } catch { mm.errors++ }
    }
    for (let i = 0; i < 2 * run.records; i++) {
      const w = written[i % run.records]
      const r = rng.int(n)
      const both = [async () => { await timed(plain, async () => await svc(r).get(w.plain)) },
        async () => { await timed(signed, async () => await svc(r).getSigned(cs.nodes[w.author].peerId, w.name)) }]
      if (i % 2 === 1) both.reverse()
      for (const f of both) await f()
    }
    rows.push({ ...opRow({ system: 'chord', link: run.link, op: 'get (plain key, open node)' }, plain, 2 * run.records), putErrors })
    const ratio = signed.latency.summary().p50 / plain.latency.summary().p50
    rows.push({ ...opRow({ system: 'chord', link: run.link, op: 'get (signed record, verified)' }, signed, 2 * run.records), ratioToPlain: +ratio.toFixed(2), goal: '≤ 1.10 × plain p50', met: ratio <= 1.1 })
    ctx.log(`chord (${run.link}): signed get p50 ${ratio.toFixed(2)} × plain`)
  } finally { await cs.stop() }
  return rows
}

const bench: Benchmark = {
  name: 'chord-live',
  description: 'Live 64-node libp2p swarms (memory transport, real identify): Chord ring formation and lookups vs @libp2p/kad-dht 16, CPU-bound, with 25 ms serial links and with 25 ms propagation delay',
  async run (ctx) {
    const n = ctx.quick ? 16 : 64
    const runs: Run[] = [
      { link: '0 ms (CPU-bound)', latencyMs: 0, lookups: ctx.quick ? 20 : 60, records: ctx.quick ? 10 : 30 },
      { link: '25 ms per direction', latencyMs: 25, lookups: ctx.quick ? 10 : 20, records: ctx.quick ? 5 : 10 },
      // not a goal row: the same 25 ms without the serial link (every buffer delayed on its own, order kept)
      { link: '25 ms propagation only', latencyMs: 25, lookups: ctx.quick ? 10 : 20, records: ctx.quick ? 5 : 10, propagation: true }
    ]
    const idleMs = ctx.quick ? 2000 : 5000
    const rows: Array<Record<string, unknown>> = []
    const notes: string[] = []
    const loadAvgBefore = loadavg().map(x => +x.toFixed(2))
    if (RING_ONLY) {
      // three formations in a row, the CPU-bound run only
      for (let k = 0; k < 3; k++) rows.push(...await runChord(ctx, n, runs[0], [], {}, idleMs))
      return { params: { nodes: n, part: 'CPU-bound ring formation only (CHORD_LIVE_ONLY=ring), 3 swarms in a row', seed: ctx.seed, loadAvgBefore, loadAvgAfter: loadavg().map(x => +x.toFixed(2)) }, rows, notes: ['A partial run for iterating; the goal figure is the full run\'s.'] }
    }
    for (const run of runs) {
      const rng = new Rng(`${ctx.seed}/live/${run.latencyMs}`)
      const pairs = Array.from({ length: run.lookups }, () => { const a = rng.int(n); let b = rng.int(n - 1); if (b >= a) b++; return [a, b] as const })
      const config: Partial<Libp2pOptions<any>> = run.latencyMs > 0 ? { transports: [run.propagation === true ? propagationMemory(run.latencyMs) : memory({ latency: run.latencyMs })] } : {}
      const chordRows = await runChord(ctx, n, run, pairs, config, idleMs)
      const kad = await runKad({ n, seed: `${ctx.seed}/kad`, pairs, config, link: run.link, idleMs, log: ctx.log })
      const c = chordRows.find(r => r.op === 'lookup(target id)') as Record<string, any>
      const f = kad.rows.find(r => String(r.op).startsWith('peerRouting.findPeer')) as Record<string, any>
      const latRatio = c.p50Ms / f.p50Ms
      const msgRatio = c.messagesPerOp / f.messagesPerOp
      const latGoal = run.latencyMs === 0 ? 0.1 : 1
      c.ratioToFindPeerP50 = +latRatio.toFixed(3)
      c.ratioToFindPeerMessages = +msgRatio.toFixed(3)
      const met = latRatio <= latGoal && msgRatio <= 0.25 && c.wrong === 0
      if (run.propagation !== true) {
        c.goal = `p50 ≤ ${latGoal} × and messages ≤ 0.25 × kad-dht findPeer (early exit), 0 wrong owners`
        c.met = met
      }
      rows.push(...chordRows, ...kad.rows)
      const sg = chordRows.find(r => r.op === 'get (signed record, verified)') as Record<string, any>
      notes.push(`${run.link}: Chord lookup p50 ${String(c.p50Ms)} ms vs kad-dht findPeer (early exit) ${String(f.p50Ms)} ms = ${latRatio.toFixed(3)}× (goal ≤ ${latGoal}×), messages ${String(c.messagesPerOp)} vs ${String(f.messagesPerOp)} = ${msgRatio.toFixed(3)}× (goal ≤ 0.25×), wrong owners ${String(c.wrong)}: ${run.propagation === true ? `${met ? 'would meet' : 'would not meet'} the 25 ms goal (not a goal row)` : met ? 'met' : 'NOT met'}.`)
      notes.push(`${run.link}: signed get p50 ${String(sg.p50Ms)} ms = ${String(sg.ratioToPlain)}× plain (goal ≤ 1.10×): ${sg.met === true ? 'met' : 'NOT met'}.`)
    }
    const ring = rows.find(r => r.system === 'chord' && r.op === 'idle swarm' && r.link === runs[0].link) as Record<string, any>
    notes.unshift(`Ring formation (${n} nodes, memory transport, CPU-bound run): ${String(ring.ringFormationMs ?? '> 120000')} ms, ${String(ring.ringCpuMs)} ms of CPU, 1-minute load average ${String(ring.loadAvg1mAtStart)} at its start (goal ≤ 5000 ms on an idle machine: ${ring.met === true ? 'met' : 'NOT met'}); every finger exact after ${String(ring.fingersMs ?? '> 60000')} ms.`)
    notes.push(
      'The memory transport delays each buffer by `latency` ms on the receiving side, one buffer after another per connection and direction: back-to-back buffers queue behind each other (~40 buffers/s per direction at 25 ms; yamux adds a window update per data frame, Noise/multistream/identify/ping their own), so it is a delay plus serialisation, not a pure propagation delay; that is the goal row, as the issue asks. The row "25 ms propagation only" runs the same swarms over benchmarks/lib/propagation-memory.ts, where every buffer arrives 25 ms after it was sent, independently of the others (order kept): the latency a WAN user sees without the 40 buffers/s link. Both swarms see the same links in each row.',
      'wrong: Chord owner ≠ target; findPeer returned another peer; getClosestPeers did not list the target among its final peers. meanHops: Chord path length; kad-dht peers queried.',
      'idleElu: event-loop utilisation of the whole process (only that swarm runs) over the idle window, after the warm-up; connectionsAtRing: when the ring was first right.',
      'falseDrops: peers a Chord node dropped from its tables as dead (no node fails in this benchmark, so every one is a false verdict: a slow link or a busy process), from the first join to the end of the idle window; lateReplies: replies that came after their request timed out (each one a request that would have declared a live peer dead with a fixed timeout); timeouts: request timeouts summed over the measured lookups.',
      'Lookups run one at a time; wall-clock latencies on a shared 2-core machine are noisy, compare ratios within one run.'
    )
    return {
      params: {
        nodes: n,
        runs: runs.map(r => `${r.link}: ${r.lookups} lookups per op, ${r.records} records × 2 gets each kind`),
        transport: 'memory (Noise + yamux), identify + relay client + ping on every node, connection monitor pinging every connection (libp2p defaults, abortConnectionOnPingFailure off)',
        chord: 'm 160, r = 12, iterative lookups, verifyOwner off (the owner confirms only when a lookup saw a timeout), rpcTimeoutMs 2000 as the floor of SRTT + 4·RTTVAR (cap 4×), a peer dropped after 2 timeouts in a row, stabilize 1000 ms adaptive down to stabilizeMinMs 50 ms, fix_fingers 1000 ms stretched up to 8× while fingers stay, check_predecessor 2000 ms only for predecessors not heard from within it, no empty replication digest while a neighbourhood settles, recursive joins, open (plain keys accepted, for the unsigned get row); joins through node 0, 8 in flight at a time',
        kad: 'kad-dht 16 defaults (k 20, alpha 3), clientMode false, passthroughMapper; star dials to node 0 (8 at a time) then one self-lookup per node (2 at a time)',
        records: '1 KiB values; plain put vs putSigned from the same random node, gets alternating order',
        idleWindowMs: idleMs,
        seed: ctx.seed,
        loadAvgBefore,
        loadAvgAfter: loadavg().map(x => +x.toFixed(2))
      },
      rows,
      notes
    }
  }
}

export default bench
