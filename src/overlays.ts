/**
 * The overlay registry: the one list of overlays. Each overlay folder has a registry entry,
 * src/<overlay>/kit.ts, and this file imports every one of them by a literal path — nothing scans
 * folders or computes import paths. Adding an overlay = its folder (with kit.ts) + one line in KITS.
 *
 * The CLI (`overlaykit node`, `lab`, `demo`, `sim`) and tools take what they need from here. Entries
 * are checked against OverlayKit; they import nothing from this file (it is a floor above them).
 *
 * What stays in the CLI, by decision: presentation — the demo act (progress bars, the summary table)
 * and the `sim <overlay>` sub-command (flags, printing) — listed by overlay name in
 * src/cli/demo/acts/index.ts and src/cli/sim/index.ts, both typed by OverlayName. An overlay without
 * them still runs as a node, in the lab (if it has simulateSearch) and from the API.
 *
 * The registry is Node-side: node operations read and write files (bittorrent's import node:fs), so the
 * browser bundle (src/browser/index.ts) keeps its own explicit list of what it exports.
 */
import type { OverlaySpec } from './overlay/types.js'
import type { NodeOpsFactory } from './overlay/node-ops.js'
import type { SimulateSearch } from './search/workload.js'
import { pingKit } from './ping/kit.js'
import { chordKit } from './chord/kit.js'
import { gossipKit } from './gossip/kit.js'
import { napsterKit } from './napster/kit.js'
import { gnutellaKit } from './gnutella/kit.js'
import { fasttrackKit } from './fasttrack/kit.js'
import { bittorrentKit } from './bittorrent/kit.js'

/** An overlay's options module (src/<overlay>/options.ts), by the convention of BRIEF.md. */
export interface OverlayOptionsModule {
  /** The plain object of default values for the user-facing options. */
  DEFAULTS?: object
  /** Fills an options object from DEFAULTS. */
  resolveOptions?: (options: any) => object
  /** Partial overrides of DEFAULTS where live and simulator defaults differ. */
  PROFILES?: { live?: object, sim?: object }
}

/** One overlay's registry entry. */
export interface OverlayKit {
  /** As in `--overlay`, `--overlays`, and the protocol id /overlaykit/<name>/…. */
  readonly name: string
  /** One line for help texts. */
  readonly description: string
  /** The machines' specs (protocol id, codec, machine factory): what the simulator and the runtime run. */
  readonly specs: ReadonlyArray<OverlaySpec<any, any, any, any>>
  /** Live libp2p service factories, by their conventional key in createLibp2p({ services }). */
  readonly services: Readonly<Record<string, (init?: any) => (components: any) => unknown>>
  /**
   * The options module src/<overlay>/options.ts (its exports DEFAULTS, resolveOptions, PROFILES: see
   * OverlayOptionsModule and optionsOf), when the overlay has one. Typed loosely so an options module
   * still being converted to the convention can be listed.
   */
  readonly options?: object
  /** `overlaykit node`: services, join, control operations. */
  readonly node?: NodeOpsFactory
  /** The search comparison lab's entry: one run of a shared workload in the simulator. */
  readonly simulateSearch?: SimulateSearch<any>
}

/** Every overlay, in the order help texts and the demo show them. */
export const KITS = [
  pingKit,
  chordKit,
  gossipKit,
  napsterKit,
  gnutellaKit,
  fasttrackKit,
  bittorrentKit
] as const satisfies readonly OverlayKit[]

export type OverlayName = typeof KITS[number]['name']

export const OVERLAY_NAMES: readonly OverlayName[] = KITS.map(k => k.name)

/** The entry for `name`, or undefined. */
export function overlayKit (name: string): OverlayKit | undefined {
  return KITS.find(k => k.name === name)
}

/** The overlay's options module, read through the convention's names. */
export function optionsOf (kit: OverlayKit): OverlayOptionsModule {
  return (kit.options ?? {}) as OverlayOptionsModule
}
