// The `overlaykit/overlay` entry point: the Node.js version check first, then the module itself.
import '../index.js'
export * from '../../overlay/index.js'
