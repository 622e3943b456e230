import assert from 'node:assert/strict'
import type { DownloadResult } from '../../src/search/transfer.js'
import type { FtSimNode } from '../../src/fasttrack/sim-network.js'
import { tiers } from '../../src/fasttrack/sim-network.js'
import type { FastTrackHit } from '../../src/fasttrack/messages.js'
import { blobFile, searchSync, testNet, type TestNet } from './helpers.js'

function snOf (net: TestNet, n: FtSimNode): FtSimNode {
  return n.machine.isSupernode ? n : net.sim.node(n.machine.supernode?.id ?? '') as FtSimNode
}

/** Hop distances over supernode links from `from`. */
function distances (nodes: readonly FtSimNode[], from: FtSimNode): Map<string, number> {
  const byId = new Map(nodes.filter(n => n.alive && n.machine.isSupernode).map(n => [n.id, n]))
  const dist = new Map([[from.id, 0]])
  const queue = [from]
  while (queue.length > 0) {
    const n = queue.shift() as FtSimNode
    for (const l of n.machine.supernodeRole?.links.keys() ?? []) {
      const m = byId.get(l)
      if (m !== undefined && !dist.has(l)) { dist.set(l, (dist.get(n.id) ?? 0) + 1); queue.push(m) }
    }
  }
  return dist
}

function fetchSync (net: TestNet, node: FtSimNode, hit: FastTrackHit): DownloadResult {
  let out: DownloadResult | undefined
  let error: Error | null = null
  node.machine.fetch(hit, { store: `download/${hit.hash}`, offset: 0, collect: true }, { done: (err, r) => { error = err; out = r } })
  net.sim.run({ until: net.sim.now + 30_000 })
  if (error !== null) throw error
  if (out === undefined) throw new Error('download did not finish')
  return out
}

describe('fasttrack search and download (simulator)', function () {
  this.timeout(30_000)
  let net: TestNet

  before(() => {
    net = testNet({ nodes: 400, seed: 21, overlay: { maxLeaves: 25, maintenanceMs: 10_000 } })
    net.sim.run({ until: 4000 + 40_000 })
    assert.equal(tiers(net.nodes).orphans, 0)
  })

  it('finds a file held by leaves of other supernodes, with the indexing supernode and firewall flag in each hit', () => {
    const leaves = net.nodes.filter(n => !n.machine.isSupernode)
    const holders = [leaves[10], leaves[50], leaves[90], leaves[130], leaves[170]]
    const file = { name: 'velvet thunder live.mp3', size: 12345, hash: 'c0'.repeat(32) }
    for (const h of holders) h.machine.share(file, 'x')
    net.sim.run({ until: net.sim.now + 1000 })
    const asker = leaves[300]
    const hits = searchSync(net, asker, 'thunder velvet')
    assert.deepEqual(hits.map(h => h.peer.id).sort(), holders.map(h => h.id).sort())
    for (const h of hits) {
      const holder = net.sim.node(h.peer.id) as FtSimNode
      assert.equal(h.via.id, snOf(net, holder).id)
      assert.equal(h.firewalled, holder.machine.o.capacity.firewalled)
      assert.equal(h.hash, file.hash)
      assert.ok(h.hops >= 1 && h.hops <= 1 + 4)
    }
    assert.deepEqual(searchSync(net, asker, 'no such words here'), [])
  })

  for (const ttl of [1, 2]) {
    it(`a query with TTL ${ttl} reaches exactly the supernodes within ${ttl} link hops`, () => {
      const asker = net.nodes.find(n => !n.machine.isSupernode) as FtSimNode
      ;(asker.machine.o as { queryTtl: number }).queryTtl = ttl
      let qid = ''
      const off = net.sim.on((n, e) => { if (n === asker && e.type === 'fasttrack:search') qid = e.qid as string })
      // links may change while the flood runs (maintenance tops degrees up): measure before and after
      const before = distances(net.nodes, snOf(net, asker))
      searchSync(net, asker, 'anything at all')
      off()
      ;(asker.machine.o as { queryTtl: number }).queryTtl = 4
      const after = distances(net.nodes, snOf(net, asker))
      let reached = 0
      for (const n of net.nodes) {
        const sn = n.machine.supernodeRole
        if (sn === undefined) continue
        const near = Math.min(before.get(n.id) ?? Infinity, after.get(n.id) ?? Infinity)
        const far = Math.max(before.get(n.id) ?? Infinity, after.get(n.id) ?? Infinity)
        if (sn.sawQuery(qid)) assert.ok(near <= ttl, `${n.id} at distance ${near} saw a TTL-${ttl} query`)
        if (far <= ttl) { assert.ok(sn.sawQuery(qid), `${n.id} at distance ${far} missed a TTL-${ttl} query`); reached++ }
      }
      assert.ok(reached >= 2)
    })
  }

  it('suppresses duplicates: each supernode answers once, even though the flood reaches it over several links', () => {
    const leaves = net.nodes.filter(n => !n.machine.isSupernode)
    const holder = leaves[7]
    holder.machine.share({ name: 'zebra quartz.ogg', size: 99, hash: 'd1'.repeat(32) }, 'x')
    net.sim.run({ until: net.sim.now + 1000 })
    const dupBefore = net.sim.stats.get('ft.query.duplicate')
    const hitsBefore = net.sim.stats.messages.get('hit')?.sent ?? 0
    const hits = searchSync(net, leaves[200], 'zebra quartz')
    assert.equal(hits.length, 1)
    assert.ok(net.sim.stats.get('ft.query.duplicate') > dupBefore, 'the flood met itself')
    // one hit message from the holder's supernode, relayed hop by hop back to the asker
    const hops = hits[0].hops
    assert.equal((net.sim.stats.messages.get('hit')?.sent ?? 0) - hitsBefore, hops)
  })

  it('downloads leaf to leaf byte-identical, directly and by push from a firewalled leaf', () => {
    const leaves = net.nodes.filter(n => !n.machine.isSupernode)
    const open = leaves.find(n => !n.machine.o.capacity.firewalled) as FtSimNode
    const walled = leaves.find(n => n.machine.o.capacity.firewalled && n !== open) as FtSimNode
    const asker = leaves.find(n => n !== open && n !== walled && snOf(net, n) !== snOf(net, walled)) as FtSimNode
    const a = blobFile(net, open.id, 'open door blues.mp3', 300_000, 1)
    const b = blobFile(net, walled.id, 'walled garden suite.mp3', 200_000, 2)
    open.machine.share(a, a.store)
    walled.machine.share(b, b.store)
    net.sim.run({ until: net.sim.now + 1000 })
    for (const [f, holder, push] of [[a, open, false], [b, walled, true]] as const) {
      const hits = searchSync(net, asker, f.name.replace('.mp3', ''))
      assert.equal(hits.length, 1)
      assert.equal(hits[0].firewalled, push)
      const r = fetchSync(net, asker, hits[0])
      assert.equal(r.viaPush, push)
      assert.equal(r.from, holder.id)
      assert.deepEqual(r.bytes, net.sim.blobs.get(holder.id, f.store))
    }
  })
})
