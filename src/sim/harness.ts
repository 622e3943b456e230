/** A simulator harness: n nodes of one overlay in a fresh simulator. */
import type { Machine, OverlaySpec } from '../overlay/types.js'
import { Simulator, type SimNode, type SimOptions, type SpawnOptions } from './simulator.js'

export function simSwarm<M, O, Mach extends Machine<M>> (
  spec: OverlaySpec<M, O, Mach>,
  n: number,
  options: O | ((i: number) => O),
  simOptions: SimOptions = {},
  spawn?: (i: number) => SpawnOptions
): { sim: Simulator, nodes: Array<SimNode<M, Mach>> } {
  const sim = new Simulator(simOptions)
  const nodes: Array<SimNode<M, Mach>> = []
  for (let i = 0; i < n; i++) {
    const o = typeof options === 'function' ? (options as (i: number) => O)(i) : options
    nodes.push(sim.spawn(spec, o, spawn?.(i)))
  }
  return { sim, nodes }
}
