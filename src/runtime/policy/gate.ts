/**
 * The node-wide list of refused peers. Every overlay driver on a node shares one (keyed by the node's
 * connection gater), so a peer cut off by one overlay is refused by the node: libp2p's connection
 * gater asks it before dialling a peer and after an inbound connection's Noise handshake (the first
 * moment the remote's peer id is known). The gater's methods are looked up on each connection, so
 * the gate wraps whatever the application configured and puts it back when the last driver stops.
 */
import type { ConnectionGater, PeerId } from '@libp2p/interface'

/** Strikes remembered per peer (for the doubling back-off) before the oldest are forgotten. */
const MAX_REMEMBERED = 16_384

export class PeerGate {
  private readonly until = new Map<string, number>()
  private readonly strikes = new Map<string, number>()
  /** Connections and dials the gater refused. */
  refusedConnections = 0

  /** Refuse `peer` for base·2^(earlier strikes) ms, at most `maxMs`; returns the back-off applied. */
  refuse (peer: string, baseMs: number, maxMs: number, now: number): number {
    const strikes = this.strikes.get(peer) ?? 0
    this.strikes.delete(peer)
    this.strikes.set(peer, strikes + 1)
    if (this.strikes.size > MAX_REMEMBERED) this.strikes.delete(this.strikes.keys().next().value as string)
    const ms = Math.min(maxMs, baseMs * 2 ** strikes)
    this.until.set(peer, now + ms)
    if (this.until.size > MAX_REMEMBERED) this.prune(now)
    return ms
  }

  /** True while `peer` is refused. */
  isRefused (peer: string, now: number = performance.now()): boolean {
    if (this.until.size === 0) return false
    const t = this.until.get(peer)
    if (t === undefined) return false
    if (now < t) return true
    this.until.delete(peer)
    return false
  }

  /** Peers refused now, with the ms left. */
  refused (now: number = performance.now()): Array<{ peer: string, msLeft: number }> {
    this.prune(now)
    return [...this.until].map(([peer, t]) => ({ peer, msLeft: Math.round(t - now) }))
  }

  get size (): number { return this.until.size }

  private prune (now: number): void {
    for (const [p, t] of this.until) if (t <= now) this.until.delete(p)
  }
}

interface Installed { gate: PeerGate, users: number, restore: () => void }
const installed = new WeakMap<object, Installed>()

type Deny = ((...args: any[]) => boolean | Promise<boolean>) | undefined

/**
 * The gate of the node that owns `gater` (installing it on first use). `key` stands in for the node
 * when there is no gater (hand-made components): drivers then share nothing and only refuse streams.
 * Call `release()` when the driver stops.
 */
export function acquireGate (gater: ConnectionGater | undefined, key: object): { gate: PeerGate, release: () => void } {
  const k = gater ?? key
  let entry = installed.get(k)
  if (entry === undefined) {
    const gate = new PeerGate()
    let restore = (): void => {}
    if (gater !== undefined) {
      const g = gater as Record<string, Deny>
      const wrap = (method: 'denyDialPeer' | 'denyInboundEncryptedConnection' | 'denyOutboundEncryptedConnection'): () => void => {
        const had = Object.prototype.hasOwnProperty.call(g, method)
        const original = g[method]
        g[method] = (peerId: PeerId, ...rest: unknown[]) => {
          if (gate.isRefused(peerId.toString())) { gate.refusedConnections++; return true }
          return original === undefined ? false : original.call(gater, peerId, ...rest)
        }
        return () => { if (had) g[method] = original; else delete g[method] }
      }
      const undo = [wrap('denyDialPeer'), wrap('denyInboundEncryptedConnection'), wrap('denyOutboundEncryptedConnection')]
      restore = () => { for (const u of undo) u() }
    }
    entry = { gate, users: 0, restore }
    installed.set(k, entry)
  }
  entry.users++
  const e = entry
  let released = false
  return {
    gate: e.gate,
    release: () => {
      if (released) return
      released = true
      if (--e.users === 0) { e.restore(); installed.delete(k) }
    }
  }
}
