/**
 * What a servent keeps per neighbour to bound it: a token bucket on the Queries it forwards (each is
 * flooded to every other neighbour, so an unbounded neighbour amplifies ×degree), an abuse score fed by
 * its refusals (decaying, so an honest burst is forgiven), and when it was last useful (a Query or a
 * QueryHit). A full servent gives the slot of an idle or abusive neighbour to a newcomer, so fake
 * identities that only hold connections cannot keep an honest servent out for long. Pure and
 * synchronous: time comes from the caller (env.now()).
 */
import type { PeerRef } from '../overlay/types.js'

/** Abuse score halves every this many ms. */
const ABUSE_HALF_LIFE_MS = 60_000

export interface Neighbour {
  ref: PeerRef
  lastSeen: number
  since: number
  /** When to send a keep-alive, drawn per link in [½, ¾] of the timeout so both ends of an idle link do not both ping. */
  quietAfter: number
  /** Last Query or QueryHit it sent (keep-alive pings and pongs do not count). */
  lastUseful: number
  /** Query tokens left and when they were last topped up. */
  tokens: number
  tokensAt: number
  /** Weighted refusals, decaying with ABUSE_HALF_LIFE_MS. */
  abuse: number
  abuseAt: number
}

export interface NeighbourLimits {
  queryRate: number
  queryBurst: number
  idleEvictMs: number
  evictPenalty: number
}

export function newNeighbour (ref: PeerRef, now: number, quietAfter: number, burst: number): Neighbour {
  return { ref, lastSeen: now, since: now, quietAfter, lastUseful: now, tokens: burst, tokensAt: now, abuse: 0, abuseAt: now }
}

/** Take one query token; false when the neighbour is over its rate. */
export function takeQueryToken (n: Neighbour, now: number, l: NeighbourLimits): boolean {
  n.tokens = Math.min(l.queryBurst, n.tokens + (now - n.tokensAt) * l.queryRate / 1000)
  n.tokensAt = now
  if (n.tokens < 1) return false
  n.tokens -= 1
  return true
}

/** Add `weight` to the neighbour's abuse score; true when it is now past the eviction threshold. */
export function addAbuse (n: Neighbour, weight: number, now: number, l: NeighbourLimits): boolean {
  n.abuse = abuseNow(n, now) + weight
  n.abuseAt = now
  return n.abuse >= l.evictPenalty
}

function abuseNow (n: Neighbour, now: number): number {
  return n.abuse === 0 ? 0 : n.abuse * Math.pow(0.5, (now - n.abuseAt) / ABUSE_HALF_LIFE_MS)
}

/**
 * The neighbour whose slot a newcomer may take: one that has been useless (no Query, no QueryHit) for
 * `idleEvictMs`, the longest idle first; undefined when every neighbour has been useful recently.
 */
export function evictionCandidate (neighbours: Iterable<Neighbour>, now: number, l: NeighbourLimits): Neighbour | undefined {
  let best: Neighbour | undefined
  for (const n of neighbours) {
    if (now - n.lastUseful < l.idleEvictMs) continue
    if (best === undefined || n.lastUseful < best.lastUseful) best = n
  }
  return best
}
