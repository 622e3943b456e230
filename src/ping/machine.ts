/**
 * The reference protocol: ping/echo with RTT. It is the template every overlay follows — a
 * synchronous machine that acts only through its Env and correlates request and response by id,
 * with a timer as the timeout. It runs unchanged in the simulator and over libp2p.
 */
import { TimeoutError } from '../overlay/errors.js'
import type { Env, Machine, PeerRef } from '../overlay/types.js'
import type { PingMessage } from './codec.js'
import { resolveOptions, type PingOptions } from './options.js'
import { pendingClear, pendingCount, pendingDelete, pendingGet, pendingSet, pendingValues, type PendingSlots } from './pending.js'

export type { PingOptions } from './options.js'

export type PingEvent =
  | { type: 'ping:rtt', peer: string, rttMs: number }
  | { type: 'ping:timeout', peer: string }

type Done = (err: Error | null, rttMs?: number) => void

/** `timer`: the timeout's key, made once per ping (number-to-string is a cost per message at 10^6 events/s). */
interface Pending { peer: PeerRef, sentAt: number, done: Done | undefined, timer: string }

export class PingMachine implements Machine<PingMessage>, PendingSlots<Pending> {
  private readonly timeoutMs: number
  private readonly intervalMs: number
  private readonly payload: Uint8Array
  // pings awaiting their pong, by seq (see pending.ts)
  /** @internal */ ps0 = -1
  /** @internal */ pv0: Pending | undefined = undefined
  /** @internal */ ps1 = -1
  /** @internal */ pv1: Pending | undefined = undefined
  /** @internal */ pmore: Map<number, Pending> | undefined = undefined
  private seq = 0
  private running = false
  peers: PeerRef[]

  constructor (private readonly env: Env<PingMessage, PingEvent>, options: PingOptions = {}) {
    const o = resolveOptions(options)
    this.timeoutMs = o.timeoutMs
    this.intervalMs = o.intervalMs
    this.peers = o.peers
    this.payload = new Uint8Array(o.payloadBytes)
  }

  start (): void {
    this.running = true
    if (this.intervalMs > 0) this.env.setTimer('tick', this.env.rng.range(0, this.intervalMs))
  }

  stop (): void {
    this.running = false
    this.env.clearTimer('tick')
    for (const p of pendingValues(this)) {
      this.env.clearTimer(p.timer)
      p.done?.(new Error('ping machine stopped'))
    }
    pendingClear(this)
  }

  /** Ping `peer`; `done` gets the round-trip time in ms or a TimeoutError. Returns a cancel function. */
  ping (peer: PeerRef, done?: Done, payload: Uint8Array = this.payload): () => void {
    const seq = this.send(peer, done, payload)
    return () => {
      const p = pendingGet(this, seq)
      if (p !== undefined) { pendingDelete(this, seq); this.env.clearTimer(p.timer) }
    }
  }

  /** Sends a ping and returns its seq; the periodic ping comes here without making a cancel closure. */
  private send (peer: PeerRef, done: Done | undefined, payload: Uint8Array): number {
    const seq = (this.seq = (this.seq + 1) >>> 0)
    const timer = `t${seq}`
    pendingSet(this, seq, { peer, sentAt: this.env.now(), done, timer })
    this.env.setTimer(timer, this.timeoutMs)
    this.env.send(peer, { type: 'ping', seq, payload })
    return seq
  }

  get inFlight (): number { return pendingCount(this) }

  onMessage (from: PeerRef, msg: PingMessage): void {
    if (msg.type === 'ping') {
      this.env.send(from, { type: 'pong', seq: msg.seq, payload: msg.payload })
      return
    }
    const p = pendingGet(this, msg.seq)
    // a pong we did not ask for, or from someone else: count and drop
    if (p === undefined || p.peer.id !== from.id) { this.env.stats.inc('ping:unsolicited-pong'); return }
    pendingDelete(this, msg.seq)
    this.env.clearTimer(p.timer)
    const rtt = this.env.now() - p.sentAt
    this.env.stats.observe('ping:rtt', rtt)
    this.env.emit({ type: 'ping:rtt', peer: from.id, rttMs: rtt })
    p.done?.(null, rtt)
  }

  onTimer (key: string): void {
    if (key === 'tick') {
      if (!this.running) return
      if (this.peers.length > 0) this.send(this.env.rng.pick(this.peers), undefined, this.payload)
      this.env.setTimer('tick', this.intervalMs)
      return
    }
    const seq = Number(key.slice(1))
    const p = pendingGet(this, seq)
    if (p === undefined) return
    pendingDelete(this, seq)
    this.env.stats.inc('ping:timeouts')
    this.env.emit({ type: 'ping:timeout', peer: p.peer.id })
    p.done?.(new TimeoutError(`no pong from ${p.peer.id} within ${this.timeoutMs} ms`))
  }
}
