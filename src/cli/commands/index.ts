/**
 * The top-level commands by name: the only list (nothing scans this folder). Each loads on use, so
 * `overlaykit torrent …` does not pay for libp2p and every overlay. Adding one = its file + one line.
 */
import type { CommandPlugin } from '../plugin.js'

export const COMMANDS: Record<string, () => Promise<{ default: CommandPlugin }>> = {
  bench: async () => await import('./bench.js'),
  demo: async () => await import('./demo.js'),
  download: async () => await import('./download.js'),
  lab: async () => await import('./lab.js'),
  node: async () => await import('./node.js'),
  seed: async () => await import('./seed.js'),
  torrent: async () => await import('./torrent.js')
}
