/**
 * A victim among honest peers: a ping node with a test resource policy (short deadlines, a small
 * buffer budget, a low rate so that floods are cut quickly), an honest ping peer connected to it, and
 * probes of what the victim holds. Shared by the hostile driver tests and the hostile-load benchmark.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createNode, type SwarmTransport } from '../../../src/runtime/libp2p/swarm.js'
import { connectionLimits, type ConnectionLimits } from '../../../src/runtime/libp2p/limits.js'
import { ping, type PingService } from '../../../src/ping/service.js'
import type { ResourcePolicyInit } from '../../../src/overlay/resources.js'
import type { Libp2p } from '@libp2p/interface'

export interface Victim {
  node: Libp2p<{ ping: PingService }>
  honest: Libp2p<{ ping: PingService }>
  /** One honest ping from the honest peer to the victim, in ms. */
  probe (): Promise<number>
  /** Is `peer` refused by the victim's driver now? */
  refuses (peer: string): boolean
  stop (): Promise<void>
}

/** What the tests run the victim with: cut-offs in well under a second. */
export const TEST_POLICY: ResourcePolicyInit = {
  frameDeadlineMs: 300,
  maxBufferedBytesPerPeer: 256 * 1024,
  frames: { perSec: 2000, burst: 2000 },
  // a flooder is cut off after 3 throttles (the default needs 50: a few seconds of flooding)
  score: { backoffMs: 60_000, weights: { rateExceeded: 40 } }
}

export async function createVictim (transport: SwarmTransport, opts: { policy?: ResourcePolicyInit, limits?: Partial<ConnectionLimits>, profile?: 'node' | 'local-test' } = {}): Promise<Victim> {
  const services = (): { ping: ReturnType<typeof ping> } => ({ ping: ping({ timeoutMs: 5000, driver: { resources: opts.policy ?? TEST_POLICY } }) })
  const node = await createNode(services(), { transport, config: { connectionManager: connectionLimits(opts.profile ?? 'local-test', opts.limits) } })
  const honest = await createNode(services(), { transport })
  await honest.dial(node.getMultiaddrs()[0])
  const victim: Victim = {
    node,
    honest,
    probe: async () => await honest.services.ping.ping(node.peerId.toString()),
    refuses: (peer) => node.services.ping.driver.limitsStatus().refused.some(r => r.peer === peer),
    stop: async () => {
      for (const c of honest.getConnections()) c.abort(new Error('done'))
      await Promise.all([node.stop(), honest.stop()])
    }
  }
  await victim.probe()
  return victim
}

let gcFn: (() => void) | undefined
/** A full GC, also without --expose-gc (the flag is set at run time and `gc` taken from a fresh context). */
export function forceGc (): void {
  if (gcFn === undefined) {
    const g = (globalThis as { gc?: () => void }).gc
    if (g !== undefined) gcFn = g
    else {
      setFlagsFromString('--expose-gc')
      gcFn = runInNewContext('gc') as () => void
    }
  }
  gcFn()
  gcFn()
}

/** JS heap plus ArrayBuffers (where frame bytes live) after a full GC, MiB. */
export function heapMiB (): number {
  forceGc()
  const m = process.memoryUsage()
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20
}
