import assert from 'node:assert/strict'
import { makeSearchWorkload, holdersOf, ZipfSampler, queryTextFor } from '../../src/search/workload.js'
import { keywordsOf, matches, KeywordIndex } from '../../src/search/keywords.js'
import { Rng } from '../../src/overlay/rng.js'

describe('search workload', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = makeSearchWorkload({ nodes: 500, queries: 200, seed: 7 })
    const b = makeSearchWorkload({ nodes: 500, queries: 200, seed: 7 })
    const c = makeSearchWorkload({ nodes: 500, queries: 200, seed: 8 })
    assert.deepEqual(a, b)
    assert.notDeepEqual(a.queries, c.queries)
  })

  it('has ~70 % free riders, Zipf-skewed replication and queries for files the asker lacks', () => {
    const w = makeSearchWorkload({ nodes: 2000, queries: 2000, seed: 3 })
    const free = w.shares.filter(s => s.length === 0).length
    assert.equal(free, 1400)
    const holders = holdersOf(w)
    // rank 0 is far more replicated than rank 50
    assert.ok(holders[0].length > 5 * Math.max(1, holders[50].length), `${holders[0].length} vs ${holders[50].length}`)
    let own = 0
    for (const q of w.queries) if (w.shares[q.from].includes(q.file)) own++
    assert.ok(own < w.queries.length * 0.01)
    // queries follow the same popularity: the most popular file is asked most
    const counts = new Map<number, number>()
    for (const q of w.queries) counts.set(q.file, (counts.get(q.file) ?? 0) + 1)
    const top = [...counts.entries()].sort((x, y) => y[1] - x[1])[0][0]
    assert.equal(top, 0)
    // arrival times increase
    for (let i = 1; i < w.queries.length; i++) assert.ok(w.queries[i].at >= w.queries[i - 1].at)
  })

  it('query text matches its file', () => {
    const w = makeSearchWorkload({ nodes: 100, queries: 50, seed: 1 })
    for (const q of w.queries) {
      const f = w.catalog[q.file]
      assert.equal(q.text, queryTextFor(f))
      assert.ok(matches(keywordsOf(q.text), f.keywords ?? []))
    }
  })

  it('Zipf sampler follows 1/r', () => {
    const z = new ZipfSampler(100, 1)
    const rng = new Rng(1)
    const n = 100_000
    let r0 = 0; let r1 = 0
    for (let i = 0; i < n; i++) { const r = z.sample(rng); if (r === 0) r0++; else if (r === 1) r1++ }
    assert.ok(Math.abs(r0 / n - z.p(0)) < 0.01)
    assert.ok(Math.abs(r0 / r1 - 2) < 0.15)
  })
})

describe('keywords', () => {
  it('tokenizes and matches whole words, AND semantics', () => {
    assert.deepEqual(keywordsOf('Big_Band-Live 02.MP3 big'), ['big', 'band', 'live', '02', 'mp3'])
    assert.ok(matches(['band', 'big'], keywordsOf('Big Band.mp3')))
    assert.ok(!matches(['ban'], keywordsOf('Big Band.mp3')))
    assert.ok(!matches([], keywordsOf('Big Band.mp3')))
  })

  it('index finds by the rarest keyword and removes cleanly', () => {
    const idx = new KeywordIndex<string, { keywords: string[], id: string }>()
    idx.add('a', { keywords: ['red', 'sun'], id: 'a' })
    idx.add('b', { keywords: ['red', 'moon'], id: 'b' })
    assert.deepEqual(idx.search(['red'], 10).map(x => x.id).sort(), ['a', 'b'])
    assert.deepEqual(idx.search(['red', 'moon'], 10).map(x => x.id), ['b'])
    assert.equal(idx.search(['red'], 1).length, 1)
    idx.remove('b')
    assert.deepEqual(idx.search(['moon'], 10), [])
    assert.equal(idx.keywordCount, 2)
  })
})
