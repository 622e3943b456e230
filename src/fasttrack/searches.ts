/**
 * The searches a node has in flight (a leaf's, or a supernode's own): hits deduplicated by (holder,
 * file), a hit limit, a timeout timer per search (`search:<qid>`), events for metrics.
 */
import type { Env, SearchHit } from '../overlay/index.js'
import type { FastTrackEvent } from './events.js'
import { InvalidArgumentError, toHex } from '../overlay/index.js'
import type { SearchRunOptions } from '../search/api.js'
import { keywordsOf } from '../search/keywords.js'
import { LIMITS } from './limits.js'
import type { FastTrackHit, FastTrackMsg, HitEntry } from './messages.js'

export interface PendingSearch {
  text: string
  started: number
  seen: Set<string>
  /** Results accepted per answering supernode (`via`), capped (see supernodeHitShare). */
  perVia: Map<string, number>
  hits: number
  limit: number
  /** Handed to a supernode (ours, or our own role) already. */
  sent: boolean
  onHit: (hit: FastTrackHit) => void
  done: (err: Error | null) => void
}

export class SearchTable {
  private readonly map = new Map<string, PendingSearch>()

  constructor (private readonly env: Env<FastTrackMsg, FastTrackEvent>) {}

  has (qid: string): boolean { return this.map.has(qid) }
  get (qid: string): PendingSearch | undefined { return this.map.get(qid) }
  qids (): string[] { return [...this.map.keys()] }

  /** After a failover or a role change every search is sent again through the new supernode. */
  markAllUnsent (): void { for (const s of this.map.values()) s.sent = false }

  /** Register a search; returns its query id, or undefined (and `done` got the error) for a query without keywords. */
  open (text: string, options: SearchRunOptions, onHit: (hit: SearchHit) => void, done: (err: Error | null) => void): string | undefined {
    const clean = keywordsOf(text).join(' ').slice(0, LIMITS.maxQueryLength)
    if (clean.length === 0) { done(new InvalidArgumentError('a query needs at least one keyword')); return undefined }
    const qid = toHex(this.env.rng.bytes(LIMITS.qidBytes))
    this.map.set(qid, { text: clean, started: this.env.now(), seen: new Set(), perVia: new Map(), hits: 0, limit: Math.max(1, options.limit), sent: false, onHit, done })
    this.env.setTimer(`search:${qid}`, options.timeoutMs)
    this.env.stats.inc('ft.searches')
    this.env.emit({ type: 'fasttrack:search', qid, text: clean })
    return qid
  }

  /**
   * Hand hits to their search (dropped and counted when nobody asked). A hit may name any peer (the
   * answering supernode cannot be checked from here), so one answering supernode fills at most
   * `viaShare` of the limit; a lie then costs one download attempt, which the content hash and the
   * Noise-authenticated holder turn into a counted failure.
   */
  deliver (qid: string, hits: readonly HitEntry[], hops: number, viaShare: number, bad: (reason: string) => void): void {
    const s = this.map.get(qid)
    if (s === undefined) { bad('unseen-hit'); return }
    const cap = Math.max(1, Math.ceil(s.limit * viaShare))
    for (const h of hits.slice(0, LIMITS.maxHitsPerFrame)) {
      const key = `${h.peer.id}\u0000${h.hash}`
      if (s.seen.has(key) || h.peer.id === this.env.self.id) continue
      const via = s.perVia.get(h.via.id) ?? 0
      if (via >= cap) { bad('hit-supernode-cap'); continue }
      s.perVia.set(h.via.id, via + 1)
      s.seen.add(key)
      s.hits++
      const hit: FastTrackHit = { peer: h.peer, name: h.name, size: h.size, hash: h.hash, hops, via: h.via, firewalled: h.firewalled }
      this.env.emit({ type: 'fasttrack:hit', qid, hit, latencyMs: this.env.now() - s.started })
      s.onHit(hit)
      if (s.hits >= s.limit) { this.finish(qid); return }
    }
  }

  finish (qid: string): void {
    const s = this.map.get(qid)
    if (s === undefined) return
    this.map.delete(qid)
    this.env.clearTimer(`search:${qid}`)
    this.env.emit({ type: 'fasttrack:search-done', qid, hits: s.hits })
    s.done(null)
  }

  /** The node stops: every search ends. */
  finishAll (): void {
    for (const [qid, s] of this.map) { this.env.clearTimer(`search:${qid}`); s.done(null) }
    this.map.clear()
  }
}
