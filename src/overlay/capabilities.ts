/**
 * Capabilities shared across overlays, so one workload runs on any of them and overlays compose
 * (BitTorrent finds peers through any ContentRouting). Every result reports its cost.
 */
import type { PeerRef } from './types.js'

/** What an operation cost. Hops are first-class output. */
export interface Cost {
  hops: number
  messages: number
  bytes: number
  timeouts: number
  latencyMs: number
}

export interface ContentRouting {
  /** Announce that this node provides `key` (e.g. an info hash or a content hash, as bytes or hex). */
  provide (key: Uint8Array, options?: { signal?: AbortSignal }): Promise<void>
  /** Peers that announced `key`. */
  findProviders (key: Uint8Array, options?: { signal?: AbortSignal, limit?: number }): AsyncIterable<PeerRef>
}

export interface SharedFile {
  name: string
  size: number
  /** SHA-256 of the content, lowercase hex. */
  hash: string
  keywords?: string[]
}

export interface SearchHit {
  peer: PeerRef
  name: string
  size: number
  hash: string
  hops: number
}

export interface FetchOptions {
  offset?: number
  signal?: AbortSignal
  onProgress?: (p: { bytes: number, total: number }) => void
}

export interface FileSearch {
  share (file: SharedFile): Promise<void> | void
  unshare (hash: string): Promise<void> | void
  search (query: string, options?: { signal?: AbortSignal, limit?: number, timeoutMs?: number }): AsyncIterable<SearchHit>
  fetch (hit: SearchHit, options?: FetchOptions): Promise<Uint8Array>
}

export interface LookupResult extends Cost {
  key: string
  owner: PeerRef
  path: string[]
}

export interface KeyValue {
  put (key: Uint8Array | string, value: Uint8Array, options?: { signal?: AbortSignal }): Promise<void>
  get (key: Uint8Array | string, options?: { signal?: AbortSignal }): Promise<Uint8Array>
  delete (key: Uint8Array | string, options?: { signal?: AbortSignal }): Promise<void>
}

export interface Broadcast {
  publish (topic: string, data: Uint8Array): Promise<string> | string
  subscribe (topic: string, options?: { signal?: AbortSignal }): AsyncIterable<{ id: string, topic: string, data: Uint8Array, from: string }>
}
