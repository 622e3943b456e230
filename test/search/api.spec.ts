/** The FileSearch plumbing over a fake SearchMachine: streaming hits, limit, abort, errors, fetch. */
import assert from 'node:assert/strict'
import type { SearchHit } from '../../src/overlay/capabilities.js'
import { FileSearchApi, type SearchMachine } from '../../src/search/api.js'
import type { DownloadCallbacks } from '../../src/search/transfer.js'

const hit = (n: number): SearchHit => ({ peer: { id: `p${n}` }, name: `f${n}`, size: n, hash: String(n).padStart(64, '0'), hops: 1 })

class FakeMachine implements SearchMachine {
  shared: string[] = []
  onHit: ((h: SearchHit) => void) | undefined
  done: ((e: Error | null) => void) | undefined
  cancelled = 0
  fetchCb: DownloadCallbacks | undefined
  share (f: { hash: string }, store: string): void { this.shared.push(`${f.hash}@${store}`) }
  unshare (): void {}
  search (_t: string, _o: unknown, onHit: (h: SearchHit) => void, done: (e: Error | null) => void): () => void {
    this.onHit = onHit; this.done = done
    return () => { this.cancelled++ }
  }

  fetch (_h: SearchHit, _r: unknown, cb: DownloadCallbacks): () => void { this.fetchCb = cb; return () => { this.cancelled++ } }
}

describe('FileSearchApi', () => {
  it('streams hits as they arrive and ends when the machine is done', async () => {
    const m = new FakeMachine()
    const api = new FileSearchApi(() => m)
    const it = api.search('x')[Symbol.asyncIterator]()
    const first = it.next()
    m.onHit?.(hit(1))
    assert.deepEqual((await first).value, hit(1))
    m.onHit?.(hit(2))
    m.done?.(null)
    assert.deepEqual((await it.next()).value, hit(2))
    assert.equal((await it.next()).done, true)
  })

  it('stops at the limit (cancelling the machine search) and on abort', async () => {
    const m = new FakeMachine()
    const api = new FileSearchApi(() => m)
    const got: SearchHit[] = []
    const p = (async () => { for await (const h of api.search('x', { limit: 2 })) got.push(h) })()
    for (let i = 0; i < 5; i++) m.onHit?.(hit(i))
    await p
    assert.equal(got.length, 2)
    assert.ok(m.cancelled >= 1)
    const ac = new AbortController()
    const q = (async () => { for await (const _ of api.search('x', { signal: ac.signal })) { /* none */ } })()
    ac.abort()
    await assert.rejects(q, { name: 'AbortError' })
  })

  it('surfaces machine errors, shares with a default store, fetch resolves with the bytes', async () => {
    const m = new FakeMachine()
    const api = new FileSearchApi(() => m)
    const q = (async () => { for await (const _ of api.search('x')) { /* none */ } })()
    m.done?.(Object.assign(new Error('server down'), { code: 'ERR_UNREACHABLE' }))
    await assert.rejects(q, /server down/)
    api.share({ name: 'a', size: 1, hash: 'ab'.repeat(32) })
    assert.deepEqual(m.shared, [`${'ab'.repeat(32)}@share/${'ab'.repeat(32)}`])
    const f = api.fetch(hit(3))
    m.fetchCb?.done(null, { hash: '', size: 3, store: 's', from: 'p3', resumedFrom: 0, bytesReceived: 3, viaPush: false, durationMs: 1, bytes: new Uint8Array([1, 2, 3]) })
    assert.deepEqual(await f, new Uint8Array([1, 2, 3]))
    assert.throws(() => new FileSearchApi(() => undefined).share({ name: 'a', size: 1, hash: 'ab'.repeat(32) }), { code: 'ERR_NOT_STARTED' })
  })
})
