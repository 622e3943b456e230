/** The seen-set: exactly-once bookkeeping that stays bounded. */
import assert from 'node:assert/strict'
import { SeenSet } from '../../src/gossip/seen.js'

describe('gossip seen-set', () => {
  it('tracks a contiguous watermark plus out-of-order seqs, and digests them compactly', () => {
    const s = new SeenSet()
    assert.equal(s.add('a', 1, 0), true)
    assert.equal(s.add('a', 3, 0), true)
    assert.equal(s.add('a', 1, 0), false)
    assert.deepEqual(s.digest(-1), [{ origin: 'a', watermark: 1, extra: [3] }])
    s.add('a', 2, 0)
    assert.deepEqual(s.digest(-1), [{ origin: 'a', watermark: 3, extra: [] }])
    assert.equal(s.has('a', 2), true)
    assert.equal(s.has('a', 4), false)
    assert.equal(s.covers([{ origin: 'a', watermark: 3, extra: [] }]), true)
    assert.equal(s.covers([{ origin: 'a', watermark: 3, extra: [5] }]), false)
  })

  it('jumps over gaps whose updates have expired, so out-of-order state does not pile up', () => {
    const s = new SeenSet()
    s.add('a', 5, 100) // 1..4 never arrived
    s.expireGaps(50)
    assert.equal(s.watermark('a'), 0)
    s.expireGaps(101) // seq 5 is older than the TTL horizon: 1..4 are older still
    assert.equal(s.watermark('a'), 5)
    assert.equal(s.skipped, 4)
    assert.equal(s.add('a', 3, 0), false, 'a replay of an expired seq stays rejected')
  })

  it('caps out-of-order seqs per origin and origins overall', () => {
    const s = new SeenSet({ maxExtra: 10, maxOrigins: 3 })
    for (let i = 0; i < 50; i++) s.add('a', 2 + 2 * i, i)
    assert.ok(s.digest(-1)[0].extra.length <= 10)
    for (const o of ['b', 'c', 'd', 'e']) s.add(o, 1, 1000)
    assert.equal(s.size, 3)
  })
})
