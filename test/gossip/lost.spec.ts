/** Lost peers: remembered when they fail, probed every recovery period, taken back when they answer. */
import assert from 'node:assert/strict'
import { Rng } from '../../src/overlay/rng.js'
import { LostPeers } from '../../src/gossip/lost.js'
import { CyclonView } from '../../src/gossip/cyclon.js'
import { fakeNode, fire, take } from './helpers.js'

describe('gossip: lost peers and recovery probes', () => {
  it('LostPeers is bounded (oldest forgotten first), keeps known addresses and never holds self', () => {
    const lost = new LostPeers('me', 3)
    lost.add({ id: 'me' })
    lost.add({ id: 'a', addrs: ['/memory/a'] })
    lost.add({ id: 'b' }); lost.add({ id: 'c' })
    lost.add({ id: 'a' }) // lost again: moves to the end, keeps its address
    lost.add({ id: 'd' }) // b is now the oldest
    assert.deepEqual(lost.list().map(p => p.id), ['c', 'a', 'd'])
    assert.deepEqual(lost.list()[1].addrs, ['/memory/a'])
    const rng = new Rng(1)
    for (let i = 0; i < 20; i++) assert.ok(['c', 'a', 'd'].includes(lost.pick(rng)?.id ?? ''))
    assert.equal(lost.delete('a'), true)
    assert.equal(lost.has('a'), false)
  })

  it('full membership: an unreachable peer is not picked, is probed with anti-entropy, and is back once it answers', () => {
    const n = fakeNode('x', { mode: 'push', antiEntropy: { periodMs: 1000 }, recovery: { periodMs: 500 } })
    n.machine.onPeerConnected({ id: 'y' })
    n.machine.onPeerConnected({ id: 'z' })
    n.machine.onPeerUnreachable({ id: 'y' })
    assert.deepEqual(n.machine.membership.peers().map(p => p.id), ['z'])
    take(n)
    fire(n, 'recover')
    const probes = take(n)
    assert.deepEqual(probes.map(s => [s.to, s.msg.type]), [['y', 'ae']])
    assert.ok(n.timers.has('recover'), 'the probe timer is re-armed')
    // y answers (the partition healed): it is a partner again and no longer probed
    n.machine.onMessage({ id: 'y' }, { type: 'ae-reply', digest: [], mapSum: n.machine.map.checksum })
    assert.deepEqual(n.machine.membership.peers().map(p => p.id).sort(), ['y', 'z'])
    take(n)
    fire(n, 'recover')
    assert.deepEqual(take(n), [])
    assert.equal(n.timers.has('recover'), false, 'no lost peer: the probe timer stops')
    assert.equal(n.stats.get('gossip:recovered'), 1)
  })

  it('the probe timer runs only while a peer is lost; recovery periodMs 0 turns probing off', () => {
    const idle = fakeNode('x', {})
    assert.equal(idle.timers.has('recover'), false)
    const off = fakeNode('x', { recovery: { periodMs: 0 } })
    off.machine.onPeerUnreachable({ id: 'y' })
    assert.equal(off.timers.has('recover'), false)
  })

  it('Cyclon: a shuffle target that never answered is reported once; a probe answer merges like a shuffle answer', () => {
    const rng = new Rng(2)
    const v = new CyclonView({ id: 'me' }, { viewSize: 3, shuffleLength: 2 })
    for (const id of ['a', 'b', 'c']) v.add({ id })
    const s = v.startShuffle(rng)
    assert.ok(s !== undefined)
    assert.equal(v.unanswered()?.id, s.target.id)
    assert.equal(v.unanswered(), undefined, 'reported once')
    const s2 = v.startShuffle(rng)
    assert.ok(s2 !== undefined)
    v.onShuffleReply(s2.target, [])
    assert.equal(v.unanswered(), undefined, 'an answered target is not lost')
    // probing a lost peer drops nothing from the view; its answer replaces what we sent it
    const before = v.size
    const sent = v.probe(rng, { id: 'far' })
    assert.equal(sent[0].id, 'me')
    assert.equal(v.size, before)
    v.onShuffleReply({ id: 'far' }, [{ id: 'x', age: 0 }, { id: 'y', age: 0 }])
    assert.ok(v.peers().some(p => p.id === 'x' || p.id === 'y'), 'entries from across the cut entered the view')
    assert.ok(v.size <= 3)
  })
})
