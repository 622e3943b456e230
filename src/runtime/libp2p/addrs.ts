/**
 * What the driver knows about other peers' addresses, so that `from` in onMessage can carry
 * dialable addresses and a PeerRef without addresses can still be dialled. Bounded: the oldest
 * entries go first once `max` peers are known.
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { PeerRef } from '../../overlay/types.js'

/** Drop a trailing /p2p/<id>: a PeerRef keeps the id separately. */
export function stripPeerId (addr: string): string {
  return addr.replace(/\/p2p\/[^/]+$/, '')
}

/** Parse addresses for the peer store, skipping any that do not parse. */
export function toMultiaddrs (addrs: readonly string[]): Multiaddr[] {
  const out: Multiaddr[] = []
  for (const a of addrs) {
    try { out.push(multiaddr(stripPeerId(a))) } catch { /* skip an unparseable address */ }
  }
  return out
}

export class AddressBook {
  private readonly known = new Map<string, readonly string[]>()

  /** @param max peers remembered. @default 4096 */
  constructor (private readonly max = 4096) {}

  remember (ref: PeerRef): void {
    if (ref.addrs === undefined || ref.addrs.length === 0) return
    if (this.known.size >= this.max && !this.known.has(ref.id)) {
      const oldest = this.known.keys().next().value
      if (oldest !== undefined) this.known.delete(oldest)
    }
    this.known.set(ref.id, ref.addrs)
  }

  addrs (id: string): readonly string[] | undefined { return this.known.get(id) }

  /** `{ id, addrs }` when addresses are known, else `{ id }`. */
  refOf (id: string): PeerRef {
    const addrs = this.known.get(id)
    return addrs === undefined ? { id } : { id, addrs }
  }

  clear (): void { this.known.clear() }
}
