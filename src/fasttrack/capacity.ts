/**
 * Capacity: who may be a supernode, and the (capacity, id) rank the bully election orders by.
 */
import type { ResolvedOptions } from './options.js'

/**
 * Capacity score: upload kbit/s weighted by uptime, ×1 fresh up to ×2 after `saturationMs`, in steps
 * of 0.1 so a node's rank does not drift between the messages of one election (a bully election
 * needs every node to see the same order).
 */
export function capacityScore (upKbps: number, uptimeMs: number, saturationMs: number): number {
  const fraction = Math.min(Math.max(uptimeMs, 0), saturationMs) / Math.max(1, saturationMs)
  const factor = 1 + Math.floor(fraction * 10) / 10
  return Math.min(0xffffffff, Math.floor(Math.max(0, upKbps) * factor))
}

/** Eligible: not firewalled, enough bandwidth and uptime. */
export function isEligible (o: ResolvedOptions, uptimeMs: number): boolean {
  return !o.capacity.firewalled &&
    o.capacity.upKbps >= o.minSupernodeKbps &&
    uptimeMs >= o.minSupernodeUptimeMs
}

/**
 * Total order of the election: higher capacity first, ties broken by the larger id.
 * Returns > 0 when (capA, idA) outranks (capB, idB).
 */
export function compareRank (capA: number, idA: string, capB: number, idB: string): number {
  if (capA !== capB) return capA - capB
  return idA < idB ? -1 : idA > idB ? 1 : 0
}

/** The least capacity score an eligible node can have: claims below it are not believed. */
export function minEligibleScore (o: ResolvedOptions): number {
  return Math.floor(o.minSupernodeKbps)
}
