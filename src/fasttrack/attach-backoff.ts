/**
 * What an orphaned leaf remembers about its attach requests, so that a slow network (an overloaded
 * host, a starved CPU) does not make it forget the only supernodes it knows:
 *
 * - `slow`: supernodes whose attach (or ping) went unanswered. A timeout is not a refusal: the
 *   supernode may be alive and merely slow. It is retried after a backoff, each time with a longer
 *   timeout, and only forgotten after several timeouts in a row and only when the leaf knows
 *   another supernode (a leaf never empties its own refresh list by timing out).
 * - `notSupernode`: peers that said themselves they are no (longer) supernodes: a demoted supernode
 *   stays in other nodes' refresh lists and their gossip would send us back to it over and over.
 * - `asked`: attach requests sent lately, so that an acceptance arriving after its timeout is
 *   still taken (before, it was answered with a detach: the supernode lost the leaf it had just
 *   accepted, and the leaf stayed orphaned while every reply came in just too late).
 *
 * Pure bookkeeping on virtual time; bounded (oldest entries go first).
 */

interface Slow { fails: number, retryAt: number }

/** Most entries kept in each map (an orphan contacts a few supernodes per period). */
const MAX_ENTRIES = 64

export class AttachBackoff {
  private readonly slow = new Map<string, Slow>()
  /** Peers found (first-hand) not to be supernodes, and when: gossip still naming them is ignored a while. */
  private readonly notSupernode = new Map<string, number>()
  /** Attach requests in flight per supernode: when the last went out, and how many replies are still due. */
  private readonly asked = new Map<string, { at: number, due: number }>()

  /**
   * @param baseMs  the first attach timeout (`attachTimeoutMs`)
   * @param maxMs   the longest attach timeout and backoff
   * @param lateMs  how long an attach request stays answerable (a supernode forgets a silent leaf after `leafTimeoutMs`)
   */
  constructor (private readonly baseMs: number, private readonly maxMs: number, private readonly lateMs: number) {}

  /** Timeout for the next attach to `id`: doubled by each timeout in a row, at most maxMs. */
  timeoutFor (id: string): number {
    const fails = this.slow.get(id)?.fails ?? 0
    return Math.min(this.maxMs, this.baseMs * 2 ** fails)
  }

  /** Consecutive timeouts of `id`. */
  fails (id: string): number { return this.slow.get(id)?.fails ?? 0 }

  /**
   * `id` did not answer within `waitedMs`: back off as long again before the next try (so a late
   * reply to this request has that long to arrive). Returns the consecutive timeouts so far.
   */
  timedOut (id: string, now: number, waitedMs: number): number {
    const fails = (this.slow.get(id)?.fails ?? 0) + 1
    this.slow.delete(id)
    this.slow.set(id, { fails, retryAt: now + Math.min(this.maxMs, waitedMs) })
    trim(this.slow)
    return fails
  }

  /** Supernodes we are backing off from at `now` (not to be asked again yet). */
  waitingIds (now: number): string[] {
    const out: string[] = []
    for (const [id, s] of this.slow) if (s.retryAt > now) out.push(id)
    return out
  }

  /** Earliest retry time among the slow supernodes accepted by `keep` and tried fewer than `maxFails` times, if any is later than now. */
  nextRetry (now: number, maxFails: number, keep: (id: string) => boolean): number | undefined {
    let at: number | undefined
    for (const [id, s] of this.slow) {
      if (s.fails >= maxFails || s.retryAt <= now || !keep(id)) continue
      if (at === undefined || s.retryAt < at) at = s.retryAt
    }
    return at
  }

  /** `id` answered: it is not slow (any more). */
  answered (id: string): void { this.slow.delete(id) }

  /** `id` told us itself that it is no supernode (a demoted one that others' refresh lists still name). */
  notASupernode (id: string, now: number): void {
    this.notSupernode.delete(id)
    this.notSupernode.set(id, now)
    trim(this.notSupernode)
  }

  /** Was `id` found not to be a supernode within the last `horizonMs`? */
  knownNotSupernode (id: string, now: number, horizonMs: number): boolean {
    const at = this.notSupernode.get(id)
    if (at === undefined) return false
    if (now - at <= horizonMs) return true
    this.notSupernode.delete(id)
    return false
  }

  /** First-hand news that `id` is a supernode (again). */
  isSupernode (id: string): void { this.notSupernode.delete(id) }

  /** An attach request to `id` goes out now. */
  sent (id: string, now: number): void {
    const due = (this.asked.get(id)?.due ?? 0) + 1
    this.asked.delete(id)
    this.asked.set(id, { at: now, due })
    trim(this.asked)
  }

  /**
   * A reply from `id` arrived: defined when it answers a request of ours recent enough to count
   * (one reply per request; a reply nobody asked for, or a repeated one, is undefined), with the
   * round trip when it is unambiguous.
   */
  take (id: string, now: number): { rttMs: number | undefined } | undefined {
    const a = this.asked.get(id)
    if (a === undefined) return undefined
    if (now - a.at > this.lateMs) { this.asked.delete(id); return undefined }
    // with several requests out, we cannot tell which one this answers: no round-trip sample
    const rttMs = a.due === 1 ? now - a.at : undefined
    if (--a.due <= 0) this.asked.delete(id)
    return { rttMs }
  }
}

function trim (m: Map<string, unknown>): void {
  while (m.size > MAX_ENTRIES) m.delete(m.keys().next().value as string)
}

/**
 * Round-trip time to the peers we ask (attach and ping replies, late ones included), smoothed as
 * TCP does (Jacobson/Karels, RFC 6298): `rto()` = srtt + 4 × rttvar. Timeouts are never shorter
 * than the configured ones; on a slow network (an overloaded host) they grow with the measured
 * round trip, so live-but-slow supernodes are not taken for dead over and over.
 */
export class RttEstimator {
  private srtt: number | undefined
  private rttvar = 0

  sample (rttMs: number): void {
    if (!(rttMs >= 0) || !Number.isFinite(rttMs)) return
    if (this.srtt === undefined) { this.srtt = rttMs; this.rttvar = rttMs / 2; return }
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rttMs)
    this.srtt = 0.875 * this.srtt + 0.125 * rttMs
  }

  /** A timeout for a request: at least `floorMs`, at most `capMs` (and never below floorMs). */
  timeout (floorMs: number, capMs: number): number {
    if (this.srtt === undefined) return floorMs
    return Math.max(floorMs, Math.min(capMs, this.srtt + 4 * this.rttvar))
  }
}
