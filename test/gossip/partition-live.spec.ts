/**
 * Live: a partition between real libp2p nodes (memory transport) that outlasts failure detection.
 * The cut is a connection gater that refuses every connection across it plus a hang-up of the open
 * ones; the gossip driver then reports the peers unreachable and full membership drops them, so by
 * the heal no node knows a peer of the other side. Gossip alone re-dials nobody after the heal: only
 * the machine's recovery probes (`recovery`) can bring the sides back together.
 */
import assert from 'node:assert/strict'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { createNode } from '../../src/runtime/libp2p/swarm.js'
import { gossip, type GossipService } from '../../src/gossip/index.js'

type S = { gossip: GossipService }

async function until (cond: () => boolean, what: string, ms: number): Promise<number> {
  const t0 = Date.now()
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  return Date.now() - t0
}

function parse (id: string): { origin: string, seq: number } {
  const at = id.indexOf('@')
  return { seq: Number(id.slice(0, at)), origin: id.slice(at + 1) }
}

describe('gossip live: a partition longer than failure detection heals (libp2p, memory transport)', function () {
  this.timeout(60_000)
  const nodes: Array<Libp2p<S>> = []

  after(async () => { await Promise.all(nodes.map(async n => await n.stop())) })

  it('both sides drop each other during the cut; after the heal every update reaches every node', async () => {
    const n = 6
    const side = new Map<string, number>()
    let cut = false
    const across = (i: number, peer: PeerId): boolean => cut && side.get(peer.toString()) !== undefined && side.get(peer.toString()) !== (i < n / 2 ? 0 : 1)
    for (let i = 0; i < n; i++) {
      nodes.push(await createNode<S>({ gossip: gossip({ periodMs: 100, antiEntropy: { periodMs: 300 }, recovery: { periodMs: 500 } }) as any }, {
        transport: 'memory',
        seed: 'gossip-partition',
        index: i,
        config: { connectionGater: { denyDialPeer: (p: PeerId) => across(i, p), denyInboundEncryptedConnection: (p: PeerId) => across(i, p) } }
      }))
      side.set(nodes[i].peerId.toString(), i < n / 2 ? 0 : 1)
    }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) await nodes[i].dial(nodes[j].getMultiaddrs()[0])
    const services = nodes.map(x => x.services.gossip)
    const crossKnown = (i: number): number => services[i].peers().filter(p => side.get(p.id) !== (i < n / 2 ? 0 : 1)).length
    await until(() => services.every(s => s.peers().length === n - 1), 'full membership', 10_000)

    // cut: refuse new connections across, close the open ones
    cut = true
    await Promise.all(nodes.map(async (x, i) => { for (const y of nodes) if (across(i, y.peerId)) await x.hangUp(y.peerId) }))
    const ids: string[] = []
    ids.push(services[0].publish('t', new Uint8Array([0])), services[n - 1].publish('t', new Uint8Array([1])))
    // failure detection: every node has dropped every peer of the other side (sends across fail)
    await until(() => services.every((_, i) => crossKnown(i) === 0), 'both sides to drop each other', 15_000)
    ids.push(services[1].publish('t', new Uint8Array([2])), services[n - 2].publish('t', new Uint8Array([3])))
    const mine = (i: number): string[] => ids.filter((_, k) => (k % 2 === 0) === (i < n / 2))
    await until(() => services.every((s, i) => mine(i).every(id => s.machine.has(parse(id)))), 'each side to share its updates', 10_000)
    for (let i = 0; i < n; i++) for (const id of ids) if (!mine(i).includes(id)) assert.equal(services[i].machine.has(parse(id)), false, 'nothing crosses the cut')

    // heal: connections are allowed again, but no one re-dials unless the machine probes a lost peer
    cut = false
    const healedIn = await until(() => services.every(s => ids.every(id => s.machine.has(parse(id)))), 'every update on every node after the heal', 15_000)
    assert.ok(services.some((_, i) => crossKnown(i) > 0), 'a node knows a peer across the healed cut again')
    console.log(`      converged ${healedIn} ms after the heal`)
  })
})
