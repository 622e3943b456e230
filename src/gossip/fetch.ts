/**
 * Large payloads: a rumor or repair carries only the announcement (id, size, SHA-256); the receiver
 * pulls the body from an announcer, tries the next one on a timeout or a bad body, and checks the
 * hash before taking it in.
 */
import { sha256 } from '../overlay/hash.js'
import type { PeerRef } from '../overlay/types.js'
import type { GossipContext } from './context.js'
import { idKey, type Update } from './types.js'

interface PendingFetch {
  readonly ann: Update
  readonly sources: PeerRef[]
  tries: number
}

const PREFIX = 'fetch:'
/** Announcers remembered per pending fetch. */
const MAX_SOURCES = 8

export class PayloadFetch {
  private readonly pending = new Map<string, PendingFetch>()

  constructor (private readonly ctx: GossipContext) {}

  static isTimer (key: string): boolean { return key.startsWith(PREFIX) }

  stop (): void {
    for (const key of this.pending.keys()) this.ctx.env.clearTimer(PREFIX + key)
    this.pending.clear()
  }

  onTimer (key: string): void { this.ask(key.slice(PREFIX.length)) }

  /** An announcement: fetch the body (true), or note another source for a fetch under way (false). */
  announce (from: PeerRef, ann: Update): boolean {
    const key = idKey(ann.origin, ann.seq)
    const f = this.pending.get(key)
    if (f !== undefined) {
      if (f.sources.length < MAX_SOURCES && !f.sources.some(p => p.id === from.id)) f.sources.push(from)
      return false
    }
    this.pending.set(key, { ann, sources: [from], tries: 0 })
    this.ask(key)
    return true
  }

  /** A peer asks for a body we announced. */
  onFetch (from: PeerRef, origin: string, seq: number): void {
    const s = this.ctx.store.get(idKey(origin, seq))
    this.ctx.env.send(from, { type: 'body', origin, seq, ...(s?.u.data !== undefined ? { data: s.u.data } : {}) })
  }

  private ask (key: string): void {
    const f = this.pending.get(key)
    if (f === undefined) return
    const src = f.sources[f.tries % f.sources.length]
    if (f.tries >= 2 * f.sources.length + 1) {
      this.pending.delete(key)
      this.ctx.env.stats.inc('gossip:fetch-failed')
      return
    }
    f.tries++
    this.ctx.env.send(src, { type: 'fetch', origin: f.ann.origin, seq: f.ann.seq })
    this.ctx.env.setTimer(PREFIX + key, this.ctx.o.fetchTimeoutMs)
  }

  onBody (from: PeerRef, origin: string, seq: number, data: Uint8Array | undefined): void {
    const env = this.ctx.env
    const key = idKey(origin, seq)
    const f = this.pending.get(key)
    if (f === undefined || !f.sources.some(p => p.id === from.id)) { env.stats.inc('gossip:unsolicited'); return }
    if (data === undefined || data.byteLength !== f.ann.size || f.ann.hash === undefined || !equalBytes(sha256(data), f.ann.hash)) {
      env.stats.inc('gossip:bad-body')
      this.ask(key) // try the next source now
      return
    }
    this.pending.delete(key)
    env.clearTimer(PREFIX + key)
    this.ctx.receive(from, { ...f.ann, data }, 'rumor')
  }
}

export function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}
