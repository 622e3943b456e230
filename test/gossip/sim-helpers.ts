/** Simulated gossip swarms for tests. */
import { Simulator, type SimNode, type SimOptions } from '../../src/sim/index.js'
import { simIdentity } from '../../src/sim/identity.js'
import type { Signer } from '../../src/overlay/identity.js'
import type { PeerRef } from '../../src/overlay/types.js'
import { gossipSpec } from '../../src/gossip/spec.js'
import type { GossipMachine } from '../../src/gossip/machine.js'
import type { GossipOptions } from '../../src/gossip/options.js'
import type { GossipMessage } from '../../src/gossip/types.js'

export type GNode = SimNode<GossipMessage, GossipMachine>

const identities = new Map<number, Signer>()
/** The i-th simulated identity (cached: deriving a key costs about a signature). */
export function identity (i: number): Signer {
  let s = identities.get(i)
  if (s === undefined) { s = simIdentity('gossip-test', i); identities.set(i, s) }
  return s
}

/**
 * n gossip nodes with full membership. Signed (the default) nodes get deterministic identities, so
 * their ids are real peer ids; with `signed: false` they are n000000, n000001, …
 */
export function swarm (n: number, options: GossipOptions, sim: SimOptions = {}): { sim: Simulator, nodes: GNode[], peers: PeerRef[], deliveries: Map<string, string[]> } {
  const s = new Simulator({ seed: 7, ...sim })
  const signed = options.signed !== false
  const peers: PeerRef[] = []
  for (let i = 0; i < n; i++) peers.push({ id: signed ? identity(i).id : `n${String(i).padStart(6, '0')}` })
  const membership = options.membership ?? { kind: 'full' as const, peers }
  const nodes = peers.map((p, i) => s.spawn(gossipSpec, { ...options, membership }, signed ? { signer: identity(i) } : { id: p.id }) as GNode)
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
