/** Live: real libp2p nodes (Noise + yamux) on TCP loopback running the gossip service. */
import assert from 'node:assert/strict'
import { createSwarm, type Swarm } from '../../src/runtime/libp2p/swarm.js'
import { gossip, type GossipService, type BroadcastMessage } from '../../src/gossip/index.js'

type S = { gossip: GossipService }

async function until (cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setImmediate(resolve))
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

describe('gossip live (libp2p, TCP)', function () {
  this.timeout(60_000)
  let swarm: Swarm<S> | undefined

  after(async () => { await swarm?.stop() })

  it('10 nodes on a sparse topology: every broadcast reaches every other node exactly once; the map converges', async () => {
    const n = 10
    swarm = await createSwarm<S>(n, () => ({ gossip: gossip({ periodMs: 100, antiEntropy: { periodMs: 500 } }) as any }), { transport: 'tcp', connect: 'ring', seed: 'gossip-live' })
    // a few chords so the graph is not only a ring
    await swarm.dial(0, 5); await swarm.dial(2, 7); await swarm.dial(3, 9)
    const services = swarm.nodes.map(node => node.services.gossip)
    const got: BroadcastMessage[][] = services.map(() => [])
    const controller = new AbortController()
    const loops = services.map(async (s, i) => {
      try { for await (const m of s.subscribe('news', { signal: controller.signal })) got[i].push(m) } catch (err) { if ((err as Error).name !== 'AbortError') throw err }
    })
    const ids: string[] = []
    for (let i = 0; i < 6; i++) ids.push(services[(i * 3) % n].publish('news', new TextEncoder().encode(`msg ${i}`)))
    services[4].publish('other-topic', new Uint8Array([1])) // not delivered to 'news' subscribers
    await until(() => got.every((g, i) => g.length >= ids.filter((_, j) => (j * 3) % n !== i).length), 'every broadcast everywhere')
    for (let i = 0; i < n; i++) {
      const expected = ids.filter((_, j) => (j * 3) % n !== i).sort()
      assert.deepEqual(got[i].map(m => m.id).sort(), expected, `node ${i}`)
    }
    assert.equal(got[1].find(m => new TextDecoder().decode(m.data) === 'msg 0')?.from, swarm.nodes[0].peerId.toString())

    services[2].put('leader', new TextEncoder().encode('n2'))
    services[8].put('leader', new TextEncoder().encode('n8'))
    await until(() => {
      const vals = services.map(s => s.get('leader')).map(v => v === undefined ? '' : new TextDecoder().decode(v))
      return vals.every(v => v !== '' && v === vals[0])
    }, 'map convergence')
    // no duplicates after things settled a little longer
    await new Promise(resolve => setTimeout(resolve, 300))
    for (let i = 0; i < n; i++) assert.equal(new Set(got[i].map(m => m.id)).size, got[i].length)
    controller.abort()
    await Promise.all(loops)
  })
})

describe('gossip live: Cyclon partial view (libp2p, memory transport)', function () {
  this.timeout(60_000)
  let swarm: Swarm<S> | undefined

  after(async () => { await swarm?.stop() })

  it('nodes that only know one bootstrap peer build bounded views, connect among themselves and get every broadcast', async () => {
    const n = 8
    // node 0 first, to learn its address; the others bootstrap from it and dial only through gossip
    swarm = await createSwarm<S>(n, () => ({
      gossip: gossip({ periodMs: 100, antiEntropy: { periodMs: 300 }, membership: { kind: 'cyclon', viewSize: 4, shuffleLength: 3, periodMs: 100, bootstrap: [] } }) as any
    }), { transport: 'memory', seed: 'gossip-cyclon' })
    const services = swarm.nodes.map(node => node.services.gossip)
    const boot = { id: swarm.nodes[0].peerId.toString(), addrs: swarm.nodes[0].getMultiaddrs().map(a => a.toString().replace(/\/p2p\/[^/]+$/, '')) }
    for (let i = 1; i < n; i++) services[i].machine.membership.add(boot)
    await until(() => services.every(s => s.peers().length >= 3), 'views to fill')
    for (const s of services) assert.ok(s.peers().length <= 4, 'view over its bound')
    const got = services.map(() => new Set<string>())
    services.forEach((s, i) => s.onEvent(e => { if (e.type === 'gossip:deliver') got[i].add(e.id as string) }))
    const id = services[5].publish('t', new Uint8Array([5]))
    await until(() => got.every((g, i) => i === 5 || g.has(id)), 'the broadcast everywhere')
  })
})
