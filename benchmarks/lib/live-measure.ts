/**
 * Helpers for the live (libp2p, one process) benchmarks: waiting on a condition, latency/hops/messages
 * histograms per operation, connections per node and the event-loop use of an idle swarm.
 */
import { performance } from 'node:perf_hooks'
import type { Libp2p } from '@libp2p/interface'
import { Histogram } from '../../src/overlay/stats.js'

/** Poll `cond` every 25 ms; reject after `limitMs`. */
export async function until (cond: () => boolean, limitMs: number, what: string): Promise<void> {
  const end = Date.now() + limitMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(25)
  }
}

export async function sleep (ms: number): Promise<void> { await new Promise(resolve => setTimeout(resolve, ms)) }

export interface Measure { latency: Histogram, hops: Histogram, messages: Histogram, errors: number, wrong: number }

export const measure = (): Measure => ({ latency: new Histogram(), hops: new Histogram(), messages: new Histogram(), errors: 0, wrong: 0 })

/** One result row for an operation measured `n` times. */
export function opRow (fields: Record<string, unknown>, m: Measure, n: number): Record<string, unknown> {
  const l = m.latency.summary()
  return {
    ...fields,
    ops: n,
    p50Ms: +l.p50.toFixed(2),
    p99Ms: +l.p99.toFixed(2),
    meanMs: +l.mean.toFixed(2),
    meanHops: m.hops.count > 0 ? +m.hops.mean.toFixed(2) : undefined,
    messagesPerOp: m.messages.count > 0 ? +m.messages.mean.toFixed(2) : undefined,
    errors: m.errors,
    wrong: m.wrong
  }
}

/** Mean open connections per node. */
export function connectionsPerNode (nodes: Libp2p[]): number {
  return +(nodes.reduce((a, x) => a + x.getConnections().length, 0) / nodes.length).toFixed(1)
}

/** Event-loop utilisation (0–1) of this process over `ms` of doing nothing but what runs in the background. */
export async function idleElu (ms: number): Promise<number> {
  const before = performance.eventLoopUtilization()
  await sleep(ms)
  return +performance.eventLoopUtilization(before).utilization.toFixed(3)
}
