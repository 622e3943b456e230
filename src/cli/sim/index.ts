/**
 * `overlaykit sim <overlay>` sub-commands by overlay name: the only list (nothing scans this folder).
 * Each loads on use (it imports its overlay's simulator harness). Adding one = its file + one line.
 */
import type { OverlayName } from '../../overlays.js'
import type { SimCommand } from '../plugin.js'

export const SIM_COMMANDS: Partial<Record<OverlayName, () => Promise<{ default: SimCommand }>>> = {
  ping: async () => await import('./ping.js'),
  chord: async () => await import('./chord.js'),
  gossip: async () => await import('./gossip.js'),
  napster: async () => await import('./napster.js'),
  gnutella: async () => await import('./gnutella.js'),
  fasttrack: async () => await import('./fasttrack.js'),
  bittorrent: async () => await import('./bittorrent.js')
}
