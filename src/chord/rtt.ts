/**
 * Request timeouts from measured round trips, and suspicion before death (the request layer in
 * machine.ts asks this). On a slow or queued link (a WAN, or a link that carries one buffer after
 * another) a fixed timeout fires although the peer is alive; dropping it then repairs tables, re-dials
 * and adds traffic to the very links that were slow. So:
 *
 * - the timeout follows the round trips this host measures, as TCP's RTO does (RFC 6298: SRTT and
 *   RTTVAR, timeout = SRTT + 4·RTTVAR), never below rpcTimeoutMs and at most RTO_CAP times it;
 * - one timeout makes a peer a suspect, not dead: callers route around it (a lookup tries the next
 *   candidate) and ask again; it is dead after DEAD_AFTER timeouts in a row with nothing heard from it
 *   in between. Any message from it (a late reply too) clears the suspicion.
 *
 * One estimator per host, not per peer: per-peer state would cost every simulated host a table (10^6
 * hosts), and the spread between peers shows in RTTVAR. It is made on the first round trip of
 * RTT_SAMPLE_MIN_MS or more: hosts on fast links never pay for it.
 */

/** Timeouts in a row, nothing heard in between, before a peer is dropped as dead. */
export const DEAD_AFTER = 2
/** The adaptive timeout never exceeds this many times rpcTimeoutMs. */
const RTO_CAP = 4
/** Suspects remembered per host (the oldest is forgotten first). */
const SUSPECTS_MAX = 64

export class PeerHealth {
  private srtt = -1
  private rttvar = 0
  private suspects: Map<string, number> | undefined

  constructor (private readonly floorMs: number) {}

  /** A round trip measured to any peer (a late reply included: its request id is unique, no ambiguity). */
  observe (ms: number): void {
    if (this.srtt < 0) { this.srtt = ms; this.rttvar = ms / 2; return }
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - ms)
    this.srtt = 0.875 * this.srtt + 0.125 * ms
  }

  /** Smoothed round trip (ms), or -1 before the first slow sample. */
  get smoothed (): number { return this.srtt }

  /** The timeout for the next request. */
  timeout (): number {
    if (this.srtt < 0) return this.floorMs
    return Math.min(RTO_CAP * this.floorMs, Math.max(this.floorMs, this.srtt + 4 * this.rttvar))
  }

  /** A request to `peer` timed out: true when that makes it dead (DEAD_AFTER in a row). */
  missed (peer: string): boolean {
    const s = (this.suspects ??= new Map())
    const n = (s.get(peer) ?? 0) + 1
    if (n >= DEAD_AFTER) { s.delete(peer); return true }
    if (s.size >= SUSPECTS_MAX) s.delete(s.keys().next().value as string)
    s.set(peer, n)
    return false
  }

  /** Something arrived from `peer`: it is alive. */
  heard (peer: string): void { this.suspects?.delete(peer) }

  /** Is `peer` a suspect (timed out, not heard from since)? */
  suspect (peer: string): boolean { return this.suspects?.has(peer) === true }
}

/** Round trips under this (ms: one process, a LAN) change nothing: no estimator is made for them. */
export const RTT_SAMPLE_MIN_MS = 10
