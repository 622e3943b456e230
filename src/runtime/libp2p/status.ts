/**
 * The resource side of a node's status: for every overlay driver among a libp2p node's services,
 * its peer-policy state (bytes held, worst scores, refused peers) and its drop and penalty counters
 * under their stable names. The node's `status` op shows it; the same numbers are in libp2p metrics.
 */
import { OverlayDriver } from './driver.js'

export interface DriverLimitsStatus {
  bufferedBytes: number
  scores: Array<{ peer: string, score: number, buffered: number, streams: number }>
  refused: Array<{ peer: string, msLeft: number }>
  refusedConnections: number
  /** 'driver:*' counters (banned, penalties, refused streams, idle closes). */
  counters: Record<string, number>
  /** Frames dropped, by reason. */
  dropped: Record<string, number>
}

/** Per service name, the limits status of each overlay driver the node runs. */
export function nodeLimitsStatus (node: { services: unknown }): Record<string, DriverLimitsStatus> {
  const out: Record<string, DriverLimitsStatus> = {}
  for (const [name, svc] of Object.entries((node.services ?? {}) as Record<string, unknown>)) {
    const d = (svc as { driver?: unknown })?.driver
    if (!(d instanceof OverlayDriver)) continue
    const counters: Record<string, number> = {}
    for (const [k, v] of d.stats.counters) if (k.startsWith('driver:')) counters[k] = v
    const dropped: Record<string, number> = {}
    for (const [k, c] of d.stats.messages) if (c.dropped > 0) dropped[k] = c.dropped
    out[name] = { ...d.limitsStatus(), counters, dropped }
  }
  return out
}
