/**
 * connectServent's outcome: a servent at its neighbour limit refuses our CONNECT (GNUTELLA 503) and
 * the promise rejects at once with ConnectRefusedError, counted, instead of waiting out a timeout
 * (that cost 15 s per refused connect in the demo). Simulator (the machine's event) and live (memory
 * transport, the public API).
 */
import assert from 'node:assert/strict'
import type { Libp2p } from '@libp2p/interface'
import { Simulator } from '../../src/sim/index.js'
import { gnutellaSpec } from '../../src/gnutella/spec.js'
import type { GnutellaEvent } from '../../src/gnutella/servent.js'
import { createNode } from '../../src/runtime/libp2p/swarm.js'
import { ConnectRefusedError, gnutella, type GnutellaService } from '../../src/gnutella/service.js'
import { OverlayError, TimeoutError } from '../../src/overlay/errors.js'

type Node = Libp2p<{ gnutella: GnutellaService }>

describe('gnutella CONNECT refused', function () {
  this.timeout(60_000)

  it('simulator: a servent at its neighbour limit answers busy; the dialer reports connect-failed (busy) at once and counts it', () => {
    const sim = new Simulator({ seed: 3, latency: { kind: 'constant', ms: 20 }, perNodeStats: true })
    // connectTimeoutMs far beyond the run: only the refusal can end the CONNECT in time
    const opts = { targetDegree: 0, maxDegree: 1, connectTimeoutMs: 600_000 }
    const a = sim.spawn(gnutellaSpec, opts)
    const b = sim.spawn(gnutellaSpec, opts)
    const c = sim.spawn(gnutellaSpec, opts)
    const events: Array<{ node: string, e: GnutellaEvent }> = []
    sim.on((node, e) => { events.push({ node: node.id, e: e as GnutellaEvent }) })
    b.machine.connect(a.ref)
    sim.run({ until: 100 })
    assert.ok(a.machine.neighbours.has(b.id) && b.machine.neighbours.has(a.id))
    c.machine.connect(a.ref)
    sim.run({ until: 200 })
    const failed = events.filter(x => x.node === c.id && x.e.type === 'gnutella:connect-failed')
    assert.deepEqual(failed.map(x => x.e), [{ type: 'gnutella:connect-failed', peer: a.id, reason: 'busy' }])
    assert.equal(c.stats.get('gnutella:connect-refused'), 1)
    assert.equal(a.stats.get('gnutella:refused-full'), 1)
    assert.equal(c.machine.neighbours.size, 0)
    // nothing pending any more: the same servent can be dialed again (and is refused again)
    c.machine.connect(a.ref)
    sim.run({ until: 300 })
    assert.equal(c.stats.get('gnutella:connect-refused'), 2)
  })

  describe('live (memory transport)', () => {
    let nodes: Node[] = []
    const g = (i: number): GnutellaService => nodes[i].services.gnutella

    before(async () => {
      for (let i = 0; i < 3; i++) {
        nodes.push(await createNode({
          // node 0 takes one neighbour only; nobody dials on its own (targetDegree 0); a CONNECT
          // timeout far beyond the test: a rejection can only come from the refusal
          gnutella: gnutella({ targetDegree: 0, maxDegree: 1, connectTimeoutMs: 600_000, driver: { seed: i } })
        }, { transport: 'memory', seed: 'gnutella-connect', index: i }))
      }
    })

    after(async () => {
      await Promise.all(nodes.map(async n => { await n.stop() }))
      nodes = []
    })

    it('connectServent rejects with ConnectRefusedError (ERR_CONNECT_REFUSED) as soon as a full servent refuses, and counts it', async () => {
      await g(1).connectServent(nodes[0].getMultiaddrs()[0].toString(), { timeoutMs: 30_000 })
      assert.deepEqual(g(0).neighbours(), [nodes[1].peerId.toString()])
      const err = await g(2).connectServent(nodes[0].getMultiaddrs()[0].toString(), { timeoutMs: 600_000 }).then(() => undefined, (e: unknown) => e)
      assert.ok(err instanceof ConnectRefusedError, `expected ConnectRefusedError, got ${String(err)}`)
      assert.ok(err instanceof OverlayError)
      assert.ok(!(err instanceof TimeoutError))
      assert.equal(err.code, 'ERR_CONNECT_REFUSED')
      assert.equal(err.reason, 'busy')
      assert.equal(err.peer, nodes[0].peerId.toString())
      assert.match(err.message, /refused/)
      assert.equal(g(2).stats.get('gnutella:connect-refused'), 1)
      assert.deepEqual(g(2).neighbours(), [])
      // the servent that refused keeps its neighbour
      assert.deepEqual(g(0).neighbours(), [nodes[1].peerId.toString()])
    })
  })
})
