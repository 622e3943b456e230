/**
 * Adaptive stabilization for Maintenance (maintenance.ts), per vnode: how soon the next stabilize
 * round runs, and whether a fix_fingers round waits while the neighbourhood still changes.
 */
import type { ChordContext } from './context.js'
import type { VNode } from './routing.js'

/** fix_fingers rounds a vnode may skip in a row while its neighbourhood changes. */
const FIX_SKIP_MAX = 8
/** A neighbourhood is calm this many stabilize periods after its last change (50 ms doubling to 1 s takes ~1.5 s). */
const CALM_PERIODS = 1.5
/** fix_fingers slows down to this many times fixFingersMs while its lookups find the fingers unchanged. */
const FIX_MAX_FACTOR = 8
/** ...by this factor per unchanged result (log2 N lookups make a round: about one quiet round to the maximum at N = 64). */
const FIX_SLOWDOWN = 1.5

export class StabilizePacing {
  constructor (private readonly m: ChordContext, private readonly jitter: (period: number) => number) {}

  /** Vnode i starts at the plain period (maintenance start). */
  reset (i: number): void { this.pace[i] = this.m.o.stabilizeMs }

  /**
   * Adaptive stabilization, per vnode: the current period (ms) and whether its neighbourhood changed
   * since its last round. A change (successor list or predecessor changed, a node joined just after it)
   * sets the period to stabilizeMinMs at once; each quiet round doubles it, up to stabilizeMs. A
   * forming ring thus repairs itself in tens of ms per step, a quiet ring pays the plain period.
   */
  private readonly pace: number[] = []
  private readonly changed: boolean[] = []
  /** When the neighbourhood of each vnode last changed (for deferFix). */
  private readonly changedAt: number[] = []

  /** The neighbourhood of v changed: stabilize within the fast period (never later than planned). */
  hurry (v: VNode): void {
    const min = this.m.o.stabilizeMinMs
    if (min <= 0 || !this.m.o.maintenance) return
    const i = v.self.vnode
    this.changed[i] = true
    this.changedAt[i] = this.m.env.now()
    if ((this.pace[i] ?? Infinity) > min) {
      this.pace[i] = min
      this.m.env.setTimer(`stab:${i}`, this.jitter(min))
    }
  }

  /** The period after a stabilize round of vnode i: back to the minimum after a change, else doubled. */
  nextPace (i: number): number {
    // not widened on slow links: one get_pred is outstanding per vnode at a time (maintenance.ts), so
    // rounds already follow the round trip; spacing them at 2·SRTT made a CPU-bound 64-node ring form
    // in 12.9 s instead of ~6 (chord-live, seed 1)
    const { stabilizeMs: max, stabilizeMinMs: min } = this.m.o
    if (min <= 0) return max
    const p = this.changed[i] === true ? min : Math.min(max, 2 * (this.pace[i] ?? max))
    this.changed[i] = false
    this.pace[i] = p
    return p
  }

  /** fix_fingers rounds skipped in a row, per vnode (see deferFix). */
  private readonly fixSkips: number[] = []

  /**
   * Skip this fix_fingers round while v's neighbourhood is still changing (less than CALM_PERIODS
   * stabilize periods since the last change, the time the fast period takes to back off): finger lookups through a forming
   * ring find owners about to change and open connections to nodes that will not stay fingers. At
   * most FIX_SKIP_MAX rounds in a row, so fingers still follow a ring under steady churn.
   */
  deferFix (i: number): boolean {
    const busy = this.settling(i)
    if (busy && (this.fixSkips[i] ?? 0) < FIX_SKIP_MAX) { this.fixSkips[i] = (this.fixSkips[i] ?? 0) + 1; return true }
    this.fixSkips[i] = 0
    return false
  }

  /** Vnode i's neighbourhood changed less than CALM_PERIODS stabilize periods ago (adaptive stabilization only). */
  settling (i: number): boolean {
    const { stabilizeMs, stabilizeMinMs } = this.m.o
    const at = this.changedAt[i]
    return stabilizeMinMs > 0 && at !== undefined && this.m.env.now() - at < CALM_PERIODS * stabilizeMs
  }

  private readonly fixPace: number[] = []

  /** The fix_fingers period of vnode i. */
  fixPeriod (i: number): number { return this.fixPace[i] ?? this.m.o.fixFingersMs }

  /**
   * A fix_fingers lookup of vnode i came back: a changed finger resets the period to fixFingersMs,
   * an unchanged one stretches it (up to FIX_MAX_FACTOR ×): a quiet ring stops paying a lookup per
   * second per vnode, a changing one keeps the paper's pace.
   */
  fingerResult (i: number, changed: boolean): void {
    const base = this.m.o.fixFingersMs
    this.fixPace[i] = changed ? base : Math.min(FIX_MAX_FACTOR * base, FIX_SLOWDOWN * this.fixPeriod(i))
  }
}
