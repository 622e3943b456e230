/** Small helpers shared by the demo acts. */
import type { Libp2p } from 'libp2p'
import type { PeerRef } from '../../overlay/types.js'
import { stripPeerId } from '../../runtime/libp2p/addrs.js'

/** A node as overlays address it: peer id plus its listen addresses (without /p2p/…). */
export function refOf (node: Libp2p<any>): PeerRef {
  return { id: node.peerId.toString(), addrs: node.getMultiaddrs().map(a => stripPeerId(a.toString())) }
}

export function percentile (values: readonly number[], q: number): number {
  if (values.length === 0) return 0
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
}

export const mean = (values: readonly number[]): number => values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length

export const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits

/**
 * Polls `cond` every `everyMs` until it is true or `timeoutMs` passes (then returns false). For
 * waiting on a live swarm to converge without a fixed sleep.
 */
export async function waitFor (cond: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await cond()) return true
    if (Date.now() >= deadline || signal?.aborted === true) return false
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
}
