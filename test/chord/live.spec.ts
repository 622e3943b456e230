import assert from 'node:assert/strict'
import { chord, type ChordService } from '../../src/chord/index.js'
import { checkRing, ownerOf, sortedRing } from '../../src/chord/oracle.js'
import { hashToId, utf8 } from '../../src/overlay/ids.js'
import { createSwarm, type Swarm } from '../../src/runtime/libp2p/swarm.js'

async function until (cond: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const end = Date.now() + limitMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}

describe('chord live (libp2p, TCP)', function () {
  this.timeout(60_000)
  let swarm: Swarm<{ chord: ChordService }> | undefined
  const svc = (i: number): ChordService => (swarm as Swarm<{ chord: ChordService }>).nodes[i].services.chord

  before(async () => {
    swarm = await createSwarm(8, () => ({ chord: chord({ stabilizeMs: 150, fixFingersMs: 150, checkPredecessorMs: 500, replicateMs: 1000, rpcTimeoutMs: 2000, open: true }) }), { transport: 'tcp', seed: 'chord-live' })
    for (let i = 1; i < 8; i++) await svc(i).join(swarm.addr(0))
    await until(() => checkRing(swarm!.nodes.map(n => n.services.chord.machine)).length === 0, 'the ring invariant')
  })

  after(async () => { await swarm?.stop() })

  it('forms one ring in id order over 8 real nodes', () => {
    const ring = sortedRing(swarm!.nodes.map(n => n.services.chord.machine))
    assert.equal(ring.length, 8)
    assert.deepEqual(checkRing(swarm!.nodes.map(n => n.services.chord.machine)), [])
  })

  it('lookups find the brute-force owner and report hops and progress', async () => {
    const ring = sortedRing(swarm!.nodes.map(n => n.services.chord.machine))
    for (let i = 0; i < 16; i++) {
      const key = `live-key-${i}`
      let progress = 0
      const r = await svc(i % 8).lookup(key, { onProgress: () => { progress++ } })
      assert.equal(r.owner.id, ownerOf(ring, hashToId(utf8(key), 160)).peer)
      assert.equal(r.hops, progress)
      assert.equal(r.key.length, 40)
    }
  })

  it('put on one node, get on others; missing keys are not found; abort works', async () => {
    for (let i = 0; i < 10; i++) await svc(i % 8).put(`k${i}`, utf8(`v${i}`))
    for (let i = 0; i < 10; i++) assert.equal(new TextDecoder().decode(await svc((i + 3) % 8).get(`k${i}`)), `v${i}`)
    await assert.rejects(svc(2).get('missing-key'), (e: any) => e.code === 'ERR_NOT_FOUND')
    const ac = new AbortController(); ac.abort()
    await assert.rejects(svc(1).lookup('x', { signal: ac.signal }), (e: any) => e.name === 'AbortError')
  })

  it('provide / findProviders, also through libp2p content routing symbol', async () => {
    const key = utf8('some-info-hash')
    await svc(4).provide(key)
    const found: string[] = []
    for await (const p of svc(6).findProviders(key)) found.push(p.id)
    assert.deepEqual(found, [swarm!.nodes[4].peerId.toString()])
  })
})
