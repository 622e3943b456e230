/**
 * Connection handling of a servent: dialling (GNUTELLA CONNECT/0.4 with a timeout), accepting or
 * refusing a CONNECT (full, or a peer recently dropped as abusive; an idle neighbour gives up its slot
 * to a newcomer), OK/BUSY/BYE, and the neighbour set's bookkeeping. Split from servent.ts, which keeps
 * descriptor routing and searches; this part reaches the servent only through `LinksContext`.
 */
import { refuse, PENALTY } from '../overlay/penalty.js'
import type { Env, PeerRef } from '../overlay/types.js'
import type { GnutellaMsg } from './codec.js'
import { addAbuse, evictionCandidate, newNeighbour, type Neighbour } from './neighbours.js'
import type { ResolvedGnutellaOptions } from './options.js'
import type { GnutellaEvent } from './events.js'
import { BoundedMap, type HostCache } from './tables.js'

export interface LinksContext {
  readonly env: Env<GnutellaMsg, GnutellaEvent>
  readonly options: ResolvedGnutellaOptions
  readonly neighbours: Map<string, Neighbour>
  readonly hosts: HostCache
  running (): boolean
  /** Ping these neighbours (a new neighbour: learn hosts from it). */
  sendPing (only: string[]): void
}

export class Links {
  /** CONNECTs we sent and await an answer to. */
  readonly pending = new Map<string, PeerRef>()
  /** Neighbours dropped as abusive → when they may connect again. */
  private readonly refusedUntil: BoundedMap<string, number>

  constructor (private readonly ctx: LinksContext) {
    this.refusedUntil = new BoundedMap(ctx.options.hostCacheSize)
  }

  /** Dial a servent (GNUTELLA CONNECT/0.4). */
  connect (peer: PeerRef): void {
    const { env } = this.ctx
    if (peer.id === env.self.id || this.ctx.neighbours.has(peer.id) || this.pending.has(peer.id)) return
    this.pending.set(peer.id, peer)
    env.setTimer(`c:${peer.id}`, this.ctx.options.connectTimeoutMs)
    env.send(peer, { type: 'connect' })
  }

  onConnect (from: PeerRef): void {
    const { env, options, neighbours } = this.ctx
    if (!this.ctx.running()) return
    if (neighbours.has(from.id)) { env.send(from, { type: 'ok' }); return }
    const now = env.now()
    const until = this.refusedUntil.get(from.id)
    if (until !== undefined && now < until) { refuse(env, from, 'gnutella:connect-refused-abusive', PENALTY.quota); env.send(from, { type: 'busy' }); return }
    if (neighbours.size >= options.maxDegree) {
      // a slot held by a neighbour that has been of no use for idleEvictMs goes to the newcomer
      const idle = evictionCandidate(neighbours.values(), now, options)
      if (idle === undefined) { env.stats.inc('gnutella:refused-full'); env.send(from, { type: 'busy' }); return }
      this.dropNeighbour(idle.ref.id, 'evicted-idle', true)
    }
    this.addNeighbour(from)
    env.send(from, { type: 'ok' })
  }

  /** A neighbour misbehaved: counted and penalised; past `evictPenalty` it is dropped and refused for `retryMs`. */
  abuse (n: Neighbour, reason: string, weight: number): void {
    const { env, options } = this.ctx
    refuse(env, n.ref, reason, weight)
    const now = env.now()
    if (!addAbuse(n, weight, now, options)) return
    this.refusedUntil.set(n.ref.id, now + options.retryMs)
    this.dropNeighbour(n.ref.id, 'abusive', true)
  }

  /** A servent at its neighbour limit refused our CONNECT: say so at once (a caller waiting on it need not time out). */
  onBusy (from: PeerRef): void {
    const { env } = this.ctx
    this.ctx.hosts.failed(from.id, env.now())
    if (!this.pending.delete(from.id)) return
    env.clearTimer(`c:${from.id}`)
    env.stats.inc('gnutella:connect-refused')
    env.emit({ type: 'gnutella:connect-failed', peer: from.id, reason: 'busy' })
  }

  onOk (from: PeerRef): void {
    const { env } = this.ctx
    const wanted = this.pending.get(from.id)
    this.pending.delete(from.id); env.clearTimer(`c:${from.id}`)
    if (this.ctx.neighbours.has(from.id)) return
    if (wanted === undefined || this.ctx.neighbours.size >= this.ctx.options.maxDegree) {
      env.send(from, { type: 'bye' })
      // we filled up while our CONNECT was in flight
      if (wanted !== undefined) env.emit({ type: 'gnutella:connect-failed', peer: from.id, reason: 'local-limit' })
      return
    }
    this.addNeighbour(wanted.addrs !== undefined ? wanted : from)
    // learn hosts from the new neighbour
    this.ctx.sendPing([from.id])
  }

  /** Our CONNECT to `id` had no answer in time. */
  connectTimedOut (id: string): void {
    const { env } = this.ctx
    if (!this.pending.delete(id)) return
    this.ctx.hosts.failed(id, env.now())
    env.stats.inc('gnutella:connect-timeouts')
    env.emit({ type: 'gnutella:connect-failed', peer: id, reason: 'timeout' })
  }

  /** The driver could not reach `peer`: a pending CONNECT fails, a neighbour is gone. */
  unreachable (peer: PeerRef): void {
    const { env } = this.ctx
    if (this.pending.delete(peer.id)) {
      env.clearTimer(`c:${peer.id}`)
      this.ctx.hosts.failed(peer.id, env.now())
      env.emit({ type: 'gnutella:connect-failed', peer: peer.id, reason: 'unreachable' })
    }
    this.dropNeighbour(peer.id, 'unreachable', false)
  }

  private addNeighbour (ref: PeerRef): void {
    const { env, options } = this.ctx
    const now = env.now()
    this.ctx.neighbours.set(ref.id, newNeighbour(ref, now, options.neighbourTimeoutMs * (0.5 + 0.25 * env.rng.next()), options.queryBurst))
    this.ctx.hosts.add(ref)
    env.emit({ type: 'gnutella:neighbour-up', peer: ref.id })
  }

  dropNeighbour (id: string, reason: string, sayBye: boolean): void {
    const { env } = this.ctx
    const n = this.ctx.neighbours.get(id)
    if (n === undefined) return
    this.ctx.neighbours.delete(id)
    if (sayBye) env.send(n.ref, { type: 'bye' })
    this.ctx.hosts.failed(id, env.now())
    env.stats.inc(`gnutella:neighbour-lost:${reason}`)
    env.emit({ type: 'gnutella:neighbour-down', peer: id, reason })
  }
}
