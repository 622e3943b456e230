/**
 * overlaykit/napster — a central index server (OpenNap messages) and its clients: login, share,
 * search (≤ 100 results), browse, download request → peer-to-peer transfer, push for firewalled
 * holders; clients notice a dead server, fail searches clearly, reconnect and re-share by themselves.
 *
 * Live: `napsterServer(init)` and `napster({ server })`. Simulated: `simulateSearch(workload, options)`
 * (optionally crashing and restarting the server), or the specs in the Simulator directly.
 */
export { napsterClientSpec, napsterServerSpec, NAPSTER_PROTOCOL } from './spec.js'
export { NapsterClient, type NapsterClientOptions, type NapsterClientEvent } from './client.js'
export { NapsterServer, type NapsterServerOptions, type NapsterServerEvent } from './server.js'
export { DEFAULTS as NAPSTER_DEFAULTS, resolveOptions as resolveNapsterOptions, type NapsterOptions } from './options.js'
export { napsterCodec, type NapsterMsg, NAPSTER_MAX_FRAME } from './codec.js'
export * from './messages.js'
export { simulateSearch, type NapsterSimOptions, type NapsterRunResult } from './sim-search.js'
export { napster, napsterServer, NapsterService, NapsterServerService, type NapsterInit, type NapsterServerInit } from './service.js'
