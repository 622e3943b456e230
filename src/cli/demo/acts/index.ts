/**
 * The demo's acts by overlay name: the only list (nothing scans this folder). An act is the CLI's
 * presentation of an overlay (a scenario on a live swarm, rows for the summary table), so it stays
 * in the CLI; the demo runs them in the registry's order (src/overlays.ts). Adding an overlay's act
 * = its file + one line here.
 */
import type { OverlayName } from '../../../overlays.js'
import type { DemoAct } from '../types.js'
import ping from './ping.js'
import chord from './chord.js'
import gossip from './gossip.js'
import napster from './napster.js'
import gnutella from './gnutella.js'
import fasttrack from './fasttrack.js'
import bittorrent from './bittorrent.js'

export const DEMO_ACTS: Partial<Record<OverlayName, DemoAct>> = { ping, chord, gossip, napster, gnutella, fasttrack, bittorrent }
