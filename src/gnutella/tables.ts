/**
 * Bounded tables of a servent: the duplicate/route table (descriptor id + type → the neighbour it came
 * from, '' for our own), the push route table (servent id → neighbour), the pong cache and the host
 * cache. Every table evicts its oldest entry when full, so a flood of new ids cannot grow memory.
 */
import type { PeerRef } from '../overlay/types.js'
import type { Descriptor } from './descriptor.js'

/** A Map that keeps at most `max` entries, dropping the oldest insertion first. */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>()
  evicted = 0
  constructor (readonly max: number) {}
  get size (): number { return this.map.size }
  get (k: K): V | undefined { return this.map.get(k) }
  has (k: K): boolean { return this.map.has(k) }
  delete (k: K): boolean { return this.map.delete(k) }
  set (k: K, v: V): void {
    if (this.map.has(k)) this.map.delete(k)
    else if (this.map.size >= this.max) {
      const oldest = this.map.keys().next()
      if (oldest.done !== true) { this.map.delete(oldest.value); this.evicted++ }
    }
    this.map.set(k, v)
  }

  keys (): IterableIterator<K> { return this.map.keys() }
  values (): IterableIterator<V> { return this.map.values() }
  entries (): IterableIterator<[K, V]> { return this.map.entries() }
}

/** Key of a descriptor in the dedup/route table: id and payload type. */
export function routeKey (id: string, type: Descriptor['type']): string { return `${id}:${type}` }

export interface CachedPong {
  pong: Extract<Descriptor, { type: 'pong' }>
  /** Neighbour it came from. */
  via: string
  at: number
}

/**
 * The pong cache (the scheme LimeWire introduced): pongs heard recently, answered from instead of
 * forwarding pings, so host discovery costs a constant number of messages per connection instead of a
 * flood over the whole network.
 */
export class PongCache {
  private readonly byHost: BoundedMap<string, CachedPong>
  constructor (max: number, readonly ttlMs: number) { this.byHost = new BoundedMap(max) }

  add (pong: CachedPong['pong'], via: string, now: number): void {
    const host = pong.peer?.id ?? `${pong.ip}:${pong.port}`
    this.byHost.set(host, { pong, via, at: now })
  }

  /** Fresh pongs not learned through `exclude`, newest first, at most n. */
  pick (n: number, now: number, exclude: string): CachedPong[] {
    const out: CachedPong[] = []
    const all = [...this.byHost.values()]
    for (let i = all.length - 1; i >= 0 && out.length < n; i--) {
      const c = all[i]
      if (now - c.at > this.ttlMs || c.via === exclude || c.pong.peer?.id === exclude) continue
      out.push(c)
    }
    return out
  }

  fresh (now: number): number {
    let n = 0
    for (const c of this.byHost.values()) if (now - c.at <= this.ttlMs) n++
    return n
  }

  get size (): number { return this.byHost.size }
}

/** Known hosts (from pongs and bootstrap), for replacing lost neighbours. */
export class HostCache {
  private readonly hosts: BoundedMap<string, { ref: PeerRef, failedAt: number }>
  constructor (max: number) { this.hosts = new BoundedMap(max) }
  add (ref: PeerRef): void {
    const old = this.hosts.get(ref.id)
    this.hosts.set(ref.id, { ref: (ref.addrs?.length ?? 0) > 0 || old === undefined ? ref : old.ref, failedAt: old?.failedAt ?? -Infinity })
  }

  failed (id: string, now: number): void {
    const h = this.hosts.get(id)
    if (h !== undefined) h.failedAt = now
  }

  /** Hosts not failed within `retryMs`. */
  candidates (now: number, retryMs: number): PeerRef[] {
    const out: PeerRef[] = []
    for (const h of this.hosts.values()) if (now - h.failedAt > retryMs) out.push(h.ref)
    return out
  }

  get size (): number { return this.hosts.size }
}
