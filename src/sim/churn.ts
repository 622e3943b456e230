/**
 * Churn generators: Poisson join and leave processes, and lifetime-driven churn (each node lives a
 * sampled lifetime — Weibull or Pareto — then leaves).
 */
import type { Rng } from '../overlay/rng.js'
import type { SimNode, Simulator } from './simulator.js'

export interface PoissonChurnOptions {
  /** Joins per second (virtual). @default 0 */
  joinRate?: number
  /** Leaves per second (virtual). @default 0 */
  leaveRate?: number
  /** Virtual time (ms) after which no more churn is scheduled. */
  until: number
  /** Where the draws come from. @default sim.rng.fork('churn') */
  rng?: Rng
  onJoin: () => void
  onLeave: () => void
}

/** Schedule Poisson joins and leaves (independent processes, exponential gaps) until `until`. */
export function poissonChurn (sim: Simulator, o: PoissonChurnOptions): void {
  const rng = o.rng ?? sim.rng.fork('churn')
  const process = (ratePerS: number, fn: () => void, label: string): void => {
    if (ratePerS <= 0) return
    const r = rng.fork(label)
    const next = (): void => {
      const gap = r.exponential(1000 / ratePerS)
      if (sim.now + gap > o.until) return
      sim.after(gap, () => { fn(); next() })
    }
    next()
  }
  process(o.joinRate ?? 0, o.onJoin, 'join')
  process(o.leaveRate ?? 0, o.onLeave, 'leave')
}

export type Lifetime =
  | { kind: 'exponential', meanMs: number }
  | { kind: 'weibull', shape: number, scaleMs: number }
  | { kind: 'pareto', alpha: number, minMs: number }

export function sampleLifetime (l: Lifetime, rng: Rng): number {
  switch (l.kind) {
    case 'exponential': return rng.exponential(l.meanMs)
    case 'weibull': return rng.weibull(l.shape, l.scaleMs)
    case 'pareto': return rng.pareto(l.alpha, l.minMs)
  }
}

export interface LifetimeChurnOptions {
  lifetime: Lifetime
  until: number
  rng?: Rng
  /** What ending a life means. @default 'crash' */
  death?: 'crash' | 'leave'
  /** Called when a node's life ends; return a replacement to keep the population (or nothing). */
  onDeath?: (node: SimNode) => SimNode | undefined
}

/** Give `node` a sampled lifetime; when it ends, the node crashes or leaves (and may be replaced). */
export function lifetimeChurn (sim: Simulator, nodes: readonly SimNode[], o: LifetimeChurnOptions): void {
  const rng = o.rng ?? sim.rng.fork('lifetimes')
  const schedule = (node: SimNode): void => {
    const life = sampleLifetime(o.lifetime, rng)
    if (sim.now + life > o.until) return
    sim.after(life, () => {
      if (!node.alive) return
      if ((o.death ?? 'crash') === 'crash') sim.crash(node); else sim.leave(node)
      const next = o.onDeath?.(node)
      if (next !== undefined) schedule(next)
    })
  }
  for (const n of nodes) schedule(n)
}
