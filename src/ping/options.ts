/**
 * The reference protocol's options: one typed defaults object (DEFAULTS), filled in by
 * resolveOptions; every `@default` below equals DEFAULTS (test/overlay/defaults.spec.ts checks it).
 */
import type { PeerRef } from '../overlay/types.js'

export interface PingOptions {
  /** How long to wait for a pong. @default 1000 */
  timeoutMs?: number
  /** Ping a random known peer every intervalMs (0 = only on request). @default 0 */
  intervalMs?: number
  /** Peers for periodic pings. @default [] */
  peers?: PeerRef[]
  /** Payload bytes per periodic ping. @default 0 */
  payloadBytes?: number
}

export type ResolvedPingOptions = Required<PingOptions>

export const DEFAULTS: Readonly<ResolvedPingOptions> = Object.freeze({
  timeoutMs: 1000,
  intervalMs: 0,
  peers: Object.freeze([]) as unknown as PeerRef[],
  payloadBytes: 0
})

/** `options` over DEFAULTS (an option given as undefined takes its default); a fresh peers array. */
export function resolveOptions (options: PingOptions = {}): ResolvedPingOptions {
  return {
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    intervalMs: options.intervalMs ?? DEFAULTS.intervalMs,
    peers: options.peers ?? [...DEFAULTS.peers],
    payloadBytes: options.payloadBytes ?? DEFAULTS.payloadBytes
  }
}
