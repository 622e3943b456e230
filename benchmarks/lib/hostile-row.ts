/**
 * One row of benchmarks/hostile-load.ts, run in a process of its own (`node hostile-row.js '<json RowOrder>'`
 * prints `ROW <json>`): RSS is per process, so a fresh victim process per row compares like with like,
 * and the process environment (e.g. glibc's MALLOC_ARENA_MAX) can differ per row. The victim (ping and
 * chord, the driver's DEFAULT policy, the 'node' connection profile, TCP) and 4 honest ping peers live
 * here; the attacker runs in a child process of its own (its CPU is not the victim's), joins, attacks
 * for a window, then leaves.
 *
 * Per attack: honest ping latency p50/p99 before and p99 during the attack window, the event-loop
 * delay p99 during it (perf_hooks, 10 ms resolution), RSS growth during (peak − start) and after the
 * attacker left (after forced full GCs: the flag is set at run time with v8.setFlagsFromString), the
 * JS heap and ArrayBuffers after, and the time from the attacker's connection to the victim cutting the
 * last attacking peer off (driver:peer-banned). `HOSTILE_CPU_PROFILE=<file>` writes a CPU profile of
 * the attack window.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { getHeapSpaceStatistics } from 'node:v8'
import { Session } from 'node:inspector/promises'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { type PingService } from '../../src/ping/service.js'
import { pingCodec } from '../../src/ping/codec.js'
import { PING_PROTOCOL } from '../../src/ping/spec.js'
import { CHORD_PROTOCOL } from '../../src/chord/spec.js'
import { GOSSIP_PROTOCOL } from '../../src/gossip/spec.js'
import { GNUTELLA_PROTOCOL } from '../../src/gnutella/spec.js'
import { makeStage, type StageKind } from './hostile-stages.js'
import type { ResourcePolicyInit } from '../../src/overlay/resources.js'
import { Histogram } from '../../src/overlay/stats.js'
import { forceGc } from '../../test/hostile/helpers/victim.js'
import type { AttackOrder } from '../../test/hostile/helpers/attacker-process.js'
import type { Libp2p } from '@libp2p/interface'

const MIB = 2 ** 20
const ATTACKER = fileURLToPath(new URL('../../test/hostile/helpers/attacker-process.js', import.meta.url))
export const MAX_CONNECTIONS = 64

/** Defences off: what the driver did before issue 13 (for the before/after table). */
export const OFF: ResourcePolicyInit = {
  maxBufferedBytesPerPeer: 2 ** 30,
  maxBufferedBytesTotal: 2 ** 30,
  frameDeadlineMs: 2 ** 30,
  streamIdleMs: 0,
  frames: { perSec: 1e12, burst: 1e12 },
  bytes: { perSec: 1e15, burst: 1e15 },
  score: { threshold: Infinity }
}

export interface Scenario {
  /** Stable id (the row order names it). */
  id: string
  attack: AttackOrder['attack']
  label: string
  order: Omit<AttackOrder, 'victim'>
  /** Peers the attack uses (for the RSS goal). */
  peers: number
  /** Also run with other process settings (memory-heavy attacks): see ENV_VARIANTS in benchmarks/hostile-load.ts. */
  envRows?: boolean
  /** The victim's setup (default 'driver': ping and chord). */
  stage?: StageKind
  /** Run in quick mode too (default true). */
  quick?: boolean
  /** Nothing in this attack raises the peer's score (it is refused, not penalised): no wait for a cut-off. */
  noCut?: boolean
}

export function scenarios (quick: boolean): Scenario[] {
  const validHex = Buffer.from(pingCodec.encode({ type: 'ping', seq: 7, payload: new Uint8Array(0) })).toString('hex')
  const chordFrame = 2 * MIB - 64
  return [
    { id: 'slow-partial', attack: 'slow-partial-frames', label: `slow partial frames, 8 peers × 16 streams × ${(chordFrame / MIB).toFixed(0)} MiB (chord)`, peers: 8, envRows: true, order: { attack: 'slow-partial-frames', protocol: CHORD_PROTOCOL, frameBytes: chordFrame, peers: 8, streams: 16 } },
    { id: 'prefix-silence', attack: 'prefix-then-silence', label: 'length prefix then silence, 8 peers × 16 streams (chord)', peers: 8, order: { attack: 'prefix-then-silence', protocol: CHORD_PROTOCOL, frameBytes: chordFrame, peers: 8, streams: 16 } },
    { id: 'garbage-20k', attack: 'garbage-flood', label: '1-byte garbage at 20k frames/s (ping)', peers: 1, order: { attack: 'garbage-flood', protocol: PING_PROTOCOL, rate: 20_000 } },
    { id: 'garbage-max', attack: 'garbage-flood', label: '1-byte garbage, unthrottled (ping)', peers: 1, order: { attack: 'garbage-flood', protocol: PING_PROTOCOL, rate: 0 } },
    { id: 'valid-flood', attack: 'valid-flood', label: 'valid pings, unthrottled', peers: 1, order: { attack: 'valid-flood', protocol: PING_PROTOCOL, validFrameHex: validHex } },
    { id: 'fresh-ids', attack: 'fresh-id-connections', label: `${quick ? 100 : 300} connections from fresh peer ids`, peers: quick ? 100 : 300, order: { attack: 'fresh-id-connections', protocol: PING_PROTOCOL, connections: quick ? 100 : 300 } },
    { id: 'stream-flood', attack: 'stream-flood', noCut: true, envRows: true, label: 'many streams per connection (ping)', peers: 1, order: { attack: 'stream-flood', protocol: PING_PROTOCOL } },
    { id: 'chord-stores', attack: 'chord-stores', stage: 'chord', envRows: true, label: 'chord: 3000 × 64 KiB stores of keys the victim does not hold', peers: 1, order: { attack: 'chord-stores', protocol: CHORD_PROTOCOL } },
    { id: 'gossip-updates', attack: 'gossip-updates', stage: 'gossip', noCut: true, envRows: true, label: 'gossip: 200 distinct 1 MiB updates (20 origins × 10)', peers: 1, order: { attack: 'gossip-updates', protocol: GOSSIP_PROTOCOL, origins: 20, perOrigin: 10, valueBytes: MIB } },
    { id: 'gnutella-queries', attack: 'gnutella-queries', stage: 'gnutella', label: 'gnutella: 30k queries with fresh ids from a neighbour', peers: 1, order: { attack: 'gnutella-queries', protocol: GNUTELLA_PROTOCOL, count: 30_000 } },
    { id: 'gnutella-slots', attack: 'gnutella-slots', stage: 'gnutella-slots', noCut: true, quick: false, label: 'gnutella: 8 fake identities holding every neighbour slot', peers: 8, order: { attack: 'gnutella-slots', protocol: GNUTELLA_PROTOCOL, peers: 8 } }
  ].filter(x => !quick || x.quick !== false) as Scenario[]
}

// memoryUsage.rss() alone: the full process.memoryUsage() walks the heap spaces (tens of ms under
// memory pressure, which showed up as event-loop lag of the benchmark's own making)
function rssMiB (): number { return process.memoryUsage.rss() / MIB }

/** Honest peers ping the victim in a loop; latencies go to whichever histogram is current. */
function honestLoad (honest: Array<Libp2p<{ ping: PingService }>>, victim: Libp2p): { set: (h: Histogram | undefined) => void, stop: () => Promise<void>, failures: () => number } {
  let current: Histogram | undefined
  let running = true
  let failures = 0
  const id = victim.peerId.toString()
  const loops = honest.map(async h => {
    while (running) {
      const t0 = performance.now()
      try {
        await h.services.ping.ping(id)
        current?.add(performance.now() - t0)
      } catch {
        failures++
        current?.add(performance.now() - t0)
      }
    }
  })
  return { set: h => { current = h }, stop: async () => { running = false; await Promise.all(loops) }, failures: () => failures }
}

async function until (cond: () => boolean, limitMs: number): Promise<boolean> {
  const end = performance.now() + limitMs
  while (!cond()) {
    if (performance.now() > end) return false
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  return true
}

export async function runAttack (log: (line: string) => void, s: Scenario, policyName: 'defaults' | 'off', windowMs: number): Promise<Record<string, unknown>> {
  const policy = policyName === 'off' ? OFF : undefined
  const stage = await makeStage(s.stage ?? 'driver', policy, MAX_CONNECTIONS)
  const { victim, honest } = stage
  const banned = new Map<string, number>()
  const sinceOffence = new Map<string, number>()
  // the penalties that crossed the threshold
  const cutReasons = new Set<string>()
  for (const svc of stage.services) {
    svc.onEvent(e => {
      if (e.type !== 'driver:peer-banned') return
      cutReasons.add(e.reason as string)
      banned.set(e.peer as string, performance.now())
      sinceOffence.set(e.peer as string, e.sinceFirstOffenceMs as number)
    })
  }
  let peakConnections = 0
  // when the victim first saw each peer: the cut-off time is measured on the victim's side
  const firstSeen = new Map<string, number>()
  const onOpen = (evt: CustomEvent<{ remotePeer: { toString: () => string } }>): void => {
    peakConnections = Math.max(peakConnections, victim.getConnections().length)
    const p = evt.detail.remotePeer.toString()
    if (!firstSeen.has(p)) firstSeen.set(p, performance.now())
  }
  victim.addEventListener('connection:open', onOpen as any)
  const load = honestLoad(honest, victim)
  let child: ChildProcess | undefined
  try {
    // warm up, then measure the honest latency before
    await until(() => false, 300)
    const before = new Histogram()
    load.set(before)
    await until(() => false, windowMs)
    // the start is the victim under honest load, just before the attacker joins (the honest loops'
    // allocation rate alone grows V8's young generation to its maximum within the first seconds)
    forceGc()
    const rss0 = rssMiB()
    const mem0 = process.memoryUsage()
    // the attacker joins
    const order: AttackOrder = { ...s.order, ...stage.order, victim: victim.getMultiaddrs()[0].toString() }
    const measured0 = stage.measure?.() ?? {}
    // the attacker runs with plain settings whatever the victim's
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MALLOC_') && k !== 'NODE_OPTIONS'))
    child = spawn(process.execPath, [ATTACKER, JSON.stringify(order)], { stdio: ['pipe', 'pipe', 'inherit'], env })
    const events: Array<Record<string, unknown>> = []
    let startedAt = 0
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', l => {
      try {
        const e = JSON.parse(l)
        if (e.event === 'started') startedAt = performance.now()
        events.push(e)
        if (e.event === 'stats' && process.env.HOSTILE_ATTACKER_STATS !== undefined) log(`attacker stats: ${l}`)
      } catch { log(`attacker: ${l}`) }
    })
    let gone = false
    const exited = new Promise<void>(resolve => { child?.once('exit', () => { gone = true; resolve() }) })
    if (!await until(() => gone || events.some(e => e.event === 'started' || e.event === 'error'), 90_000) || gone) throw new Error(`${s.label}: the attacker did not start`)
    const startedEvt = events.find(e => e.event === 'started' || e.event === 'error') as Record<string, unknown>
    if (startedEvt.event === 'error') throw new Error(`attacker: ${String(startedEvt.message)}`)
    const named = (startedEvt.peers as string[]) ?? []
    if (startedEvt.admitted !== undefined) log(`attacker: ${String(startedEvt.admitted)} of ${named.length} admitted as neighbours`)
    const during = new Histogram()
    load.set(during)
    const lag = monitorEventLoopDelay({ resolution: 10 })
    lag.enable()
    const profile = await startProfile()
    // CPU of this process (victim and honest peers) over the window: robust to a loaded machine
    const cpu0 = process.cpuUsage()
    let rssPeak = rssMiB()
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, rssMiB()) }, 50)
    await until(() => false, windowMs)
    const cpu = process.cpuUsage(cpu0)
    lag.disable()
    clearInterval(sampler)
    await profile?.()
    rssPeak = Math.max(rssPeak, rssMiB())
    load.set(undefined)
    const stageCols: Record<string, unknown> = { ...(await stage.after?.(startedAt)) }
    // the attacking peers that got in (a per-IP admission rate may have kept some out)
    const attackers = named.filter(p => firstSeen.has(p))
    // a cut-off may come after the window (a 10 s frame deadline): wait for it, bounded (not for
    // attacks whose peers nothing penalises: the wait would only prolong them)
    const cut = attackers.length > 0 && await until(() => attackers.every(p => banned.has(p)), s.noCut === true ? 0 : 15_000)
    // from when its attack traffic started (or, for a peer that connected later, its connection)
    const cutOffMs = cut ? Math.max(...attackers.map(p => (banned.get(p) as number) - Math.max(startedAt, firstSeen.get(p) ?? startedAt))) : null
    const cutAfterOffenceMs = cut ? Math.max(...attackers.map(p => sinceOffence.get(p) ?? 0)) : null
    // the attacker leaves
    child.stdin?.write('stop\n')
    child.stdin?.end()
    await Promise.race([exited, until(() => false, 15_000)])
    await until(() => victim.getConnections().length <= honest.length, 5000)
    // the stage's counters once the attacker has left (what it made the victim keep, forward, refuse)
    for (const [k, v] of Object.entries(stage.measure?.() ?? {})) stageCols[k] = round(v - (measured0[k] ?? 0))
    forceGc()
    await until(() => false, 200)
    forceGc()
    const rssAfter = rssMiB() - rss0
    const mem = process.memoryUsage()
    const heapAfter = (mem.heapUsed - mem0.heapUsed) / MIB
    const arrayBuffersAfter = (mem.arrayBuffers - mem0.arrayBuffers) / MIB
    const heapTotalAfter = (mem.heapTotal - mem0.heapTotal) / MIB
    // and once more after a while (V8's memory reducer gives unused heap back on its own schedule)
    let rssSettled: number | null = null
    const settleMs = Number(process.env.HOSTILE_SETTLE_MS ?? 0)
    if (settleMs > 0) {
      await until(() => false, settleMs)
      forceGc()
      rssSettled = rssMiB() - rss0
      log(`settled after ${settleMs} ms: RSS ${round(rssSettled)} MiB, heap committed ${round((process.memoryUsage().heapTotal - mem0.heapTotal) / MIB)} MiB`)
    }
    if (process.env.HOSTILE_MEM_DETAIL !== undefined) log(`memory before ${JSON.stringify(mem0)} after ${JSON.stringify(mem)} spaces ${JSON.stringify(getHeapSpaceStatistics().map(x => [x.space_name, Math.round(x.space_size / MIB)]))}`)
    const b = before.summary()
    const d = during.summary()
    const honestP99MsBefore = round(b.p99)
    // no honest ping completed in the window (the loop was starved throughout): no figure, not met
    const honestP99MsDuring = d.count === 0 ? null : round(d.p99)
    // the loop-delay monitor samples on the loop: none when it never turned
    const loopLagP99Ms = lag.count === 0 ? null : round(lag.percentile(99) / 1e6)
    const rssGrowthMiB = round(rssPeak - rss0)
    const goals: string[] = []
    let met = honestP99MsDuring !== null && honestP99MsDuring <= 3 * honestP99MsBefore && rssGrowthMiB <= 64 * s.peers && rssAfter <= 32
    goals.push('p99 during ≤ 3× before', `RSS growth ≤ ${64 * s.peers} MiB`, 'RSS after ≤ +32 MiB')
    if (s.attack === 'garbage-flood') { met &&= cutAfterOffenceMs !== null && cutAfterOffenceMs <= 1000; goals.push('cut off ≤ 1000 ms after its first garbage frame') }
    if (s.attack === 'fresh-id-connections') { met &&= peakConnections <= MAX_CONNECTIONS; goals.push(`connections ≤ ${MAX_CONNECTIONS}`) }
    for (const [text, ok] of stage.goals?.(stageCols) ?? []) { met &&= ok; goals.push(text) }
    const counters = (k: string): number => stage.services.reduce((a, svc) => a + svc.driver.stats.get(k), 0)
    log(`${policyName} · ${s.label}: p99 ${honestP99MsBefore} → ${honestP99MsDuring} ms, lag p99 ${loopLagP99Ms ?? '-'} ms, CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms, RSS +${rssGrowthMiB} / after ${round(rssAfter)} MiB, cut ${cutOffMs === null ? '-' : Math.round(cutOffMs)} ms (${cutAfterOffenceMs ?? '-'} ms after the first offence)`)
    return {
      attack: s.label,
      policy: policyName,
      honestP50MsBefore: round(b.p50),
      honestP99MsBefore,
      honestP99MsDuring,
      honestFailures: load.failures(),
      loopLagP99Ms,
      cpuMsDuring: Math.round((cpu.user + cpu.system) / 1000),
      rssGrowthMiB,
      rssAfterMiB: round(rssAfter),
      heapAfterMiB: round(heapAfter),
      arrayBuffersAfterMiB: round(arrayBuffersAfter),
      heapCommittedAfterMiB: round(heapTotalAfter),
      processEnv: processEnv(),
      cutOffMs: cutOffMs === null ? null : Math.round(cutOffMs),
      cutAfterOffenceMs,
      cutReason: [...cutReasons].join(' ') || null,
      peakConnections,
      attackersIn: `${attackers.length}/${named.length}`,
      banned: counters('driver:banned'),
      ...stageCols,
      goal: goals.join('; '),
      met
    }
  } finally {
    child?.kill()
    victim.removeEventListener('connection:open', onOpen as any)
    await load.stop()
    for (const h of honest) for (const c of h.getConnections()) c.abort(new Error('done'))
    await Promise.all([victim.stop(), ...honest.map(async h => { await h.stop() }), stage.stop?.()])
  }
}

function round (x: number): number { return Math.round(x * 100) / 100 }


/** glibc malloc and NODE_OPTIONS settings of this process (the rows with and without them differ only there). */
function processEnv (): string {
  const e = Object.entries(process.env).filter(([k]) => k.startsWith('MALLOC_') || k === 'NODE_OPTIONS').map(([k, v]) => `${k}=${v ?? ''}`)
  return e.length === 0 ? '-' : e.join(' ')
}

/** A CPU profile of the attack window when HOSTILE_CPU_PROFILE names a file; returns the stop function. */
async function startProfile (): Promise<(() => Promise<void>) | undefined> {
  const file = process.env.HOSTILE_CPU_PROFILE
  if (file === undefined || file === '') return undefined
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 200 })
  await session.post('Profiler.start')
  return async () => {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(file, JSON.stringify(profile))
    session.disconnect()
  }
}

/** What the parent asks this process to run. */
export interface RowOrder {
  scenario: string
  policy: 'defaults' | 'off'
  windowMs: number
  quick: boolean
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const order = JSON.parse(process.argv[2]) as RowOrder
  const s = scenarios(order.quick).find(x => x.id === order.scenario)
  if (s === undefined) throw new Error(`no scenario ${order.scenario}`)
  runAttack(line => { process.stderr.write(line + '\n') }, s, order.policy, order.windowMs)
    .then(row => { process.stdout.write(`ROW ${JSON.stringify(row)}\n`); process.exit(0) })
    .catch(err => { process.stderr.write(`hostile-row: ${String(err?.stack ?? err)}\n`); process.exit(1) })
}
