/**
 * Refusing a peer's message. A machine that drops something a peer sent (bad signature, a write it has
 * no right to make, a quota exceeded, a reply it never asked for) calls `refuse`: the drop is counted
 * under a stable name in the node's stats, and the driver's peer score takes the penalty (the libp2p
 * driver resets, disconnects and backs off from a peer past its threshold; the simulator only counts).
 * It never throws and builds no Error, so a refusal costs about what handling a valid message costs.
 */
import type { Env, PeerRef } from './types.js'

/** Weights: how bad a refusal is. A bad signature is a lie; a quota hit may be an honest peer's burst. */
export const PENALTY = {
  /** Over a quota or a rate: counted, hardly penalised. */
  quota: 0.1,
  /** Something this node did not ask for or does not accept from this peer. */
  refused: 1,
  /** Provably false: a bad signature, a hash mismatch, an id not bound to its key. */
  invalid: 10
} as const

/** Counts `name` (e.g. 'gossip:bad-signature') and reports the penalty against `peer` to the driver. */
export function refuse (env: Pick<Env<unknown>, 'stats' | 'penalize'>, peer: PeerRef, name: string, weight: number = PENALTY.refused): void {
  env.stats.inc(name)
  env.penalize?.(peer, name, weight)
}
