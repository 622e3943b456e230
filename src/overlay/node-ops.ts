/**
 * What an overlay gives `overlaykit node` (a long-lived real node answering JSON-lines requests):
 * its libp2p services for the `--opt key=value` options, how it joins through the bootstrap peers,
 * the control operations it answers and a short status. Each overlay writes these in its own folder
 * (src/<overlay>/node-ops.ts, driver side) and lists them in its registry entry (src/<overlay>/kit.ts).
 *
 * The types live here, on the contract floor, so overlays never import the CLI; the CLI keeps only
 * its glue (stdout JSON lines, flags). The node is described structurally (what the ops use of a
 * libp2p node), so this file imports nothing.
 */

/** The parts of a running libp2p node that node operations use. */
export interface NodeHandle {
  readonly services: Record<string, any>
  dial (addr: any, options?: { signal?: AbortSignal }): Promise<unknown>
  getMultiaddrs (): Array<{ toString (): string }>
  addEventListener (type: 'stop', listener: () => void, options?: { once?: boolean }): void
}

export interface NodeOpsContext {
  node: NodeHandle
  /** Bootstrap peers as multiaddr strings ending in /p2p/<id>. */
  bootstrap: string[]
  /** Report one event (the CLI prints it as a JSON line on stdout), e.g. { event: 'gossip:deliver', … }. */
  emit (event: Record<string, unknown>): void
  /** A human line (the CLI writes it to stderr). */
  log (line: string): void
  /** The node's `--opt key=value` options. */
  options: Record<string, string>
  /** Milliseconds on the driver's clock (for durations in answers). */
  now (): number
  /** Run `fn` every `ms` until the node stops (the driver owns timers); returns a cancel. */
  every (ms: number, fn: () => void): () => void
}

/** One control operation: `{"op":"lookup","key":"a"}` → its JSON-able answer. */
export type NodeOp = (args: Record<string, unknown>, ctx: NodeOpsContext, signal: AbortSignal) => Promise<unknown>

/** One overlay on one node; made per node by the overlay's `NodeOpsFactory`, so per-node state stays in it. */
export interface NodeOps {
  /** The service(s) to put in createLibp2p({ services }). */
  services: Record<string, (components: any) => unknown>
  /** After start: join through the bootstrap peers (may be empty: this node starts the overlay). */
  join (ctx: NodeOpsContext): Promise<void>
  /** Control operations by name, e.g. lookup, put, get, publish, search, seed, download. */
  ops: Record<string, NodeOp>
  /** A short status for `{"op":"status"}`. */
  status? (ctx: NodeOpsContext): unknown
  /** Before stop (e.g. a graceful leave). */
  leave? (ctx: NodeOpsContext): Promise<void>
}

/** `--opt` options and the node's seed → this overlay on this node. Throws on a bad option. */
export type NodeOpsFactory = (options: Record<string, string>, seed: string) => NodeOps

/**
 * `--opt key=value` strings typed by an overlay's DEFAULTS: every number or boolean option of
 * `defaults` given in `strings` is parsed by the type of its default (other keys are left to the
 * caller). So a new option in DEFAULTS is settable from the command line without another list.
 */
export function optionsFromStrings (defaults: object, strings: Readonly<Record<string, string>>): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {}
  for (const [key, d] of Object.entries(defaults)) {
    const s = strings[key]
    if (s === undefined) continue
    if (typeof d === 'number') {
      const v = Number(s)
      if (s.trim() === '' || !Number.isFinite(v)) throw new Error(`--opt ${key} must be a number`)
      out[key] = v
    } else if (typeof d === 'boolean') {
      if (s !== 'true' && s !== 'false') throw new Error(`--opt ${key} must be true or false`)
      out[key] = s === 'true'
    }
  }
  return out
}
