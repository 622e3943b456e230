import assert from 'node:assert/strict'
import { Rng } from '../../src/overlay/index.js'
import { capacityScore, compareRank } from '../../src/fasttrack/capacity.js'
import { CandidateList, RefreshList } from '../../src/fasttrack/refresh-list.js'
import { ShareIndex } from '../../src/fasttrack/share-index.js'
import { AttachBackoff, RttEstimator } from '../../src/fasttrack/attach-backoff.js'
import type { SupernodeInfo } from '../../src/fasttrack/messages.js'

const sn = (i: number, leaves = 0, room = true): SupernodeInfo => ({ peer: { id: `s${i}` }, capacity: 1000 + i, leaves, room })
const hash = (i: number): string => i.toString(16).padStart(64, '0')

describe('fasttrack data structures', () => {
  it('refresh list: bounded at its size, evicts the stalest, never lists itself', () => {
    const r = new RefreshList(200, 's0')
    for (let i = 0; i < 250; i++) r.upsert(sn(i), i)
    assert.equal(r.size, 200)
    assert.equal(r.has('s0'), false)
    assert.equal(r.has('s1'), false, 'the stalest went first')
    assert.equal(r.has('s249'), true)
    r.remove('s249'); r.remove('s249')
    assert.equal(r.size, 199)
    assert.equal(new Set(r.sample(new Rng(1), 50).map(s => s.peer.id)).size, 50, 'samples are distinct')
  })

  it('refresh list: a second-hand report adds unknown supernodes but never overwrites a first-hand one', () => {
    const r = new RefreshList(10, 'me')
    r.upsert(sn(1, 150, false), 100)
    r.upsert(sn(1, 0, true), 200, true)
    assert.deepEqual(r.get('s1'), sn(1, 150, false))
    r.upsert(sn(2, 3, true), 200, true)
    assert.equal(r.get('s2')?.leaves, 3)
    r.upsert(sn(1, 20, true), 300)
    assert.equal(r.get('s1')?.room, true)
  })

  it('refresh list: attach picks prefer supernodes with room and skip the excluded ones', () => {
    const r = new RefreshList(10, 'me')
    r.upsert(sn(1, 150, false), 1); r.upsert(sn(2, 10), 1); r.upsert(sn(3, 90), 1)
    const rng = new Rng(5)
    for (let k = 0; k < 50; k++) assert.notEqual(r.pickForAttach(rng, new Set())?.peer.id, 's1')
    assert.equal(r.pickForAttach(rng, new Set(['s2', 's3']))?.peer.id, 's1', 'a full report may be stale: tried last')
    assert.equal(r.pickForAttach(rng, new Set(['s1', 's2', 's3'])), undefined)
  })

  it('candidates: ranked by (capacity, id), only those above the asker', () => {
    const c = new CandidateList(8, 'me')
    c.upsert({ peer: { id: 'a' }, capacity: 2000 }, 1)
    c.upsert({ peer: { id: 'b' }, capacity: 3000 }, 1)
    c.upsert({ peer: { id: 'c' }, capacity: 3000 }, 1)
    assert.deepEqual(c.higherThan(2000, 'a', 8).map(x => x.peer.id), ['c', 'b'])
    assert.deepEqual(c.higherThan(undefined, 'me', 2).map(x => x.peer.id), ['c', 'b'])
    assert.ok(compareRank(3000, 'c', 3000, 'b') > 0)
    assert.equal(capacityScore(1000, 0, 3_600_000), 1000)
    assert.equal(capacityScore(1000, 3_600_000, 3_600_000), 2000)
    assert.equal(capacityScore(1000, 100, 3_600_000), 1000, 'uptime counts in steps, so a rank does not drift within an election')
  })

  it('share index: a per-leaf limit, removal by owner, and distinct files before extra copies', () => {
    const ix = new ShareIndex(3)
    const via = { id: 'sn' }
    for (let i = 0; i < 5; i++) ix.add({ id: 'L' }, false, { name: `blue moon ${i}.mp3`, size: i, hash: hash(i) })
    assert.equal(ix.countOf('L'), 3)
    // 30 leaves share one popular file, one leaf a rarer one with the same words
    for (let i = 0; i < 30; i++) ix.add({ id: `P${i}` }, false, { name: 'blue river.mp3', size: 1, hash: hash(100) })
    ix.add({ id: 'R' }, true, { name: 'blue river live.mp3', size: 1, hash: hash(101) })
    const hits = ix.search('blue river', 5, via)
    assert.equal(hits.length, 5)
    assert.ok(hits.some(h => h.hash === hash(101) && h.firewalled && h.via.id === 'sn'), 'the rare file is not crowded out')
    assert.equal(ix.search('blue river', 50, via, 'R').some(h => h.peer.id === 'R'), false, 'the asker never gets its own files')
    assert.equal(ix.removeOwner('P3'), 1)
    assert.equal(ix.has('P3', hash(100)), false)
  })
  it('attach backoff: timeouts double up to the cap, back off as long as waited, late replies count once per request', () => {
    const b = new AttachBackoff(2000, 8000, 5000)
    assert.equal(b.timeoutFor('s1'), 2000)
    assert.equal(b.timedOut('s1', 100, 2000), 1)
    assert.deepEqual(b.waitingIds(1000), ['s1'])
    assert.deepEqual(b.waitingIds(2100), [], 'retry after as long as it waited')
    assert.equal(b.timeoutFor('s1'), 4000)
    b.timedOut('s1', 3000, 4000); b.timedOut('s1', 8000, 8000)
    assert.equal(b.timeoutFor('s1'), 8000, 'capped')
    assert.equal(b.nextRetry(8000, 3, () => true), undefined, 'tried too often: not waited for')
    assert.equal(b.nextRetry(8000, Infinity, () => true), 16_000)
    b.answered('s1')
    assert.equal(b.timeoutFor('s1'), 2000)
    // one reply per request, within lateMs; with two out, no round-trip sample
    assert.equal(b.take('s2', 0), undefined, 'never asked')
    b.sent('s2', 0)
    assert.deepEqual(b.take('s2', 3000), { rttMs: 3000 })
    assert.equal(b.take('s2', 3100), undefined, 'a repeated reply')
    b.sent('s3', 0); b.sent('s3', 1000)
    assert.deepEqual(b.take('s3', 1500), { rttMs: undefined })
    assert.deepEqual(b.take('s3', 2500), { rttMs: 1500 })
    b.sent('s4', 0)
    assert.equal(b.take('s4', 5001), undefined, 'too late: the supernode has forgotten us by now')
    b.notASupernode('s5', 0)
    assert.ok(b.knownNotSupernode('s5', 3000, 4000))
    assert.ok(!b.knownNotSupernode('s5', 4001, 4000))
  })

  it('round-trip estimator: timeouts never below the configured floor, grow with slow round trips, capped', () => {
    const r = new RttEstimator()
    assert.equal(r.timeout(2000, 10_000), 2000, 'no sample yet')
    for (let i = 0; i < 10; i++) r.sample(20)
    assert.equal(r.timeout(2000, 10_000), 2000, 'a fast network keeps the configured timeout')
    for (let i = 0; i < 20; i++) r.sample(3000)
    const t = r.timeout(2000, 10_000)
    assert.ok(t > 3000 && t <= 10_000, `slow round trips stretch it: ${t}`)
    for (let i = 0; i < 5; i++) r.sample(60_000)
    assert.equal(r.timeout(2000, 10_000), 10_000)
    r.sample(Number.NaN); r.sample(-1)
    assert.equal(r.timeout(2000, 10_000), 10_000, 'bad samples ignored')
  })
})
