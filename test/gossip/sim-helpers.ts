/** Simulated gossip swarms for tests. */
import { Simulator, type SimNode, type SimOptions } from '../../src/sim/index.js'
import type { PeerRef } from '../../src/overlay/types.js'
import { gossipSpec } from '../../src/gossip/spec.js'
import type { GossipMachine } from '../../src/gossip/machine.js'
import type { GossipOptions } from '../../src/gossip/options.js'
import type { GossipMessage } from '../../src/gossip/types.js'

export type GNode = SimNode<GossipMessage, GossipMachine>

export function swarm (n: number, options: GossipOptions, sim: SimOptions = {}): { sim: Simulator, nodes: GNode[], peers: PeerRef[], deliveries: Map<string, string[]> } {
  const s = new Simulator({ seed: 7, ...sim })
  const peers: PeerRef[] = []
  for (let i = 0; i < n; i++) peers.push({ id: `n${String(i).padStart(6, '0')}` })
  const membership = options.membership ?? { kind: 'full' as const, peers }
  const nodes = peers.map(p => s.spawn(gossipSpec, { ...options, membership }, { id: p.id }) as GNode)
  /** update id → the nodes it was delivered to, in order */
  const deliveries = new Map<string, string[]>()
  s.on((node, ev) => {
    if (ev.type !== 'gossip:deliver') return
    const list = deliveries.get(ev.id as string) ?? []
    list.push(node.id)
    deliveries.set(ev.id as string, list)
  })
  return { sim: s, nodes, peers, deliveries }
}
