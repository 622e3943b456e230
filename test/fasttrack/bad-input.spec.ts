/**
 * Lying and abusive peers in the simulator: a raw node sends hand-made FastTrack messages to a small
 * network. Each abuse is refused or dropped and counted (`ft.bad.<reason>`), nothing crashes, and the
 * network keeps answering searches.
 */
import assert from 'node:assert/strict'
import type { Env, Machine, OverlaySpec, PeerRef } from '../../src/overlay/index.js'
import { fasttrackCodec } from '../../src/fasttrack/codec.js'
import type { FastTrackMsg, FtMessage } from '../../src/fasttrack/messages.js'
import { tiers, type FtSimNode } from '../../src/fasttrack/sim-network.js'
import { searchSync, testNet, type TestNet } from './helpers.js'

interface Raw extends Machine<FastTrackMsg> { env: Env<FastTrackMsg>, inbox: Array<{ from: string, m: FastTrackMsg }> }

const rawSpec: OverlaySpec<FastTrackMsg, unknown, Raw> = {
  name: 'raw',
  protocol: '/raw',
  codec: fasttrackCodec,
  create: (env) => {
    const inbox: Raw['inbox'] = []
    return { env, inbox, start () {}, stop () {}, onTimer () {}, onMessage (from: PeerRef, m: FastTrackMsg) { inbox.push({ from: from.id, m }) } }
  }
}

const qid = 'ab'.repeat(16)
const hash = (i: number): string => i.toString(16).padStart(64, '0')

describe('fasttrack bad input (simulator)', function () {
  this.timeout(30_000)
  let net: TestNet
  let sn: FtSimNode
  let leaf: FtSimNode
  let evil: { machine: Raw, ref: PeerRef }
  const bad = (reason: string): number => net.sim.stats.get(`ft.bad.${reason}`)
  const send = (to: FtSimNode, m: FtMessage): void => { evil.machine.env.send(to.ref, m); net.sim.run({ until: net.sim.now + 200 }) }

  before(() => {
    net = testNet({ nodes: 80, seed: 41, overlay: { maxLeaves: 30, maxSharesPerLeaf: 600 }, shares: i => [{ name: `good song ${i}.mp3`, size: i, hash: hash(i) }] })
    net.sim.run({ until: 20_000 })
    assert.equal(tiers(net.nodes).orphans, 0)
    sn = net.nodes.find(n => n.machine.isSupernode) as FtSimNode
    leaf = net.nodes.find(n => !n.machine.isSupernode) as FtSimNode
    evil = net.sim.spawn(rawSpec, {}) as unknown as { machine: Raw, ref: PeerRef }
  })

  it('refuses shares from a peer that is not an attached leaf', () => {
    send(sn, { type: 'shares', epoch: 1, files: [{ name: 'malware.exe', size: 1, hash: hash(999) }] })
    assert.equal(bad('shares-not-leaf'), 1)
    assert.equal(searchSync(net, leaf, 'malware').length, 0)
  })

  it('caps an oversized share list at maxSharesPerLeaf and drops malformed entries', () => {
    send(sn, { type: 'attach', capacity: 100, firewalled: false })
    const reply = evil.machine.inbox.find(x => x.m.type === 'attach_reply')
    assert.ok(reply !== undefined && (reply.m as { accepted: boolean }).accepted)
    for (let b = 0; b < 3; b++) {
      send(sn, { type: 'shares', epoch: 1, files: Array.from({ length: 500 }, (_, i) => ({ name: `spam ${b * 500 + i}`, size: 1, hash: hash(10_000 + b * 500 + i) })) })
    }
    assert.equal(sn.machine.supernodeRole?.index.countOf(evil.ref.id), 600)
    assert.ok(bad('shares-over-limit') >= 2)
    // an oversized frame (as objects in the simulator: the codec would refuse it on the wire) and malformed entries
    send(sn, { type: 'shares', epoch: 2, files: Array.from({ length: 501 }, (_, i) => ({ name: 'x', size: 1, hash: hash(i) })) })
    assert.equal(bad('shares-oversized'), 1)
    send(sn, { type: 'shares', epoch: 2, files: [{ name: 'y'.repeat(5000), size: 1, hash: hash(1) }, { name: 'z', size: -5, hash: hash(2) }, { name: 'ok', size: 5, hash: hash(3) }] })
    assert.equal(bad('share-malformed'), 2)
    assert.equal(sn.machine.supernodeRole?.index.countOf(evil.ref.id), 1, 'epoch 2 replaced the spam with the one good entry')
  })

  it('drops floods with abusive TTLs and queries from peers that are neither leaves nor linked supernodes', () => {
    send(sn, { type: 'query', qid, ttl: 200, hops: 0, text: 'good song' })
    assert.equal(bad('ttl'), 1)
    const other = net.nodes.find(n => n.machine.isSupernode && n !== sn) as FtSimNode
    send(other, { type: 'query', qid: 'cd'.repeat(16), ttl: 2, hops: 1, text: 'good song' })
    assert.equal(bad('query-not-linked'), 1)
    send(leaf, { type: 'query', qid: 'ef'.repeat(16), ttl: 2, hops: 0, text: 'good song' })
    assert.equal(bad('query-at-leaf'), 1)
  })

  it('drops hits for queries nobody asked and push requests for unknown leaves', () => {
    const fake = { peer: evil.ref, via: evil.ref, firewalled: false, name: 'good song 1.mp3', size: 1, hash: hash(1) }
    send(sn, { type: 'hit', qid: '12'.repeat(16), hops: 1, hits: [fake] })
    assert.equal(bad('hit-not-linked'), 1)
    send(leaf, { type: 'hit', qid: '34'.repeat(16), hops: 1, hits: [fake] })
    assert.equal(bad('unseen-hit'), 1)
    send(sn, { type: 'push', target: 'n999999', requester: evil.ref, hash: hash(1), token: '' })
    assert.equal(bad('push-unknown-target'), 1)
    send(leaf, { type: 'push', target: leaf.id, requester: evil.ref, hash: hash(1), token: '' })
    assert.equal(bad('push-unsolicited'), 1)
  })

  it('does not believe a node claiming to be a supernode without the capacity to have won an election', () => {
    // an unsolicited coordinator, a low-capacity link request, a slow "supernode" in a refresh sample
    send(leaf, { type: 'coordinator', eid: 77, winner: { peer: evil.ref, capacity: 99_999, leaves: 0, room: true } })
    assert.equal(bad('coordinator-unsolicited'), 1)
    send(sn, { type: 'link', capacity: 5, leaves: 0 })
    assert.equal(bad('link-ineligible'), 1)
    assert.equal(sn.machine.supernodeRole?.isLink(evil.ref.id), false)
    send(leaf, { type: 'probe_reply', capacity: 5, eligible: false, role: 1, leaves: 0, supernodes: [{ peer: evil.ref, capacity: 3, leaves: 0, room: true }], candidates: [] })
    assert.ok(bad('ineligible-claim') >= 2)
    assert.equal(leaf.machine.refresh.has(evil.ref.id), false)
    // an "accepted" attach reply we never asked for is answered with a detach, not followed
    const parent = leaf.machine.supernode?.id
    send(leaf, { type: 'attach_reply', accepted: true, capacity: 50_000, leaves: 0, supernodes: [], candidates: [] })
    assert.equal(leaf.machine.supernode?.id, parent)
    assert.ok(evil.machine.inbox.some(x => x.from === leaf.id && x.m.type === 'detach'))
  })

  it('keeps working: every abuse was counted and searches still succeed', () => {
    const asker = net.nodes.filter(n => !n.machine.isSupernode)[5]
    const hits = searchSync(net, asker, 'good song 42')
    assert.ok(hits.some(h => h.hash === hash(42)))
    assert.ok(net.sim.stats.get('ft.bad') >= 15)
  })
})
