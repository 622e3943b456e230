/** Napster in the simulator: search and download, the server as a visible single point of failure. */
import assert from 'node:assert/strict'
import { Simulator, type SimNode } from '../../src/sim/index.js'
import { napsterClientSpec, napsterServerSpec } from '../../src/napster/spec.js'
import type { NapsterClient } from '../../src/napster/client.js'
import type { NapsterServer } from '../../src/napster/server.js'
import type { NapsterMsg } from '../../src/napster/codec.js'
import { describeBytes } from '../../src/search/describe.js'
import { Rng } from '../../src/overlay/rng.js'
import type { SearchHit } from '../../src/overlay/capabilities.js'
import { makeSearchWorkload } from '../../src/search/workload.js'
import { simulateSearch } from '../../src/napster/sim-search.js'

type C = SimNode<NapsterMsg, NapsterClient>

function world (n = 6) {
  const sim = new Simulator({ seed: 11, wire: true, latency: { kind: 'constant', ms: 15 } }) // streams are FIFO; a constant latency keeps links in order
  let server: SimNode<NapsterMsg, NapsterServer> = sim.spawn(napsterServerSpec, {}, { id: 'server' })
  const clients: C[] = []
  for (let i = 0; i < n; i++) clients.push(sim.spawn(napsterClientSpec, { server: server.ref, firewalled: i === n - 1, keepaliveMs: 2000, requestTimeoutMs: 1000, reconnectMaxMs: 2000, transfer: { chunkBytes: 8192 } }))
  const restart = (): void => { server = sim.rejoin(server) }
  return { sim, clients, server: () => server, restart }
}

function search (sim: Simulator, c: C, text: string): { hits: SearchHit[], err: Error | null } {
  const out: { hits: SearchHit[], err: Error | null } = { hits: [], err: null }
  c.machine.search(text, { limit: 100, timeoutMs: 3000 }, h => out.hits.push(h), e => { out.err = e })
  sim.run({ until: sim.now + 3000 })
  return out
}

describe('napster (simulated)', function () {
  this.timeout(30_000)

  it('finds files through the server and downloads them peer to peer (push for the firewalled one)', () => {
    const { sim, clients, server } = world()
    const a = new Rng(1).bytes(40_000)
    const b = new Rng(2).bytes(30_000)
    sim.blobs.put(clients[1].id, 'a', a); clients[1].machine.share(describeBytes('Blue Moon.mp3', a), 'a')
    sim.blobs.put(clients[5].id, 'b', b); clients[5].machine.share(describeBytes('blue sky.mp3', b), 'b')
    sim.run({ until: 1000 })
    assert.equal(server().machine.indexSize, 2)
    const r = search(sim, clients[0], 'blue')
    assert.equal(r.err, null)
    assert.equal(r.hits.length, 2)
    for (const hit of r.hits) {
      let res: any
      clients[0].machine.fetch(hit, { store: `dl/${hit.hash}`, offset: 0, collect: true }, { done: (e, x) => { res = { e, x } } })
      sim.run({ until: sim.now + 5000 })
      assert.equal(res.e, null)
      assert.deepEqual(res.x.bytes, hit.name === 'Blue Moon.mp3' ? a : b)
      assert.equal(res.x.viaPush, hit.peer.id === clients[5].id)
    }
    // browse
    let listed: string[] = []
    clients[2].machine.browse(clients[1].id, (_e, f) => { listed = (f ?? []).map(x => x.name) })
    sim.run({ until: sim.now + 1000 })
    assert.deepEqual(listed, ['Blue Moon.mp3'])
  })

  it('server crash: searches fail at once with ERR_UNREACHABLE; restart: clients log in and re-share by themselves', () => {
    const { sim, clients, server, restart } = world()
    const a = new Rng(1).bytes(1000)
    clients[1].machine.share(describeBytes('Blue Moon.mp3', a), 'a')
    sim.run({ until: 1000 })
    sim.crash(server())
    sim.run({ until: sim.now + 5000 }) // keep-alives notice
    assert.ok(clients.every(c => !c.machine.online))
    const r = search(sim, clients[0], 'blue')
    assert.equal((r.err as any)?.code, 'ERR_UNREACHABLE')
    assert.match(String(r.err?.message), /napster server server is unreachable/)
    restart()
    sim.run({ until: sim.now + 5000 })
    assert.ok(clients.every(c => c.machine.online))
    assert.equal(server().machine.users.size, clients.length)
    assert.equal(server().machine.indexSize, 1)
    assert.equal(search(sim, clients[0], 'blue').hits.length, 1)
  })

  it('a restart the clients did not notice: the first request gets "not logged in", the client re-logs, re-shares and the search still succeeds', () => {
    const { sim, clients, server, restart } = world()
    clients[1].machine.share(describeBytes('Blue Moon.mp3', new Uint8Array(5)), 'a')
    sim.run({ until: 500 })
    restart()
    // clients[1] must re-share before clients[0]'s search can find its file
    sim.run({ until: sim.now + 2500 })
    const r = search(sim, clients[0], 'blue')
    assert.equal(r.err, null)
    assert.equal(r.hits.length, 1)
    assert.ok(server().machine.users.size >= 2)
  })

  it('caps results at 100 (one holder at half of them) and refuses a login with another peer\'s nick', () => {
    const { sim, clients, server } = world(2)
    for (let i = 0; i < 150; i++) clients[1].machine.share({ name: `song ${i}.mp3`, size: 1, hash: i.toString(16).padStart(64, '0') }, `s${i}`)
    sim.run({ until: 1000 })
    // the server sends 100; one holder fills at most holderHitShare (0.5) of the limit
    assert.equal(search(sim, clients[0], 'song').hits.length, 50)
    assert.equal(clients[0].stats.get('napster:result-holder-cap'), 50)
    server().machine.onMessage({ id: 'mallory' }, { type: 'login', nick: clients[1].id, password: 'x', port: 1, client: 'c', link: 1, addrs: [] })
    assert.equal(server().stats.get('napster:bad-login'), 1)
  })

  it('simulateSearch: crash mid-run shows the outage and the recovery', () => {
    const w = makeSearchWorkload({ nodes: 300, queries: 300, seed: 5, queryIntervalMs: 100 })
    const ok = simulateSearch(w, { seed: 1 })
    assert.ok(ok.successRate > 0.8, `success ${ok.successRate}`)
    assert.equal(ok.meanHops, 1)
    assert.ok(ok.indexSize > 0)
    const crash = simulateSearch(w, { seed: 1, crashAt: 0.3, restartAfterMs: 5000, client: { keepaliveMs: 5000 } })
    assert.equal(crash.successWhileDown, 0)
    assert.ok((crash.successBeforeCrash ?? 0) > 0.8)
    assert.ok((crash.successAfterRestart ?? 0) > 0.5, `after restart ${crash.successAfterRestart}`)
    assert.ok(crash.failedWhileDown > 0)
    assert.equal(crash.clientsBackOnline, 1)
  })
})
