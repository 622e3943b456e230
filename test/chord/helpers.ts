/** Shared helpers for the chord tests: spawn rings in the simulator and check them. */
import { chordSpecFor } from '../../src/chord/spec.js'
import type { ChordMachine } from '../../src/chord/machine.js'
import { PROFILES, type ChordOptions } from '../../src/chord/options.js'
import { checkRing } from '../../src/chord/oracle.js'
import { Simulator, type SimNode, type SimOptions } from '../../src/sim/index.js'
import type { ChordMessage } from '../../src/chord/messages.js'

export type ChordNode = SimNode<ChordMessage, ChordMachine>

export const FAST: ChordOptions = { stabilizeMs: 500, fixFingersMs: 500, checkPredecessorMs: 1000, replicateMs: 2000, rpcTimeoutMs: 300 }

/** n hosts joining one after another (each through the first), maintenance on. */
export function joinRing (n: number, opts: ChordOptions = {}, sim: SimOptions = {}, gapMs = 100): { sim: Simulator, nodes: ChordNode[] } {
  const s = new Simulator({ seed: 1, ...sim })
  const spec = chordSpecFor(opts.bits ?? 160)
  const nodes: ChordNode[] = []
  nodes.push(s.spawn(spec, { ...PROFILES.sim, ...FAST, ...opts }))
  for (let i = 1; i < n; i++) {
    s.run({ until: s.now + gapMs })
    nodes.push(s.spawn(spec, { ...PROFILES.sim, ...FAST, ...opts, bootstrap: [nodes[0].ref] }))
  }
  return { sim: s, nodes }
}

export function live (nodes: ChordNode[]): ChordMachine[] {
  return nodes.filter(n => n.alive).map(n => n.machine)
}

/** Run until the ring invariant holds (checked every `stepMs`), up to `limitMs` of virtual time. */
export function settle (sim: Simulator, nodes: ChordNode[], limitMs = 120_000, stepMs = 1000): string[] {
  const end = sim.now + limitMs
  let errs = checkRing(live(nodes))
  while (errs.length > 0 && sim.now < end) {
    sim.run({ until: sim.now + stepMs })
    errs = checkRing(live(nodes))
  }
  return errs
}

/** Run the simulator until an operation's callback fires (a promise-free wait). */
export function wait<T> (sim: Simulator, start: (cb: (err: Error | null, v?: T) => void) => void): { err: Error | null, v?: T } {
  let out: { err: Error | null, v?: T } | undefined
  start((err, v) => { out = { err, v } })
  const limit = sim.now + 120_000
  while (out === undefined && sim.now < limit) sim.run({ until: sim.now + 50 })
  if (out === undefined) throw new Error('operation hung')
  return out
}

/** Promise-free lookup in the simulator: run until the callback fires. */
export function lookupSync (sim: Simulator, m: ChordMachine, key: bigint, extra: Record<string, unknown> = {}): { err: Error | null, res?: import('../../src/chord/lookup.js').LookupOutcome } {
  let out: { err: Error | null, res?: any } | undefined
  m.lookup({ key, ...extra }, (err, res) => { out = { err, res } })
  const limit = sim.now + 120_000
  while (out === undefined && sim.now < limit) sim.run({ until: sim.now + 100 })
  if (out === undefined) throw new Error('lookup did not finish')
  return out
}
