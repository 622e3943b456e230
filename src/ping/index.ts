/**
 * overlaykit/ping — the reference protocol (ping/echo with RTT), the template every overlay follows.
 */
export { pingSpec, PING_PROTOCOL } from './spec.js'
export { PingMachine, type PingOptions, type PingEvent } from './machine.js'
export { pingCodec, type PingMessage, MAX_PING_PAYLOAD } from './codec.js'
export * from './service.js'
