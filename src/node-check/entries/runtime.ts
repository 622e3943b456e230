// The `overlaykit/runtime` entry point: the Node.js version check first, then the module itself.
import '../index.js'
export * from '../../runtime/libp2p/index.js'
