/**
 * Runs the live demo: one swarm of real libp2p nodes, each chosen overlay's act in turn on it (its
 * services started on every node for the act, stopped after), then a summary table. Acts are listed
 * in acts/index.ts and run in the registry's order (src/overlays.ts).
 */
import type { Libp2p } from 'libp2p'
import { Rng } from '../../overlay/rng.js'
import { createLiveNode, type Transport } from '../live.js'
import type { PeerRef } from '../../overlay/types.js'
import { refOf } from './util.js'
import type { CliIo } from '../plugin.js'
import type { DemoAct, DemoContext, DemoRow } from './types.js'
import { actSlot, type ActSlot } from './slot.js'
import { DEMO_ACTS } from './acts/index.js'
import { OVERLAY_NAMES } from '../../overlays.js'

/** The demo's acts, in the registry's order. */
export function demoActs (): DemoAct[] {
  return OVERLAY_NAMES.flatMap(n => DEMO_ACTS[n] ?? [])
}

export interface DemoOptions {
  /** @default 24 */
  nodes: number
  /** @default 'tcp' */
  transport: Transport
  /** Overlay names; empty = every available one. */
  overlays: string[]
  seed: number | string
  /** @default false */
  quick: boolean
  /** Whole-demo time budget, seconds; acts still running are aborted. @default 300 */
  timeLimitSec: number
}

export interface DemoSummary {
  nodes: number
  transport: Transport
  seed: number | string
  overlays: string[]
  skipped: Array<{ overlay: string, reason: string }>
  /** Starting the swarm's libp2p nodes, ms (once, before the first act). */
  setupMs: number
  totalMs: number
  /** Wall-clock per act and phase, ms: start the act's services on every node, form the overlay, run the scenario, stop the services. */
  phases: ActPhases[]
  rows: DemoRow[]
}

export interface ActPhases {
  overlay: string
  startMs: number
  setupMs: number
  runMs: number
  stopMs: number
  /** libp2p connections opened (each one a Noise handshake), both ends counted once. */
  connections: number
  /** CPU time of this process (all threads) from the act's start to the end of its scenario, ms: on a shared machine the wall-clock times grow with the load, this does not. */
  cpuMs: number
}

export async function runDemo (o: DemoOptions, io: CliIo, external?: AbortSignal): Promise<DemoSummary> {
  const t0 = performance.now()
  const all = demoActs()
  const skipped: DemoSummary['skipped'] = []
  const unknown = o.overlays.filter(n => !all.some(a => a.name === n))
  if (unknown.length > 0) throw new Error(`no demo for ${unknown.join(', ')}; available: ${all.map(a => a.name).join(', ')}`)
  const chosen: DemoAct[] = []
  for (const act of all) {
    if (o.overlays.length > 0 && !o.overlays.includes(act.name)) continue
    // the reference protocol is shown only when asked for, or when no overlay is built yet
    if (o.overlays.length === 0 && act.name === 'ping' && all.some(a => a.name !== 'ping')) continue
    const why = await act.available()
    if (why === null) chosen.push(act); else skipped.push({ overlay: act.name, reason: why })
  }
  if (chosen.length === 0) throw new Error('no overlay demo can run here')

  const controller = new AbortController()
  const onExternal = (): void => controller.abort()
  external?.addEventListener('abort', onExternal, { once: true })
  const budget = setTimeout(() => controller.abort(), o.timeLimitSec * 1000)

  io.info(`overlaykit demo: ${o.nodes} libp2p nodes (Noise + yamux over ${o.transport}) running ${chosen.map(a => a.name).join(', ')}; seed ${String(o.seed)}`)
  const rows: DemoRow[] = []
  const phases: ActPhases[] = []
  // acts' services still shutting down (mostly waiting for streams to close, so the next act starts
  // meanwhile); all are awaited before the summary
  const stopping: Array<Promise<void>> = []
  const swarm: Array<Libp2p<{ slot: ActSlot }>> = []
  let current: ActPhases | undefined
  let setupMs = 0
  const rng = new Rng(`demo/${String(o.seed)}`)
  try {
    // One swarm for the whole demo, one overlay at a time on it (see slot.ts): an act's services are
    // started on every node, the act forms its overlay (setup) and runs its scenario, then its
    // services stop while the nodes and their connections stay for the next act.
    const ts = performance.now()
    const bar = io.progress('starting the swarm', o.nodes)
    for (let i = 0; i < o.nodes; i++) {
      const node = await createLiveNode({ transport: o.transport, services: { slot: actSlot() }, limits: 'local-test' })
      node.addEventListener('connection:open', (e) => { if (current !== undefined && e.detail.direction === 'outbound') current.connections++ })
      swarm.push(node)
      bar.tick()
    }
    bar.stop()
    setupMs = performance.now() - ts
    const refs = swarm.map(refOf)
    for (const act of chosen) {
      if (controller.signal.aborted) { rows.push({ overlay: act.name, action: '-', result: 'not run: time limit or interrupt' }); continue }
      io.info(`-- ${act.name}: ${act.description}`)
      const ta = performance.now()
      const cpu0 = process.cpuUsage()
      const phase: ActPhases = { overlay: act.name, startMs: 0, setupMs: 0, runMs: 0, stopMs: 0, cpuMs: 0, connections: 0 }
      phases.push(phase)
      current = phase
      let prepared = false
      try {
        if (act.prepare !== undefined) { prepared = true; await act.prepare({ transport: o.transport, seed: o.seed, nodes: o.nodes }) }
        const bar = io.progress(`${act.name}: starting services`, o.nodes)
        // in node order, so each node's services can name the nodes before it as bootstrap peers and
        // find them running
        const services: Array<Record<string, any>> = []
        for (let i = 0; i < o.nodes; i++) {
          const factories = await act.services(i, o.nodes, `${String(o.seed)}/${act.name}/${i}`, refs.slice(0, i))
          services.push(await swarm[i].services.slot.activate(factories))
          bar.tick()
        }
        bar.stop()
        phase.startMs = Math.round(performance.now() - ta)
        const ctx: DemoContext = { nodes: swarm, services, transport: o.transport, seed: o.seed, rng: rng.fork(act.name), signal: controller.signal, quick: o.quick, io }
        for (const [key, fn] of [['setupMs', act.setup], ['runMs', act.run]] as const) {
          const tp = performance.now()
          const r = await fn?.call(act, ctx) ?? []
          phase[key] = Math.round(performance.now() - tp)
          rows.push(...r)
          for (const row of r) io.info(`   ${row.action}: ${row.result}`)
        }
        const cpu = process.cpuUsage(cpu0)
        phase.cpuMs = Math.round((cpu.user + cpu.system) / 1000)
      } catch (err) {
        rows.push({ overlay: act.name, action: '-', result: `FAILED: ${(err as Error).message}`, timeMs: Math.round(performance.now() - ta) })
        io.info(`   ${act.name} failed: ${(err as Error).message}`)
      } finally {
        const tStop = performance.now()
        stopping.push((async () => {
          await Promise.all(swarm.map(async n => { await n.services.slot.deactivate() }))
          if (prepared) { try { await act.cleanup?.() } catch (err) { io.info(`${act.name} cleanup: ${(err as Error).message}`) } }
          phase.stopMs = Math.round(performance.now() - tStop)
        })())
      }
    }
  } finally {
    current = undefined
    await Promise.all(stopping)
    await Promise.all(swarm.map(async n => { try { await n.stop() } catch {} }))
    clearTimeout(budget)
    external?.removeEventListener('abort', onExternal)
  }
  // group the summary by overlay, in act order (setup rows first within each)
  const order = chosen.map(a => a.name)
  const grouped = order.flatMap(name => rows.filter(r => r.overlay === name)).concat(rows.filter(r => !order.includes(r.overlay)))
  return {
    nodes: o.nodes,
    transport: o.transport,
    seed: o.seed,
    overlays: chosen.map(a => a.name),
    skipped,
    setupMs: Math.round(setupMs),
    totalMs: Math.round(performance.now() - t0),
    phases,
    rows: grouped
  }
}
