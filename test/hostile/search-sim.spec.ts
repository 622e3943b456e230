/**
 * The search overlays' defences, seeded and hand-driven (FakeEnv: virtual time, no sleeps): the same
 * attacks as the live hostile tests, one machine at a time, so each bound is checked exactly.
 */
import assert from 'node:assert/strict'
import type { GnutellaMsg } from '../../src/gnutella/codec.js'
import type { Descriptor } from '../../src/gnutella/descriptor.js'
import { GnutellaServent, serventIdOf, type GnutellaHit } from '../../src/gnutella/servent.js'
import type { GnutellaOptions } from '../../src/gnutella/options.js'
import { Rng } from '../../src/overlay/rng.js'
import { toHex } from '../../src/overlay/ids.js'
import { FakeEnv } from '../search/fake-env.js'

const id = (n: number): string => n.toString(16).padStart(32, '0')

function servent (o: GnutellaOptions = {}): { env: FakeEnv<GnutellaMsg>, s: GnutellaServent } {
  const env = new FakeEnv<GnutellaMsg>({ id: 'me' })
  const s = new GnutellaServent(env, { maxDegree: 4, ...o })
  s.start()
  for (const n of ['honest', 'liar', 'other']) s.onMessage({ id: n }, { type: 'connect' })
  env.take()
  return { env, s }
}

describe('hostile search peers (seeded, hand-driven machines)', () => {
  it('gnutella: a QueryHit naming a third party with 36 results fills at most half of a search', () => {
    const { env, s } = servent()
    const hits: GnutellaHit[] = []
    s.search('blue moon', { limit: 20, timeoutMs: 5000 }, h => hits.push(h as GnutellaHit), () => {})
    const q = env.take()[0].msg as Extract<Descriptor, { type: 'query' }>
    const hit = (peer: string, names: string[]): Descriptor => ({
      type: 'queryhit', id: q.id, ttl: 5, hops: 1, port: 0, ip: '0.0.0.0', speed: 1, servent: serventIdOf(peer), push: false, peer: { id: peer },
      results: names.map((name, index) => ({ index, size: 1, name, hash: toHex(new Rng(name).bytes(32)) }))
    })
    s.onMessage({ id: 'liar' }, hit('victim', Array.from({ length: 36 }, (_, i) => `blue moon ${i}.mp3`)))
    s.onMessage({ id: 'honest' }, hit('holder', ['Blue Moon.mp3']))
    assert.equal(hits.filter(h => h.peer.id === 'victim').length, 10)
    assert.equal(hits.filter(h => h.peer.id === 'holder').length, 1)
    assert.equal(env.stats.get('gnutella:hit-neighbour-cap'), 26)
    // a hit whose servent id is not its peer's is refused outright
    s.onMessage({ id: 'liar' }, { ...hit('victim', ['blue moon x.mp3']), servent: serventIdOf('someone else') } as Descriptor)
    assert.equal(env.stats.get('gnutella:hit-servent-mismatch'), 1)
  })

  it('gnutella: fresh-id queries from one neighbour pass at its rate; past the abuse threshold it is dropped and refused', () => {
    const { env, s } = servent()
    const rng = new Rng('flood')
    for (let i = 0; i < 3000; i++) s.onMessage({ id: 'liar' }, { type: 'query', id: toHex(rng.bytes(16)), ttl: 7, hops: 0, minSpeed: 0, criteria: 'x' })
    const forwarded = env.take().filter(o => o.to === 'honest' && (o.msg as Descriptor).type === 'query').length
    assert.equal(forwarded, 200, 'the burst, then nothing (no time passed)')
    assert.equal(env.stats.get('gnutella:query-rate'), 200, '200 drops × 0.1 reach the eviction threshold of 20')
    assert.ok(!s.neighbours.has('liar'))
    assert.equal(env.stats.get('gnutella:drop-not-neighbour'), 3000 - 400)
    s.onMessage({ id: 'liar' }, { type: 'connect' })
    assert.deepEqual(env.take(), [{ to: 'liar', msg: { type: 'busy' } }])
    // after the back-off (retryMs) it may come back
    env.clock += 30_001
    s.onMessage({ id: 'liar' }, { type: 'connect' })
    assert.deepEqual(env.take(), [{ to: 'liar', msg: { type: 'ok' } }])
    // and an honest neighbour at its rate is never refused: 50 queries/s for 20 s
    for (let t = 0; t < 1000; t++) { env.clock += 20; s.onMessage({ id: 'honest' }, { type: 'query', id: toHex(rng.bytes(16)), ttl: 7, hops: 0, minSpeed: 0, criteria: 'x' }) }
    assert.ok(s.neighbours.has('honest'))
    assert.equal(env.stats.get('gnutella:query-rate'), 200)
  })

  it('gnutella: squatters holding every slot lose the longest-idle one to a newcomer after idleEvictMs, not before', () => {
    const { env, s } = servent({ maxDegree: 3, targetDegree: 2, idleEvictMs: 60_000 })
    s.onMessage({ id: 'honest-newcomer' }, { type: 'connect' })
    assert.deepEqual(env.take(), [{ to: 'honest-newcomer', msg: { type: 'busy' } }])
    env.clock = 30_000
    // 'honest' forwards a query (useful); the squatters only keep their links alive
    s.onMessage({ id: 'honest' }, { type: 'query', id: id(1), ttl: 3, hops: 0, minSpeed: 0, criteria: 'x' })
    for (const n of ['liar', 'other']) s.onMessage({ id: n }, { type: 'ping', id: id(100), ttl: 1, hops: 0 })
    env.clock = 61_000
    env.take()
    s.onMessage({ id: 'honest-newcomer' }, { type: 'connect' })
    assert.ok(env.take().some(o => o.to === 'honest-newcomer' && o.msg.type === 'ok'))
    assert.ok(s.neighbours.has('honest-newcomer') && s.neighbours.has('honest'))
    assert.equal(s.neighbours.size, 3)
    assert.equal(env.stats.get('gnutella:neighbour-lost:evicted-idle'), 1)
  })
})
