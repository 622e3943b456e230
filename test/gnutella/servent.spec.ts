/** The servent's per-hop rules, one descriptor at a time (hand-driven Env). */
import assert from 'node:assert/strict'
import type { GnutellaMsg } from '../../src/gnutella/codec.js'
import type { Descriptor } from '../../src/gnutella/descriptor.js'
import { GnutellaServent, serventIdOf } from '../../src/gnutella/servent.js'
import type { GnutellaOptions } from '../../src/gnutella/options.js'
import { FakeEnv } from '../search/fake-env.js'

const HASH = 'cd'.repeat(32)
const id = (n: number): string => n.toString(16).padStart(32, '0')

function setup (o: GnutellaOptions = {}) {
  const env = new FakeEnv<GnutellaMsg>({ id: 'me' })
  const s = new GnutellaServent(env, { maxDegree: 4, ...o })
  s.start()
  for (const n of ['a', 'b', 'c']) s.onMessage({ id: n }, { type: 'connect' })
  env.take()
  s.share({ name: 'blue moon.mp3', size: 1234, hash: HASH }, 'store/blue')
  return { env, s }
}
const q = (n: number, ttl: number, hops: number, criteria = 'nothing here'): Descriptor => ({ type: 'query', id: id(n), ttl, hops, minSpeed: 0, criteria })
const count = (env: FakeEnv<GnutellaMsg>, k: string): number => env.stats.get(k)

describe('gnutella servent rules', () => {
  it('floods a Query to every neighbour but the sender, TTL-1 and hops+1', () => {
    const { env, s } = setup()
    s.onMessage({ id: 'a' }, q(1, 3, 0))
    const out = env.take()
    assert.deepEqual(out.map(o => o.to).sort(), ['b', 'c'])
    for (const o of out) { assert.equal((o.msg as Descriptor).ttl, 2); assert.equal((o.msg as Descriptor).hops, 1) }
  })

  it('drops duplicates by (id, type), but the same id with another type is new', () => {
    const { env, s } = setup()
    s.onMessage({ id: 'a' }, q(1, 3, 0))
    env.take()
    s.onMessage({ id: 'b' }, q(1, 3, 0))
    assert.equal(env.take().length, 0)
    assert.equal(count(env, 'gnutella:drop-duplicate'), 1)
    s.onMessage({ id: 'b' }, { type: 'ping', id: id(1), ttl: 2, hops: 0 })
    assert.ok(env.take().length >= 1, 'a ping with a query\'s id is a different descriptor')
  })

  it('TTL 0 dropped, hops > 7 dropped, TTL+hops > 7 clamped (TTL 255 included) and counted', () => {
    const { env, s } = setup()
    s.onMessage({ id: 'a' }, q(1, 0, 3))
    s.onMessage({ id: 'a' }, q(2, 1, 8))
    assert.equal(env.take().length, 0)
    assert.equal(count(env, 'gnutella:drop-ttl0'), 1)
    assert.equal(count(env, 'gnutella:drop-hops'), 1)
    s.onMessage({ id: 'a' }, q(3, 255, 0))
    const out = env.take()
    assert.equal(out.length, 2)
    assert.equal((out[0].msg as Descriptor).ttl, 6)
    s.onMessage({ id: 'a' }, q(4, 5, 5))
    assert.equal((env.take()[0].msg as Descriptor).ttl, 1)
    assert.equal(count(env, 'gnutella:ttl-clamped'), 2)
  })

  it('answers a matching Query with a QueryHit to the sender (TTL = hops travelled), stops at TTL 1', () => {
    const { env, s } = setup()
    s.onMessage({ id: 'b' }, q(9, 1, 2, 'moon blue'))
    const out = env.take()
    assert.equal(out.length, 1, 'TTL 1: answered, not forwarded')
    const hit = out[0].msg as Extract<Descriptor, { type: 'queryhit' }>
    assert.equal(out[0].to, 'b')
    assert.equal(hit.type, 'queryhit')
    assert.equal(hit.id, id(9))
    assert.equal(hit.ttl, 3)
    assert.equal(hit.hops, 0)
    assert.deepEqual(hit.results.map(r => [r.name, r.size, r.hash]), [['blue moon.mp3', 1234, HASH]])
    assert.equal(hit.servent, s.servent)
  })

  it('routes QueryHit, Pong and Push back along the reverse path only; unmatched ones are dropped', () => {
    const { env, s } = setup()
    const hitFor = (n: number): Descriptor => ({ type: 'queryhit', id: id(n), ttl: 3, hops: 1, port: 0, ip: '0.0.0.0', speed: 1, results: [{ index: 1, size: 1, name: 'x', hash: HASH }], servent: serventIdOf('holder'), push: true, peer: { id: 'holder' } })
    s.onMessage({ id: 'c' }, hitFor(42))
    assert.equal(env.take().length, 0)
    assert.equal(count(env, 'gnutella:drop-no-route'), 1)
    s.onMessage({ id: 'a' }, q(42, 4, 0))
    env.take()
    s.onMessage({ id: 'c' }, hitFor(42))
    assert.deepEqual(env.take().map(o => o.to), ['a'])
    s.onMessage({ id: 'b' }, { type: 'pong', id: id(77), ttl: 3, hops: 1, port: 0, ip: '0.0.0.0', files: 0, kbytes: 0 })
    assert.equal(env.take().length, 0)
    // the Push for servent ee… goes where its QueryHit came from (c), nowhere else
    s.onMessage({ id: 'a' }, { type: 'push', id: id(5), ttl: 4, hops: 0, servent: serventIdOf('holder'), index: 1, ip: '0.0.0.0', port: 0, peer: { id: 'a' } })
    assert.deepEqual(env.take().map(o => o.to), ['c'])
    s.onMessage({ id: 'a' }, { type: 'push', id: id(6), ttl: 4, hops: 0, servent: '11'.repeat(16), index: 1, ip: '0.0.0.0', port: 0 })
    assert.equal(env.take().length, 0)
  })

  it('forwards at most maxHitsPerQuery QueryHits per query (no amplification by a lying servent)', () => {
    const { env, s } = setup({ maxHitsPerQuery: 5 })
    s.onMessage({ id: 'a' }, q(50, 4, 0))
    env.take()
    for (let i = 0; i < 20; i++) s.onMessage({ id: 'b' }, { type: 'queryhit', id: id(50), ttl: 3, hops: 1, port: 0, ip: '0.0.0.0', speed: 1, results: [], servent: 'aa'.repeat(16), push: false })
    assert.equal(env.take().length, 5)
    assert.equal(count(env, 'gnutella:drop-hit-cap'), 15)
  })

  it('with pong caching a Ping is answered (own pong + cached pongs) and not forwarded; without, it floods', () => {
    const { env, s } = setup()
    // fill the cache with pongs answering our own ping
    s.onTimer('ping')
    const ping = env.take().find(o => (o.msg as Descriptor).type === 'ping')?.msg as Descriptor
    for (const [i, via] of [[1, 'b'], [2, 'b'], [3, 'c']] as const) {
      s.onMessage({ id: via }, { type: 'pong', id: ping.id, ttl: 1, hops: 1, port: 0, ip: '0.0.0.0', files: 1, kbytes: 1, peer: { id: `host${i}` } })
    }
    env.take()
    s.onMessage({ id: 'a' }, { type: 'ping', id: id(300), ttl: 7, hops: 0 })
    const out = env.take()
    assert.ok(out.every(o => o.to === 'a'), 'the ping was forwarded')
    assert.equal(out.length, 4, 'own pong + 3 cached')
    const plain = setup({ pongCaching: false })
    plain.s.onMessage({ id: 'a' }, { type: 'ping', id: id(301), ttl: 7, hops: 0 })
    assert.deepEqual(plain.env.take().map(o => o.to).sort(), ['a', 'b', 'c'])
  })

  it('refuses a CONNECT beyond maxDegree, ignores descriptors from non-neighbours, bounds its route table', () => {
    const { env, s } = setup({ maxDegree: 3, targetDegree: 2, routeTableSize: 10 })
    s.onMessage({ id: 'd' }, { type: 'connect' })
    assert.deepEqual(env.take(), [{ to: 'd', msg: { type: 'busy' } }])
    s.onMessage({ id: 'stranger' }, q(1, 3, 0))
    assert.equal(env.take().length, 0)
    assert.equal(count(env, 'gnutella:drop-not-neighbour'), 1)
    for (let i = 0; i < 100; i++) s.onMessage({ id: 'a' }, q(1000 + i, 2, 0))
    assert.ok((s as any).routes.size <= 10)
  })

  it('own searches: hits arrive with hops, are filtered by keywords, late hits are counted', () => {
    const { env, s } = setup()
    const hits: string[] = []
    let ended = false
    s.search('blue', { limit: 10, timeoutMs: 1000 }, h => hits.push(`${h.name}/${h.hops}`), () => { ended = true })
    const query = env.take()[0].msg as Descriptor
    assert.equal(query.ttl, 7)
    const hit = (name: string): Descriptor => ({ type: 'queryhit', id: query.id, ttl: 2, hops: 1, port: 0, ip: '0.0.0.0', speed: 1, results: [{ index: 1, size: 1, name, hash: HASH }], servent: serventIdOf('h'), push: false, peer: { id: 'h' } })
    s.onMessage({ id: 'b' }, hit('Blue Sky.mp3'))
    s.onMessage({ id: 'b' }, hit('red.mp3'))
    assert.deepEqual(hits, ['Blue Sky.mp3/2'])
    assert.equal(count(env, 'gnutella:hit-not-matching'), 1)
    s.onTimer(`s:${query.id}`)
    assert.equal(ended, true)
    s.onMessage({ id: 'b' }, hit('Blue Sky.mp3'))
    assert.equal(count(env, 'gnutella:late-hits'), 1)
  })
})
