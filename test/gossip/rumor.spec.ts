/** State transitions of every rumor-mongering variant, driven by hand through a fake Env. */
import assert from 'node:assert/strict'
import { fakeNode, fire, take, peersOf } from './helpers.js'
import type { GossipOptions } from '../../src/gossip/options.js'

const base = (o: GossipOptions): GossipOptions => ({
  periodMs: 1000, alignRounds: true, antiEntropy: { periodMs: 0 }, ttlMs: 1e9,
  membership: { kind: 'full', peers: peersOf(['a', 'b']) }, ...o
})

function rumorTo (msgs: ReturnType<typeof take>): { to: string, updates: number, pull: boolean } {
  const r = msgs.find(m => m.msg.type === 'rumor')
  if (r === undefined || r.msg.type !== 'rumor') throw new Error('no rumor sent')
  return { to: r.to, updates: r.msg.updates.length, pull: r.msg.pull }
}

describe('gossip rumor mongering: state transitions', () => {
  it('push: a publisher is infected and pushes its hot rumor every round to its partner', () => {
    const a = fakeNode('a', base({ mode: 'push', stop: 'feedback-counter', k: 2 }))
    a.machine.publish('t', new Uint8Array([1]))
    assert.equal(a.machine.hotCount, 1)
    fire(a, 'round')
    assert.deepEqual(rumorTo(take(a)), { to: 'b', updates: 1, pull: false })
    assert.equal(a.timers.has('round'), true)
  })

  it('push, feedback + counter: k consecutive useless rounds remove; a useful contact resets the counter', () => {
    const a = fakeNode('a', base({ mode: 'push', stop: 'feedback-counter', k: 2 }))
    const id = a.machine.publish('t', new Uint8Array([1]))
    const [seq, origin] = [Number(id.split('@')[0]), id.slice(id.indexOf('@') + 1)]
    const useless = (): void => { a.machine.onMessage({ id: 'b' }, { type: 'feedback', known: [{ origin, seq }], fresh: [] }) }
    const useful = (): void => { a.machine.onMessage({ id: 'b' }, { type: 'feedback', known: [], fresh: [{ origin, seq }] }) }
    fire(a, 'round'); useless() // counter settles to 1 at the next round
    fire(a, 'round'); useful() // reset
    fire(a, 'round'); assert.equal(a.machine.hotCount, 1)
    useless(); fire(a, 'round'); assert.equal(a.machine.hotCount, 1) // counter 1
    useless(); fire(a, 'round') // counter 2 = k: removed
    assert.equal(a.machine.hotCount, 0)
    assert.equal(a.timers.has('round'), false) // push sleeps when nothing is hot
  })

  it('push, feedback + coin with k = 1: the first useless contact removes', () => {
    const a = fakeNode('a', base({ mode: 'push', stop: 'feedback-coin', k: 1 }))
    const id = a.machine.publish('t', new Uint8Array([1]))
    const [seq, origin] = [Number(id.split('@')[0]), id.slice(id.indexOf('@') + 1)]
    fire(a, 'round')
    a.machine.onMessage({ id: 'b' }, { type: 'feedback', known: [], fresh: [{ origin, seq }] })
    assert.equal(a.machine.hotCount, 1)
    a.machine.onMessage({ id: 'b' }, { type: 'feedback', known: [{ origin, seq }], fresh: [] })
    assert.equal(a.machine.hotCount, 0)
  })

  it('push, blind + counter: removed after k pushes whatever the answers', () => {
    const a = fakeNode('a', base({ mode: 'push', stop: 'blind-counter', k: 3 }))
    a.machine.publish('t', new Uint8Array([1]))
    for (let i = 0; i < 3; i++) { assert.equal(a.machine.hotCount, 1); fire(a, 'round') }
    assert.equal(take(a).filter(m => m.msg.type === 'rumor').length, 3)
    assert.equal(a.machine.hotCount, 0)
  })

  it('push, blind + coin with k = 1: removed after the first push', () => {
    const a = fakeNode('a', base({ mode: 'push', stop: 'blind-coin', k: 1 }))
    a.machine.publish('t', new Uint8Array([1]))
    fire(a, 'round')
    assert.equal(a.machine.hotCount, 0)
  })

  it('a receiver becomes infected, delivers once, and answers feedback (known vs fresh)', () => {
    const a = fakeNode('a', base({ mode: 'push', stop: 'feedback-counter', k: 2 }))
    const b = fakeNode('b', base({ mode: 'push', stop: 'feedback-counter', k: 2 }))
    a.machine.publish('t', new Uint8Array([7]))
    fire(a, 'round')
    const push = take(a)[0].msg
    b.clock.now = 1010
    b.machine.onMessage(a.ref, push)
    assert.equal(b.machine.hotCount, 1)
    assert.equal(b.events.filter(e => e.type === 'gossip:deliver').length, 1)
    let fb = take(b)[0].msg
    assert.equal(fb.type === 'feedback' && fb.fresh.length === 1 && fb.known.length === 0, true)
    // same push again in a later round: known, not delivered again
    b.clock.now = 2010
    b.machine.onMessage(a.ref, push)
    assert.equal(b.events.filter(e => e.type === 'gossip:deliver').length, 1)
    fb = take(b)[0].msg
    assert.equal(fb.type === 'feedback' && fb.known.length === 1, true)
  })

  it('pull: every node pulls each round; an infected partner serves its hot rumors and counts the feedback', () => {
    const a = fakeNode('a', base({ mode: 'pull', stop: 'feedback-counter', k: 1 }))
    const b = fakeNode('b', base({ mode: 'pull', stop: 'feedback-counter', k: 1 }))
    b.machine.publish('t', new Uint8Array([1]))
    fire(a, 'round')
    const req = take(a)[0]
    assert.ok(req.msg.type === 'rumor' && req.msg.pull)
    assert.equal(req.msg.type === 'rumor' && req.msg.updates.length, 0)
    b.clock.now = 1010
    b.machine.onMessage(a.ref, req.msg)
    const reply = take(b)[0].msg
    assert.equal(reply.type === 'reply' && reply.updates.length, 1)
    a.clock.now = 1020
    a.machine.onMessage(b.ref, reply)
    assert.equal(a.machine.hotCount, 1)
    const fb = take(a).find(m => m.msg.type === 'feedback')?.msg
    assert.equal(fb?.type === 'feedback' && fb.fresh.length, 1)
    // a second pull from a node that already has it is useless: with k = 1 the server stops
    b.clock.now = 2010
    b.machine.onMessage(a.ref, req.msg)
    const again = take(b)[0].msg
    b.machine.onMessage(a.ref, { type: 'feedback', known: again.type === 'reply' ? again.updates.map(u => ({ origin: u.origin, seq: u.seq })) : [], fresh: [] })
    fire(b, 'round')
    assert.equal(b.machine.hotCount, 0)
  })

  it('push-pull: one contact carries our hot rumors and fetches the partner\'s', () => {
    const a = fakeNode('a', base({ mode: 'push-pull', stop: 'feedback-counter', k: 2 }))
    const b = fakeNode('b', base({ mode: 'push-pull', stop: 'feedback-counter', k: 2 }))
    a.machine.publish('x', new Uint8Array([1]))
    b.machine.publish('y', new Uint8Array([2]))
    fire(a, 'round')
    const contact = take(a)[0].msg
    assert.equal(contact.type === 'rumor' && contact.updates.length === 1 && contact.pull, true)
    b.machine.onMessage(a.ref, contact)
    const reply = take(b)[0].msg
    assert.equal(reply.type === 'reply' && reply.updates.length === 1 && reply.fresh.length === 1, true)
    a.machine.onMessage(b.ref, reply)
    assert.equal(a.events.filter(e => e.type === 'gossip:deliver').length, 1)
    assert.equal(b.events.filter(e => e.type === 'gossip:deliver').length, 1)
  })

  it('connection limit: contacts beyond the limit in one round are refused with busy', () => {
    const b = fakeNode('b', base({ mode: 'push', connectionLimit: 1 }))
    const a = fakeNode('a', base({ mode: 'push' }))
    a.machine.publish('t', new Uint8Array([1]))
    fire(a, 'round')
    const push = take(a)[0].msg
    b.machine.onMessage({ id: 'a' }, push)
    b.machine.onMessage({ id: 'c' }, push)
    const out = take(b)
    assert.deepEqual(out.filter(m => m.msg.type === 'busy').map(m => m.to), ['c'])
    assert.equal(b.stats.get('gossip:busy'), 1)
  })

  it('eager: a new rumor is pushed at once, not at the next round', () => {
    const a = fakeNode('a', base({ mode: 'push', eager: true }))
    a.machine.publish('t', new Uint8Array([1]))
    assert.equal(take(a).filter(m => m.msg.type === 'rumor').length, 1)
  })
})
