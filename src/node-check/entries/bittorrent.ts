// The `overlaykit/bittorrent` entry point: the Node.js version check first, then the module itself.
import '../index.js'
export * from '../../bittorrent/index.js'
