/**
 * Relay, reservations and limited connections in one process (TCP on loopback): createNode's
 * `relay`, `relays` and `reachability: 'auto'` options, identify by default, and which overlay
 * streams may use a limited (relayed) connection (runtime/libp2p/limited.ts).
 */
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { createNode } from '../../src/runtime/libp2p/swarm.js'
import { chord } from '../../src/chord/index.js'
import { gossip } from '../../src/gossip/index.js'
import { RUNS_ON_LIMITED_CONNECTION } from '../../src/runtime/libp2p/limited.js'
import { connectionKind } from '../../src/runtime/libp2p/reachability.js'
import type { Libp2p } from '@libp2p/interface'

async function until (what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const t0 = Date.now()
  while (!await cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

const circuitAddr = (n: Libp2p): string | undefined => n.getMultiaddrs().map(String).find(a => a.includes('/p2p-circuit/p2p/'))

describe('relay: reservations and limited connections (createNode, TCP loopback)', function () {
  this.timeout(30_000)
  const nodes: Libp2p<any>[] = []
  after(async () => { await Promise.all(nodes.map(async n => await n.stop())) })

  it('every node runs identify; a relay node runs the circuit relay v2 server', async () => {
    const relay = await createNode({}, { transport: 'tcp', relay: true })
    const plain = await createNode({}, { transport: 'tcp' })
    nodes.push(relay, plain)
    assert.ok('identify' in relay.services && 'identify' in plain.services)
    assert.ok(relay.getProtocols().includes('/libp2p/circuit/relay/0.2.0/hop'))
    assert.ok(!plain.getProtocols().includes('/libp2p/circuit/relay/0.2.0/hop'))
    // identify tells each side the other's protocols
    await plain.dial(relay.getMultiaddrs()[0])
    let learnt: string[] = []
    await until('identify tells the plain node the relay\'s protocols', async () => {
      learnt = (await plain.peerStore.get(relay.peerId)).protocols
      return learnt.includes('/libp2p/circuit/relay/0.2.0/hop')
    }, 5000).catch((err: Error) => { throw new Error(`${err.message}: ${learnt.join(' ')}`) })
  })

  it('nodes told of a relay reserve a slot; Chord and gossip run over the relayed (limited) connection', async () => {
    const relay = await createNode({}, { transport: 'tcp', relay: true })
    nodes.push(relay)
    const r = relay.getMultiaddrs()[0].toString()
    // listen only on the relay: no direct address at all, as behind a NAT
    const services = (): any => ({ chord: chord({ stabilizeMs: 200, fixFingersMs: 100, rpcTimeoutMs: 2000 }), gossip: gossip({ periodMs: 100 }) })
    const a: Libp2p<any> = await createNode(services(), { transport: 'tcp', listen: [], relays: [r] })
    const b: Libp2p<any> = await createNode(services(), { transport: 'tcp', listen: [], relays: [r] })
    nodes.push(a, b)
    const bAddr = circuitAddr(b)
    assert.ok(bAddr?.startsWith(`${r}/p2p-circuit/p2p/`), `b announces its relayed address: ${b.getMultiaddrs().join(' ')}`)
    await a.services.chord.join(bAddr, { signal: AbortSignal.timeout(10_000) })
    const conns = a.getConnections(b.peerId)
    assert.ok(conns.length > 0 && conns.every(c => c.limits !== undefined && connectionKind(c.remoteAddr) === 'relayed'), `a reaches b only through the relay: ${conns.map(c => c.remoteAddr.toString()).join(' ')}`)
    await until('a ring of two', () => a.services.chord.ring().vnodes[0].successors[0] === b.services.chord.ring().vnodes[0].id, 10_000)
    const got: string[] = []
    b.services.gossip.onEvent((e: any) => { if (e.type === 'gossip:deliver') got.push(new TextDecoder().decode(e.data)) })
    a.services.gossip.publish('t', new TextEncoder().encode('over the relay'))
    await until('gossip over the relay', () => got.includes('over the relay'), 10_000)
    // a bulk protocol refuses the limited connection
    const limited = a.getConnections(b.peerId).find(c => c.limits !== undefined)!
    await assert.rejects(limited.newStream('/overlaykit/bittorrent/1.0.0'), /limited/i)
  })

  it("reachability 'auto': a node with no confirmed public address reserves a slot after the grace period", async () => {
    const relay = await createNode({}, { transport: 'tcp', relay: true })
    const n = await createNode({}, { transport: 'tcp', reachability: 'auto', autoNatGraceMs: 300 })
    nodes.push(relay, n)
    assert.ok('autoNAT' in n.services)
    await n.dial(multiaddr(relay.getMultiaddrs()[0].toString()))
    await until('a relayed address', () => circuitAddr(n) !== undefined, 10_000)
    assert.ok(circuitAddr(n)!.includes(relay.peerId.toString()))
  })

  it('control protocols run on limited connections, bulk ones do not', () => {
    assert.deepEqual(Object.entries(RUNS_ON_LIMITED_CONNECTION).filter(([, v]) => v).map(([k]) => k).sort(), ['bittorrent-tracker', 'chord', 'gossip', 'ping'])
    assert.equal(RUNS_ON_LIMITED_CONNECTION.napster, false)
  })
})
