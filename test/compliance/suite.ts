/**
 * The shared compliance suite: one overlay's basic contract, run on the same machine code in the
 * simulator AND over real libp2p nodes (Noise + yamux) on the memory and TCP transports.
 *
 * An overlay plugs in by calling `runCompliance(contract)` from its own spec file
 * (test/compliance/<overlay>.spec.ts): the contract names the OverlaySpec, how many nodes, their
 * options per runtime, and cases written once against `ContractRuntime` — a handle that hides the
 * runtime: `nodes[i].machine` / `.ref` / `.stats`, `until(cond)` (virtual time in the simulator,
 * real time polled live), `kill(i)` (crash in the simulator, stop the libp2p node live) and `stop()`.
 * Every contract also gets the case "stop releases everything" (no timers, streams, handlers or
 * pending events left) and, when it says how to check a node is `alive`, "survives fuzzed frames"
 * live (plus "drops a newer peer's message type" when it also gives an `unknownTypeFrame`). Each case
 * runs on a fresh set of nodes, after the contract's optional `setup` (e.g. joining the nodes into one
 * ring), so the built-in cases also meet a formed overlay.
 */
import assert from 'node:assert/strict'
import { Rng } from '../../src/overlay/rng.js'
import { encodeFrame } from '../../src/runtime/libp2p/frames.js'
import { OverlayService } from '../../src/runtime/libp2p/service.js'
import { createSwarm, type Swarm, type SwarmTopology } from '../../src/runtime/libp2p/swarm.js'
import { Simulator, type SimOptions } from '../../src/sim/index.js'
import type { Machine, OverlaySpec, PeerRef } from '../../src/overlay/types.js'
import type { Stats } from '../../src/overlay/stats.js'
import type { OverlayComponents } from '../../src/runtime/libp2p/components.js'
import type { OverlayDriver } from '../../src/runtime/libp2p/driver.js'
import type { Stream } from '@libp2p/interface'

export type RuntimeKind = 'sim' | 'memory' | 'tcp'

export interface ContractNode<Mach> {
  readonly ref: PeerRef
  readonly machine: Mach
  readonly stats: Stats
}

export interface ContractRuntime<Mach> {
  readonly kind: RuntimeKind
  readonly nodes: ReadonlyArray<ContractNode<Mach>>
  /**
   * Drive the runtime until `cond()` holds; rejects naming `what` after `limitMs` (virtual ms in the
   * simulator, wall-clock ms live). @default limitMs 10000
   */
  until (cond: () => boolean, what: string, limitMs?: number): Promise<void>
  /** Node i stops answering: a crash in the simulator, its libp2p node stopped live. */
  kill (i: number): Promise<void>
  /** Stop every node gracefully. */
  stop (): Promise<void>
  /** What is still held after stop(): empty when everything was released. */
  leftovers (): string[]
  /** Live only: a raw stream from node `from` to node `to` on the overlay's protocol. */
  rawStream?: (from: number, to: number) => Promise<Stream>
}

export interface OverlayContract<M, O, Mach extends Machine<M>> {
  /** Shown in the test titles. */
  name: string
  spec: OverlaySpec<M, O, Mach>
  /** Nodes per case. */
  nodes: number
  /** Options of node i in a runtime (live runtimes usually want shorter timeouts). */
  options: (i: number, kind: RuntimeKind) => O
  /** @default ['sim', 'memory', 'tcp'] */
  runtimes?: RuntimeKind[]
  /** Simulator options. @default { seed: 1 } */
  sim?: SimOptions
  /** Live topology dialled before each case. @default 'none' (the driver dials on first send) */
  connect?: SwarmTopology
  /**
   * A live service factory for node i whose result exposes its `driver`; by default the machine runs
   * in a plain OverlayService, which is what the contract is about.
   */
  service?: (i: number, options: O) => (components: OverlayComponents) => { driver: OverlayDriver<M, O, Mach> }
  /** The overlay's own cases, by title. */
  cases: Record<string, (rt: ContractRuntime<Mach>) => Promise<void>>
  /**
   * Proof that node `i` still works (e.g. it answers a request). When given, live runtimes also get
   * the built-in case "survives fuzzed frames": seeded random frames and an oversize frame on raw
   * streams to node 1, every frame accounted for, then `alive(rt, 1)`.
   */
  alive?: (rt: ContractRuntime<Mach>, i: number) => Promise<void>
  /**
   * Run on the fresh nodes before every case, the built-in ones included: bring the overlay into the
   * state the cases start from (a DHT joins its nodes into one ring and waits for it). Without it the
   * built-in cases meet nodes that only started. @default nothing
   */
  setup?: (rt: ContractRuntime<Mach>) => Promise<void>
  /**
   * A well-formed frame body of a message type this version does not know (a newer peer's). When given
   * with `alive`, live runtimes also get the built-in case "drops a newer peer's message type": the
   * frame, sent three times on a raw stream to node 1, is dropped and counted as 'unknown-type' (not
   * 'decode-error'), the stream stays open, then `alive(rt, 1)`. @default none (no such case)
   */
  unknownTypeFrame?: Uint8Array
}

async function simRuntime<M, O, Mach extends Machine<M>> (c: OverlayContract<M, O, Mach>): Promise<ContractRuntime<Mach>> {
  const sim = new Simulator({ seed: 1, ...c.sim })
  const nodes = Array.from({ length: c.nodes }, (_, i) => sim.spawn(c.spec, c.options(i, 'sim')))
  return {
    kind: 'sim',
    nodes: nodes.map(n => ({ ref: n.ref, machine: n.machine, stats: n.stats })),
    async until (cond, what, limitMs = 10_000) {
      const deadline = sim.now + limitMs
      while (!cond()) {
        if (sim.pending === 0) throw new Error(`simulator went idle at ${sim.now} ms before: ${what}`)
        if (sim.now > deadline) throw new Error(`not within ${limitMs} virtual ms: ${what}`)
        sim.run({ maxEvents: 1 })
      }
    },
    async kill (i) { sim.crash(nodes[i]) },
    async stop () {
      for (const n of nodes) sim.leave(n)
      sim.runUntilIdle(1_000_000)
    },
    leftovers () {
      const out: string[] = []
      if (sim.pending > 0) out.push(`${sim.pending} simulator events pending`)
      nodes.forEach((n, i) => { if ((n.timers?.size ?? 0) > 0) out.push(`node ${i}: ${n.timers?.size} timers`) })
      return out
    }
  }
}

async function liveRuntime<M, O, Mach extends Machine<M>> (c: OverlayContract<M, O, Mach>, transport: 'memory' | 'tcp'): Promise<ContractRuntime<Mach>> {
  const factory = (i: number): (components: OverlayComponents) => { driver: OverlayDriver<M, O, Mach> } => {
    const options = c.options(i, transport)
    return c.service?.(i, options) ?? ((components) => new OverlayService(components, c.spec, options, { driver: { seed: i } }))
  }
  const swarm: Swarm<{ overlay: { driver: OverlayDriver<M, O, Mach> } }> = await createSwarm(c.nodes, i => ({ overlay: factory(i) }), { transport, connect: c.connect ?? 'none', seed: 1 })
  const drivers = swarm.nodes.map(n => n.services.overlay.driver)
  return {
    kind: transport,
    nodes: drivers.map(d => ({ ref: d.self, get machine () { return d.machine }, stats: d.stats })),
    async until (cond, what, limitMs = 10_000) {
      const deadline = performance.now() + limitMs
      while (!cond()) {
        if (performance.now() > deadline) throw new Error(`not within ${limitMs} ms: ${what}`)
        // yield to the event loop so streams and timers make progress
        await new Promise(resolve => setTimeout(resolve, 2))
      }
    },
    async rawStream (from, to) { return await swarm.nodes[from].dialProtocol(swarm.addr(to), c.spec.protocol) },
    async kill (i) { await swarm.nodes[i].stop() },
    async stop () { await swarm.stop() },
    leftovers () {
      const out: string[] = []
      swarm.nodes.forEach((node, i) => {
        if (node.status !== 'stopped') out.push(`node ${i}: libp2p ${node.status}`)
        if (node.getProtocols().includes(c.spec.protocol)) out.push(`node ${i}: ${c.spec.protocol} still handled`)
        const r = drivers[i].resources()
        for (const [k, v] of Object.entries(r)) if (v > 0) out.push(`node ${i}: ${v} ${k}`)
        if (drivers[i].isStarted()) out.push(`node ${i}: driver still started`)
        const conns = node.getConnections().length
        if (conns > 0) out.push(`node ${i}: ${conns} connections`)
      })
      return out
    }
  }
}

/**
 * Seeded random frames (random lengths up to the codec's limit, random bytes) on one raw stream and an
 * oversize frame on another. Every frame must be accounted for at the target — received (it happened to
 * decode), dropped as undecodable, or a counted machine error — and the oversize stream reset.
 */
async function fuzzFrames<M, O, Mach extends Machine<M>> (c: OverlayContract<M, O, Mach>, rt: ContractRuntime<Mach>, count: number): Promise<void> {
  if (rt.rawStream === undefined) return
  const target = rt.nodes[1].stats
  const accounted = (): number => {
    let n = target.get('driver:machine-errors')
    for (const [type, m] of target.messages) n += type === 'decode-error' || type === 'unknown-type' ? m.dropped : m.received
    return n
  }
  const before = accounted()
  const rng = new Rng(`fuzz/${c.name}`)
  const s = await rt.rawStream(0, 1)
  for (let k = 0; k < count; k++) {
    const len = rng.int(Math.min(c.spec.codec.maxFrameBytes, 512) + 1)
    s.send(encodeFrame(rng.bytes(len), Infinity))
  }
  await rt.until(() => accounted() >= before + count, `${count} fuzzed frames accounted for`)
  const big = await rt.rawStream(0, 1)
  const oversizeBefore = target.messages.get('oversize')?.dropped ?? 0
  big.send(encodeFrame(new Uint8Array(c.spec.codec.maxFrameBytes + 1), Infinity))
  await rt.until(() => big.status !== 'open' && (target.messages.get('oversize')?.dropped ?? 0) === oversizeBefore + 1, 'the oversize stream reset and counted')
  s.abort(new Error('fuzzing done'))
}

/**
 * Three frames of an unknown type on one raw stream to node 1: each is dropped and counted as
 * 'unknown-type', none as a decode error, and the stream is still open afterwards (framing was intact).
 */
async function unknownTypes<M, O, Mach extends Machine<M>> (c: OverlayContract<M, O, Mach>, rt: ContractRuntime<Mach>, frame: Uint8Array): Promise<void> {
  if (rt.rawStream === undefined) return
  const target = rt.nodes[1].stats
  const count = (what: string): number => target.messages.get(what)?.dropped ?? 0
  const before = { unknown: count('unknown-type'), garbage: count('decode-error') }
  const s = await rt.rawStream(0, 1)
  for (let k = 0; k < 3; k++) s.send(encodeFrame(frame, c.spec.codec.maxFrameBytes))
  await rt.until(() => count('unknown-type') - before.unknown + count('decode-error') - before.garbage >= 3, '3 dropped frames counted')
  assert.equal(count('unknown-type'), before.unknown + 3, 'unknown-type drops')
  assert.equal(count('decode-error'), before.garbage, 'an unknown type is not counted as garbage')
  assert.equal(s.status, 'open', 'the stream survives an unknown type')
  s.abort(new Error('done'))
}

/** Declare the mocha suites for one overlay's contract in every runtime. */
export function runCompliance<M, O, Mach extends Machine<M>> (c: OverlayContract<M, O, Mach>): void {
  const cases: Record<string, (rt: ContractRuntime<Mach>) => Promise<void>> = {
    ...c.cases,
    'stop releases everything': async (rt) => {
      await rt.stop()
      assert.deepEqual(rt.leftovers(), [], 'resources left after stop()')
    }
  }
  const liveCases: typeof cases = {}
  const alive = c.alive
  if (alive !== undefined) {
    liveCases['survives fuzzed frames'] = async (rt) => {
      await fuzzFrames(c, rt, 300)
      await alive(rt, 1)
    }
  }
  const unknownFrame = c.unknownTypeFrame
  if (alive !== undefined && unknownFrame !== undefined) {
    liveCases["drops a newer peer's message type"] = async (rt) => {
      await unknownTypes(c, rt, unknownFrame)
      await alive(rt, 1)
    }
  }
  describe(`compliance: ${c.name}`, function () {
    for (const kind of c.runtimes ?? ['sim', 'memory', 'tcp'] as RuntimeKind[]) {
      describe(kind === 'sim' ? 'in the simulator' : `live on ${kind} (noise + yamux)`, function () {
        for (const [title, body] of Object.entries(kind === 'sim' ? cases : { ...cases, ...liveCases })) {
          it(title, async function () {
            const rt = kind === 'sim' ? await simRuntime(c) : await liveRuntime(c, kind)
            try {
              await c.setup?.(rt)
              await body(rt)
            } finally {
              await rt.stop()
            }
          })
        }
      })
    }
  })
}
