/**
 * Hostile peers against gossip in the simulator (seeded, virtual time), where attacks too large for a
 * live test run at full size: a replay after 1.2·10^5 fresh origins, forged origins and pre-empted
 * sequence numbers in a signed swarm, a replay after a restart, a runaway Lamport clock, a payload
 * pushed whole past maxPushedBytes.
 */
import assert from 'node:assert/strict'
import { gossipSpec } from '../../src/gossip/spec.js'
import type { GossipMachine } from '../../src/gossip/machine.js'
import type { SimNode } from '../../src/sim/index.js'
import type { GossipMessage } from '../../src/gossip/types.js'
import { fakeNode } from '../gossip/helpers.js'
import { sha256 } from '../../src/overlay/hash.js'
import { identity, swarm } from '../gossip/sim-helpers.js'
import { Attacker, attackerKeys, craft, craftPut, parseId } from './gossip-helpers.js'

const enc = new TextEncoder()
const OPTS = { mode: 'push' as const, k: 2, fanout: 2, periodMs: 100, eager: true, antiEntropy: { periodMs: 500 }, ttlMs: 60_000 }

function hostileSwarm (n: number, extra = {}): ReturnType<typeof swarm> & { attacker: Attacker } {
  const s = swarm(n, { ...OPTS, ...extra }, { perNodeStats: true })
  const node = s.sim.spawn(gossipSpec, { signed: false, mode: 'none', antiEntropy: { periodMs: 0 }, membership: { kind: 'full', peers: [] } }, { id: 'attacker' }) as SimNode<GossipMessage, GossipMachine>
  return { ...s, attacker: new Attacker(node.machine) }
}

describe('gossip under attack (simulator)', () => {
  it('a replay after 1.2·10^5 fresh origins is not delivered again (open node: no signatures needed to flood)', () => {
    const v = fakeNode('victim', { mode: 'none', antiEntropy: { periodMs: 0 }, ttlMs: 600_000 })
    const evil = { id: 'evil' }
    const u = craft({ origin: 'honest/1', seq: 1, time: 0, text: 'once' })
    v.machine.onMessage(evil, { type: 'rumor', updates: [u], pull: false })
    assert.equal(v.stats.get('gossip:delivered'), 1)
    for (let i = 0; i < 120_000; i++) {
      v.clock.now = i / 100
      v.machine.onMessage(evil, { type: 'rumor', updates: [craft({ origin: `fresh${i}/1`, seq: 1, time: v.clock.now, text: 'x' })], pull: false })
    }
    assert.ok(v.stats.get('gossip:origins-full') >= 20_000, 'fresh origins past the quota are refused, not tracked')
    const delivered = v.stats.get('gossip:delivered')
    v.machine.onMessage(evil, { type: 'rumor', updates: [u], pull: false })
    assert.equal(v.stats.get('gossip:delivered'), delivered, 'the replay was delivered again')
    assert.equal(v.events.filter(e => e.type === 'gossip:deliver' && (e.data as Uint8Array).byteLength === 4).length, 1)
    // past the TTL the origin may be forgotten (room for a fresh one), and the replay is refused as expired
    v.clock.now = 700_000
    v.machine.onMessage(evil, { type: 'rumor', updates: [craft({ origin: 'late/1', seq: 1, time: v.clock.now, text: 'late' })], pull: false })
    assert.equal(v.machine.has({ origin: 'honest/1', seq: 1 }), false, 'an origin silent past the TTL made room')
    v.machine.onMessage(evil, { type: 'rumor', updates: [u], pull: false })
    assert.equal(v.stats.get('gossip:delivered'), delivered + 1, 'only the fresh one')
    assert.ok(v.stats.get('gossip:expired') >= 1)
  })

  it('signed swarm: forged origins and pre-empted seqs are refused; the real publisher reaches everyone once', () => {
    const { sim, nodes, deliveries, attacker } = hostileSwarm(6)
    const id = nodes[0].machine.publish('t', enc.encode('real-1'))
    sim.run({ until: 2_000 })
    const { origin, seq } = parseId(id)
    const [key] = attackerKeys(1)
    for (const n of nodes.slice(1)) {
      for (let s = seq + 1; s <= seq + 3; s++) attacker.rumor(n.ref, [craft({ origin, seq: s, time: sim.now, text: 'pre-empt', by: key })])
      attacker.rumor(n.ref, [craft({ origin, seq: seq + 4, time: sim.now, text: 'unsigned' })])
    }
    sim.run({ until: 3_000 })
    const bad = nodes.reduce((a, n) => a + n.stats.get('gossip:bad-signature'), 0)
    const unsigned = nodes.reduce((a, n) => a + n.stats.get('gossip:unsigned'), 0)
    assert.equal(bad, 15)
    assert.equal(unsigned, 5)
    const ids = [2, 3, 4].map(k => nodes[0].machine.publish('t', enc.encode(`real-${k}`)))
    sim.run({ until: 6_000 })
    for (const i of [id, ...ids]) assert.deepEqual([...(deliveries.get(i) ?? [])].sort(), nodes.slice(1).map(n => n.id).sort(), i)
    assert.equal(deliveries.size, 4, 'only the real broadcasts were delivered')
  })

  it('signed swarm: a replay after flooding fresh signed origins past maxOrigins is a duplicate', () => {
    const { sim, nodes, deliveries, attacker } = hostileSwarm(5, { maxOrigins: 40 })
    const id = nodes[0].machine.publish('t', enc.encode('once'))
    sim.run({ until: 2_000 })
    const u = nodes[0].machine.store.get(id)?.u
    assert.ok(u !== undefined)
    attackerKeys(80, 'fresh').forEach(k => attacker.rumor(nodes[1].ref, [craft({ origin: `${k.id}/1`, seq: 1, time: sim.now, topic: 'flood', by: k })]))
    sim.run({ until: 3_000 })
    assert.ok(nodes[1].stats.get('gossip:origins-full') > 0)
    attacker.rumor(nodes[1].ref, [u])
    sim.run({ until: 4_000 })
    assert.equal(deliveries.get(id)?.filter(x => x === nodes[1].id).length, 1)
  })

  it('a replay after a restart within the TTL is relayed but not delivered again', () => {
    const signer = identity(0)
    const u = craft({ origin: `${identity(1).id}/1`, seq: 1, time: 100, text: 'once', by: identity(1) })
    const a = fakeNode('', { signed: true, mode: 'none', antiEntropy: { periodMs: 0 } }, 1, signer)
    a.clock.now = 200
    a.machine.onMessage({ id: 'evil' }, { type: 'rumor', updates: [u], pull: false })
    assert.equal(a.stats.get('gossip:delivered'), 1)
    // the restart: a new machine with the same identity, its seen-set empty
    const b = fakeNode('', { signed: true, mode: 'none', antiEntropy: { periodMs: 0 } }, 1, signer)
    b.clock.now = 5_000
    b.machine.stop(); b.machine.start()
    b.machine.onMessage({ id: 'evil' }, { type: 'rumor', updates: [u], pull: false })
    assert.equal(b.stats.get('gossip:delivered'), 0)
    assert.equal(b.stats.get('gossip:before-start'), 1)
    assert.equal(b.machine.has(u), true, 'kept for relaying')
  })

  it('an update over its origin\'s byte quota is refused before its signature is checked (no hashing of a payload that will not be kept)', () => {
    const quota = 64 * 1024
    // 40 KiB payloads pushed inline: within maxPushedBytes (4 × maxInlineBytes unset; set here)
    const v = fakeNode('', { signed: true, mode: 'none', antiEntropy: { periodMs: 0 }, maxStoredBytesPerOrigin: quota, maxInlineBytes: 1024, maxPushedBytes: 64 * 1024 }, 1, identity(0))
    v.clock.now = 100
    const [key] = attackerKeys(1, 'quota')
    const big = (seq: number, sign: boolean): ReturnType<typeof craft> => {
      const u = craft({ origin: `${key.id}/1`, seq, time: 100, data: new Uint8Array(40 * 1024).fill(seq), by: key })
      return sign ? u : { ...u, sig: new Uint8Array(64) }
    }
    v.machine.onMessage({ id: 'relay' }, { type: 'rumor', updates: [big(1, true)], pull: false })
    assert.equal(v.stats.get('gossip:delivered'), 1)
    // the origin has room for no second 40 KiB update: a forged one is refused by the quota, not the signature
    v.machine.onMessage({ id: 'relay' }, { type: 'rumor', updates: [big(2, false)], pull: false })
    assert.equal(v.stats.get('gossip:quota-origin'), 1)
    assert.equal(v.stats.get('gossip:bad-signature'), 0)
    // within the quota a forgery is still caught by its signature
    v.machine.onMessage({ id: 'relay' }, { type: 'rumor', updates: [craft({ origin: `${key.id}/1`, seq: 3, time: 100, text: 'small', by: attackerKeys(2, 'quota')[1] })], pull: false })
    assert.equal(v.stats.get('gossip:bad-signature'), 1)
    assert.equal(v.stats.get('gossip:delivered'), 1)
  })

  it('a payload pushed whole above maxPushedBytes is refused before it is hashed or verified, penalised per 8 KiB; the same fetched after an announcement is kept', () => {
    const penalties: number[] = []
    const v = fakeNode('', { signed: true, mode: 'none', antiEntropy: { periodMs: 0 } }, 1, identity(0), { penalize: (_p, name, w) => { if (name === 'gossip:oversize-push') penalties.push(w) } })
    v.clock.now = 100
    const [key] = attackerKeys(1, 'pushed')
    const u = craft({ origin: `${key.id}/1`, seq: 1, time: 100, data: new Uint8Array(1024 * 1024).fill(3), by: key })
    v.machine.onMessage({ id: 'relay' }, { type: 'rumor', updates: [u], pull: false })
    assert.equal(v.stats.get('gossip:oversize-push'), 1)
    assert.deepEqual(penalties, [128])
    assert.equal(v.stats.get('gossip:bad-signature') + v.stats.get('gossip:delivered'), 0)
    // 64 KiB (4 × the default maxInlineBytes) is still taken inline
    v.machine.onMessage({ id: 'relay' }, { type: 'rumor', updates: [craft({ origin: `${key.id}/1`, seq: 2, time: 100, data: new Uint8Array(64 * 1024).fill(4), by: key })], pull: false })
    assert.equal(v.stats.get('gossip:delivered'), 1)
    // the 1 MiB update announced (no data, its hash) is fetched and delivered: only pushing it whole is refused
    v.machine.onMessage({ id: 'relay' }, { type: 'rumor', updates: [{ ...u, data: undefined, hash: sha256(u.data!) }], pull: false })
    v.machine.onMessage({ id: 'relay' }, { type: 'body', origin: u.origin, seq: 1, data: u.data })
    assert.equal(v.stats.get('gossip:delivered'), 2)
    assert.equal(v.stats.get('gossip:oversize-push'), 1)
  })

  it('a map write with Lamport clock 2^53 − 1 is refused; an honest put wins everywhere and never fails', () => {
    const { sim, nodes, attacker } = hostileSwarm(5)
    const [key] = attackerKeys(1, 'lamport')
    for (const n of nodes) attacker.rumor(n.ref, [craftPut({ by: key, key: 'leader', value: 'attacker', lamport: Number.MAX_SAFE_INTEGER, time: sim.now })])
    sim.run({ until: 1_000 })
    assert.equal(nodes.reduce((a, n) => a + n.stats.get('gossip:clock-ahead'), 0), 5)
    nodes[2].machine.put('leader', enc.encode('honest'))
    sim.run({ until: 5_000 })
    for (const n of nodes) assert.equal(new TextDecoder().decode(n.machine.get('leader')), 'honest')
    // a write just within the skew is accepted, and the honest clock moves past it without running out
    for (const n of nodes) attacker.rumor(n.ref, [craftPut({ by: key, key: 'leader', value: 'ahead', lamport: Math.floor(sim.now) + 20_000, time: sim.now })])
    sim.run({ until: 6_000 })
    nodes[3].machine.put('leader', enc.encode('honest-again'))
    sim.run({ until: 10_000 })
    for (const n of nodes) assert.equal(new TextDecoder().decode(n.machine.get('leader')), 'honest-again')
  })
})
