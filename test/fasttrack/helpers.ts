import { Simulator } from '../../src/sim/index.js'
import type { SharedFile } from '../../src/overlay/index.js'
import { describeBytes } from '../../src/search/index.js'
import { buildNetwork, type FtSimNode, type NetworkOptions } from '../../src/fasttrack/sim-network.js'
import type { FastTrackHit } from '../../src/fasttrack/messages.js'

export interface TestNet { sim: Simulator, nodes: FtSimNode[] }

/** A small network; node i arrives at i × 10 ms. */
export function testNet (opts: NetworkOptions & { seed?: number }): TestNet {
  const sim = new Simulator({ seed: opts.seed ?? 1, latency: { kind: 'uniform', min: 5, max: 40 } })
  const nodes = buildNetwork(sim, opts)
  return { sim, nodes }
}

/** Run a search on a node to completion in virtual time; returns its hits. */
export function searchSync (net: TestNet, node: FtSimNode, text: string, timeoutMs = 5000): FastTrackHit[] {
  const hits: FastTrackHit[] = []
  let done = false
  node.machine.search(text, { limit: 1000, timeoutMs }, h => { hits.push(h as FastTrackHit) }, () => { done = true })
  net.sim.run({ until: net.sim.now + timeoutMs + 1 })
  if (!done) throw new Error('search did not finish')
  return hits
}

/** A file with real bytes in the simulator's blob store of `nodeId`. */
export function blobFile (net: TestNet, nodeId: string, name: string, size: number, seed: number): SharedFile & { store: string } {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 7) & 0xff
  const f = describeBytes(name, bytes)
  const store = `share/${f.hash}`
  net.sim.blobs.put(nodeId, store, bytes)
  return { ...f, store }
}
