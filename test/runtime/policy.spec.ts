/** The peer-policy parts on their own, with time passed in: buckets, decaying scores, the refusal list, layering. */
import assert from 'node:assert/strict'
import { RESOURCE_DEFAULTS, resolveResourcePolicy } from '../../src/overlay/resources.js'
import { Stats } from '../../src/overlay/stats.js'
import { TokenBucket } from '../../src/runtime/policy/bucket.js'
import { PeerGate } from '../../src/runtime/policy/gate.js'
import { PeerPolicy, type CutOff } from '../../src/runtime/policy/peers.js'
import { PeerScore } from '../../src/runtime/policy/score.js'

describe('peer policy', function () {
  it('a token bucket allows its burst, then its rate, and says how long to wait', function () {
    const b = new TokenBucket({ perSec: 100, burst: 10 }, 0)
    for (let i = 0; i < 10; i++) assert.ok(b.take(1, 0))
    assert.equal(b.take(1, 0), false)
    assert.equal(b.waitMs(5), 50)
    assert.equal(b.take(1, 5), false)
    assert.ok(b.take(1, 10))
    // never more than the burst, however long it was idle
    assert.ok(b.take(10, 1e6))
    assert.equal(b.take(1, 1e6), false)
  })

  it('a score decays by its half-life and remembers its first offence', function () {
    const s = new PeerScore({ ...RESOURCE_DEFAULTS.score, threshold: 100, halfLifeMs: 1000 })
    assert.equal(s.add(60, 500), false)
    assert.equal(s.since, 500)
    assert.ok(Math.abs(s.current(1500) - 30) < 1e-9)
    assert.equal(s.add(60, 1500), false)
    assert.equal(s.add(20, 1500), true)
    assert.equal(s.since, 500)
    // long after, it is zero again and a new offence starts a new episode
    assert.equal(s.current(100_000), 0)
    s.add(1, 100_000)
    assert.equal(s.since, 100_000)
  })

  it('the refusal list doubles the back-off per strike, up to its maximum, and forgets expired refusals', function () {
    const g = new PeerGate()
    assert.equal(g.refuse('p', 100, 350, 0), 100)
    assert.ok(g.isRefused('p', 99))
    assert.equal(g.isRefused('p', 100), false)
    assert.equal(g.refuse('p', 100, 350, 200), 200)
    assert.equal(g.refuse('p', 100, 350, 500), 350)
    assert.deepEqual(g.refused(600).map(r => r.peer), ['p'])
    assert.deepEqual(g.refused(10_000), [])
  })

  it('a peer is cut off once past the threshold, counted under stable names, and held bytes are budgeted', function () {
    const stats = new Stats()
    const cuts: CutOff[] = []
    const policy = resolveResourcePolicy({ maxBufferedBytesPerPeer: 100, maxBufferedBytesTotal: 150, score: { threshold: 10, weights: { decodeError: 4 } } })
    const p = new PeerPolicy(policy, new PeerGate(), stats, c => { cuts.push(c) })
    p.streamOpened('a')
    p.streamOpened('b')
    assert.ok(p.hold('a', 100))
    assert.equal(p.hold('a', 1), false)
    assert.equal(p.hold('b', 60), false, 'the total budget')
    assert.ok(p.hold('b', 50))
    assert.equal(stats.messages.get('over-budget')?.dropped, 2)
    p.hold('a', -100)
    assert.equal(p.buffered, 50)
    // the refusal list runs on performance.now(): penalise at the current time
    const t = performance.now()
    for (let i = 0; i < 3; i++) p.penalize('a', 'decode-error', policy.score.weights.decodeError, t)
    assert.equal(cuts.length, 1)
    assert.equal(cuts[0].peer, 'a')
    assert.equal(cuts[0].reason, 'decode-error')
    assert.ok(p.isRefused('a'))
    assert.equal(stats.get('driver:banned'), 1)
    assert.equal(stats.get('driver:penalty:decode-error'), 3)
    // already refused: no second cut-off
    p.penalize('a', 'decode-error', 4, t)
    assert.equal(cuts.length, 1)
  })

  it('policy layers: defaults, then the overlay, then the application, nested objects partially', function () {
    const p = resolveResourcePolicy({ frames: { perSec: 10 } }, { frames: { burst: 5 }, score: { weights: { slow: 1 } } })
    assert.deepEqual(p.frames, { perSec: 10, burst: 5 })
    assert.equal(p.score.weights.slow, 1)
    assert.equal(p.score.weights.decodeError, RESOURCE_DEFAULTS.score.weights.decodeError)
    assert.equal(p.score.threshold, RESOURCE_DEFAULTS.score.threshold)
    // the defaults object is never mutated
    assert.equal(RESOURCE_DEFAULTS.frames.perSec, 4000)
  })
})
