/**
 * overlaykit/ping — the reference protocol (ping/echo with RTT), the template every overlay follows.
 */
export { pingSpec, PING_PROTOCOL } from './spec.js'
export { PingMachine, type PingEvent } from './machine.js'
export { DEFAULTS as PING_DEFAULTS, resolveOptions as resolvePingOptions, type PingOptions, type ResolvedPingOptions } from './options.js'
export { pingCodec, type PingMessage, MAX_PING_PAYLOAD } from './codec.js'
export * from './service.js'
