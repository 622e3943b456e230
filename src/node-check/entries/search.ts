// The `overlaykit/search` entry point: the Node.js version check first, then the module itself.
import '../index.js'
export * from '../../search/index.js'
