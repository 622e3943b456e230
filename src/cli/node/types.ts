/**
 * `overlaykit node` runs one long-lived real node carrying one or more overlays. Each overlay plugs
 * in through a NodeAdapter (src/cli/node/adapters/<overlay>.ts): its service, how it joins through
 * the bootstrap peers, the control operations it answers and the events it reports.
 */
import type { Libp2p } from 'libp2p'

export interface NodeAdapterContext {
  node: Libp2p<Record<string, any>>
  /** Bootstrap peers as multiaddr strings ending in /p2p/<id>. */
  bootstrap: string[]
  /** Emit one JSON line on stdout, e.g. { event: 'gossip:deliver', … }. */
  emit (event: Record<string, unknown>): void
  log (line: string): void
  /** Adapter options from the command line (`--opt key=value`). */
  options: Record<string, string>
}

export type NodeOp = (args: Record<string, unknown>, ctx: NodeAdapterContext, signal: AbortSignal) => Promise<unknown>

export interface NodeAdapter {
  /** Overlay name as in `--overlay`. */
  name: string
  description: string
  /** The service(s) to put in createLibp2p({ services }). */
  services (options: Record<string, string>, seed: string): Record<string, (components: any) => unknown>
  /** After start: join through the bootstrap peers (may be empty: this node starts the overlay). */
  join (ctx: NodeAdapterContext): Promise<void>
  /** Control operations by name, e.g. lookup, put, get, publish, search, seed, download. */
  ops: Record<string, NodeOp>
  /** A short status for `{"op":"status"}`. */
  status? (ctx: NodeAdapterContext): unknown
  /** Before stop (e.g. a graceful leave). */
  leave? (ctx: NodeAdapterContext): Promise<void>
}
