/**
 * overlaykit for the browser: the same machines as in Node, the simulator (runs in the page), and
 * live services over WebSockets. Bundled to dist/browser/overlaykit.js by scripts/build-browser.mjs.
 */
export * from '../overlay/index.js'
export { Simulator, simSwarm, poissonChurn, type SimOptions, type SimNode, type LatencyModel } from '../sim/index.js'
export { pingSpec, PingMachine, type PingOptions, type PingEvent } from '../ping/index.js'
export { ping, PingService } from '../ping/service.js'
export * from '../chord/index.js'
export * from '../gossip/index.js'
// BitTorrent: the service dials seeds and peers over WebSockets (a page cannot listen, so it is
// reached only through connections it opened) and keeps content in memory unless given a
// BlobStorage; the plain-TCP endpoint and disk paths are Node only and stay out of the bundle.
export * from '../bittorrent/index.js'
export { createBrowserNode, type BrowserNodeOptions } from './node.js'
export { IdbBlobStorage, type IdbStorageOptions } from './idb-storage.js'
export { MemoryBlobStorage, type BlobStorage } from '../runtime/libp2p/storage.js'
// The search overlays as namespaces (their names overlap): machines, services, simulateSearch.
export * as napster from '../napster/index.js'
export * as gnutella from '../gnutella/index.js'
export * as fasttrack from '../fasttrack/index.js'
export * as search from '../search/index.js'
