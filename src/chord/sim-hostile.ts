/**
 * Colluding lying routers for the simulator (the hostile-lookups benchmark and the seeded hostile
 * tests). An adversary host is an ordinary Chord machine on the ring except for routing: every `find`
 * it is asked is answered with adversaries only — the colluders closest before the key as next hops,
 * and once no colluder sits between itself and the key, "done: the owner is the first colluder after
 * the key". Asked to confirm, it claims to own the key. Its node ids are still derived from its peer id
 * (it cannot place itself), so the only lie it can tell is to name a farther node.
 */
import { Simulator, type SimOptions } from '../sim/index.js'
import type { Env } from '../overlay/types.js'
import { ChordMachine } from './machine.js'
import type { ChordEvent } from './events.js'
import type { ChordMessage } from './messages.js'
import { compareNodes, compareToKey, prefixOf, type NodeInfo } from './node.js'
import type { ChordOptions } from './options.js'
import { oracleBootstrap } from './oracle.js'
import { chordCodec } from './codec.js'
import { CHORD_PROTOCOL, chordSpecFor } from './spec.js'
import type { ChordSimNode } from './sim-run.js'
import type { PeerRef } from '../overlay/types.js'

/** The adversaries' shared knowledge: every colluding vnode, sorted by id. */
export class Collusion {
  ring: NodeInfo[] = []

  /** Index of the first colluder at or after `key` (wrapping). */
  firstAfter (key: bigint, bits: number): number {
    const kp = prefixOf(key, bits)
    let lo = 0; let hi = this.ring.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareToKey(this.ring[mid], kp, key) < 0) lo = mid + 1; else hi = mid
    }
    return lo === this.ring.length ? 0 : lo
  }
}

export class LyingRouter extends ChordMachine {
  constructor (env: Env<ChordMessage, ChordEvent>, options: ChordOptions, private readonly c: Collusion) {
    super(env, options)
  }

  override onMessage (from: PeerRef, msg: ChordMessage): void {
    if (msg.t !== 'find' || this.c.ring.length === 0) { super.onMessage(from, msg); return }
    const r = this.c.ring
    const n = r.length
    const s = this.c.firstAfter(msg.key, this.bits)
    const after = [r[s], r[(s + 1) % n], r[(s + 2) % n]]
    if (msg.confirm === true) {
      const mine = this.vnodes[0].self
      this.send(from, { t: 'next', req: msg.req, done: true, nodes: [mine, ...after.filter(x => x.tag !== mine.tag)] })
      return
    }
    const pred = r[(s - 1 + n) % n]
    // no colluder between us and the key: claim the first colluder after the key owns it
    if (pred.peer === this.self.id) { this.send(from, { t: 'next', req: msg.req, done: true, nodes: after }); return }
    const next = [pred, r[(s - 2 + n) % n], r[(s - 3 + n) % n], r[(s - 4 + n) % n]].filter(x => x.peer !== this.self.id)
    this.send(from, { t: 'next', req: msg.req, done: false, nodes: msg.succ === true ? [...next, after[0]] : next })
  }
}

export interface HostileRing { sim: Simulator, nodes: ChordSimNode[], honest: ChordSimNode[], adversaries: ChordSimNode[] }

/** `hosts` hosts of which a fraction `f` (chosen by the seed) collude; the converged ring from the oracle. */
export function buildHostileRing (hosts: number, f: number, options: ChordOptions, sim: SimOptions): HostileRing {
  const s = new Simulator(sim)
  const bits = options.bits ?? 160
  const collusion = new Collusion()
  const honestSpec = chordSpecFor(bits)
  const lyingSpec = {
    name: 'chord', protocol: CHORD_PROTOCOL, codec: chordCodec(bits),
    create: (env: Env<ChordMessage, ChordEvent>, o: ChordOptions) => new LyingRouter(env, { ...o, bits }, collusion)
  }
  const rng = s.rng.fork('adversaries')
  const bad = new Set(rng.sample(Array.from({ length: hosts }, (_, i) => i), Math.round(f * hosts)))
  const nodes: ChordSimNode[] = []
  for (let i = 0; i < hosts; i++) {
    nodes.push(bad.has(i) ? s.spawn(lyingSpec, { maintenance: false, ...options }) as ChordSimNode : s.spawn(honestSpec, { maintenance: false, ...options }))
  }
  oracleBootstrap(nodes.map(n => n.machine))
  const adversaries = nodes.filter((_, i) => bad.has(i))
  collusion.ring = adversaries.flatMap(n => n.machine.vnodes.map(v => v.self)).sort(compareNodes)
  return { sim: s, nodes, honest: nodes.filter((_, i) => !bad.has(i)), adversaries }
}
