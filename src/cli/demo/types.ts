/**
 * The live demo (`npm start` = `overlaykit demo`) is a sequence of acts, one per overlay, over one
 * swarm of real libp2p nodes in this process. Each act's libp2p services are started on every node
 * for the act (and stopped after it); the act forms its overlay, runs its scenario and reports rows
 * for the summary table.
 */
import type { Libp2p } from 'libp2p'
import type { CliIo } from '../plugin.js'
import type { Rng } from '../../overlay/rng.js'
import type { Transport } from '../live.js'
import type { PeerRef } from '../../overlay/types.js'

export interface DemoContext {
  /** Every node, started (its libp2p services are not the act's: use `services`). */
  nodes: Array<Libp2p<any>>
  /** This act's running services on node i, by name (what `DemoAct.services` returned for it). */
  services: Array<Record<string, any>>
  transport: Transport
  seed: number | string
  /** Demo-level randomness (which node asks what); protocol randomness is the nodes' own. */
  rng: Rng
  io: CliIo
  /** Aborts when the user presses Ctrl-C or the demo's time budget runs out. */
  signal: AbortSignal
  /** Small, fast version (tests). */
  quick: boolean
}

/** One line of the summary table. */
export interface DemoRow {
  overlay: string
  action: string
  result: string
  /** Hops, messages, peers … whichever applies; absent when not meaningful. */
  hops?: number | string
  messages?: number | string
  timeMs?: number
  [extra: string]: unknown
}

export interface DemoAct {
  /** Overlay name, as in `--overlays`. */
  name: string
  /** One line for --help. */
  description: string
  /** null when this act can run here, otherwise why not (e.g. the overlay is not built). */
  available (): Promise<string | null>
  /**
   * Before the act's services start: e.g. start an index server they must know. Nodes the act starts
   * itself are its own to stop in cleanup().
   */
  prepare? (o: { transport: Transport, seed: number | string, nodes: number }): Promise<void>
  /** After the demo (always called when prepare() was). */
  cleanup? (): Promise<void>
  /**
   * The libp2p services this act needs on node `i` of `n`. They start in index order (after
   * `prepare`); `earlier` are the nodes whose services started before this one's (for bootstrap lists).
   */
  services (i: number, n: number, seed: number | string, earlier: PeerRef[]): Promise<Record<string, (components: any) => unknown>>
  /** Form the overlay (join, connect, elect…); runs right before `run`. */
  setup? (ctx: DemoContext): Promise<DemoRow[]>
  /** Run the scenario; rows go into the summary table. */
  run (ctx: DemoContext): Promise<DemoRow[]>
}
