/**
 * The simulator's network model: per-message latency, loss, partitions. Bandwidth queues live on
 * the nodes (see simulator.ts) because they are per-node state.
 */
import type { Rng } from '../overlay/rng.js'

export type LatencyModel =
  | { kind: 'constant', ms: number }
  | { kind: 'uniform', min: number, max: number }
  | { kind: 'exponential', mean: number }
  | { kind: 'lognormal', median: number, sigma: number }
  /** Euclidean distance between the nodes' `coords` times msPerUnit, plus baseMs. */
  | { kind: 'coordinates', msPerUnit: number, baseMs?: number }

export type Coords = readonly [number, number]

export function sampleLatency (model: LatencyModel, rng: Rng, from?: Coords, to?: Coords): number {
  switch (model.kind) {
    case 'constant': return model.ms
    case 'uniform': return rng.range(model.min, model.max)
    case 'exponential': return rng.exponential(model.mean)
    case 'lognormal': return rng.lognormal(model.median, model.sigma)
    case 'coordinates': {
      const base = model.baseMs ?? 0
      if (from === undefined || to === undefined) return base
      const dx = from[0] - to[0]; const dy = from[1] - to[1]
      return base + Math.sqrt(dx * dx + dy * dy) * model.msPerUnit
    }
  }
}

export function describeLatency (model: LatencyModel): string {
  switch (model.kind) {
    case 'constant': return `constant ${model.ms} ms`
    case 'uniform': return `uniform [${model.min}, ${model.max}] ms`
    case 'exponential': return `exponential mean ${model.mean} ms`
    case 'lognormal': return `lognormal median ${model.median} ms, sigma ${model.sigma}`
    case 'coordinates': return `coordinates ${model.msPerUnit} ms/unit + ${model.baseMs ?? 0} ms`
  }
}

/** Which group each node is in while a partition is active; nodes not listed form group -1. */
export class Partitions {
  private group: Map<string, number> | undefined

  set (groups: readonly (readonly string[])[]): void {
    const g = new Map<string, number>()
    groups.forEach((ids, i) => { for (const id of ids) g.set(id, i) })
    this.group = g
  }

  heal (): void { this.group = undefined }

  get active (): boolean { return this.group !== undefined }

  /** True when a message from `a` to `b` may pass. */
  connected (a: string, b: string): boolean {
    const g = this.group
    if (g === undefined) return true
    return (g.get(a) ?? -1) === (g.get(b) ?? -1)
  }
}
