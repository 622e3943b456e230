/** Events the Chord machine emits (through env.emit) for the public API and for metrics. */
import type { NodeInfo } from './node.js'

export type ChordEvent =
  /** A lookup finished (not emitted for maintenance lookups). */
  | { type: 'chord:lookup', ok: true, key: bigint, owner: NodeInfo, hops: number, timeouts: number, latencyMs: number }
  | { type: 'chord:lookup', ok: false, /** hex */ key: string, hops: number, timeouts: number, error: string }
  /** A vnode of this host joined the ring (ids in hex). */
  | { type: 'chord:joined', vnode: number, id: string, successor: string }
  /** A vnode's first successor changed (undefined: alone on the ring). */
  | { type: 'chord:successor', vnode: number, successor: string | undefined }
  /** A vnode's predecessor changed (undefined: it failed or left). */
  | { type: 'chord:predecessor', vnode: number, predecessor: string | undefined }
  /** The ring-merge check found another ring through `via` (merge.ts). */
  | { type: 'chord:merge', vnode: number, via: string, successor: string }

export type ChordEventType = ChordEvent['type']
