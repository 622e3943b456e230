/** Torrent machine behaviours in the simulator: choking, endgame, pause/resume, limits, selection. */
import assert from 'node:assert/strict'
import { Simulator, type SimNode } from '../../src/sim/index.js'
import { Rng } from '../../src/overlay/rng.js'
import { createTorrent } from '../../src/bittorrent/metainfo.js'
import { torrentSpec } from '../../src/bittorrent/spec.js'
import { runSwarm } from '../../src/bittorrent/sim-swarm.js'
import { chooseUnchoked } from '../../src/bittorrent/choker.js'
import { PiecePicker } from '../../src/bittorrent/picker.js'
import { Bitfield } from '../../src/bittorrent/bitfield.js'
import { DEFAULTS } from '../../src/bittorrent/options.js'
import type { TorrentMachine, TorrentOptions } from '../../src/bittorrent/machine.js'
import type { WireMsg } from '../../src/bittorrent/wire.js'

type Node = SimNode<WireMsg, TorrentMachine>

describe('bittorrent machine (simulator)', function () {
  it('a full default pipeline fits in a default peer\'s request queue (none of it is dropped)', () => {
    assert.ok(DEFAULTS.maxPipeline > 128, 'a deeper pipeline than 128 keeps a fast link busy')
    assert.ok(DEFAULTS.maxPipeline <= DEFAULTS.maxQueuedRequests, `maxPipeline ${DEFAULTS.maxPipeline} > maxQueuedRequests ${DEFAULTS.maxQueuedRequests}`)
  })

  this.timeout(30_000)
  const content = new Rng('machine').bytes(1024 * 1024)
  const { metainfo } = createTorrent([{ path: 'a', data: content.subarray(0, 300_000) }, { path: 'b', data: content.subarray(300_000) }], { name: 'pair', pieceLength: 65536 })

  function swarm (leechers: number, opts: Partial<TorrentOptions> = {}, seedUp = 500_000): { sim: Simulator, seed: Node, ls: Node[] } {
    const sim = new Simulator({ seed: 4, perNodeStats: true })
    const seed = sim.spawn(torrentSpec, { metainfo, seed: true, content, uploadRate: seedUp }, { id: 'seed', upBps: seedUp }) as Node
    const ls = Array.from({ length: leechers }, (_x, i) => sim.spawn(torrentSpec, { metainfo, storage: 'memory', ...opts }, { id: `l${i}` }) as Node)
    for (const l of ls) { l.machine.connect(seed.ref); for (const o of ls) if (o !== l) l.machine.connect(o.ref) }
    return { sim, seed, ls }
  }

  it('the choker keeps the best 4 by rate plus one optimistic, snubbed peers only optimistic', () => {
    const rng = new Rng('choke')
    const peers = Array.from({ length: 10 }, (_x, i) => ({ id: `p${i}`, interested: i !== 9, snubbed: i === 8, downRate: i * 10, upRate: 100 - i }))
    const d = chooseUnchoked(peers, { slots: 4, seeding: false, rotateOptimistic: true, optimistic: undefined, rng })
    assert.equal(d.unchoke.size, 5)
    for (const id of ['p7', 'p6', 'p5', 'p4']) assert.ok(d.unchoke.has(id), id)   // p8 is snubbed, p9 not interested
    assert.ok(d.optimistic !== undefined && !['p4', 'p5', 'p6', 'p7', 'p9'].includes(d.optimistic))
    const s = chooseUnchoked(peers, { slots: 4, seeding: true, rotateOptimistic: false, optimistic: d.optimistic, rng })
    for (const id of ['p0', 'p1', 'p2', 'p3']) assert.ok(s.unchoke.has(id), `seeding ranks by upload rate: ${id}`)
    // the optimistic slot rotates only when asked
    const again = chooseUnchoked(peers, { slots: 4, seeding: false, rotateOptimistic: false, optimistic: d.optimistic, rng })
    assert.equal(again.optimistic, d.optimistic)
  })

  it('picks a random first piece, then rarest first, and finishes started pieces first', () => {
    const rng = new Rng('pick')
    const picker = new PiecePicker(8, () => 32768, rng, { randomFirst: 0 })
    const all = new Bitfield(8); all.setAll()
    const some = new Bitfield(8); for (const i of [0, 1, 2, 3, 4, 5, 6]) some.set(i)
    picker.addPeer(all); picker.addPeer(some)       // piece 7 is the rarest
    const first = picker.pick('x', all, 1, () => false)
    assert.equal(first[0].index, 7)
    // strict priority: the second block of piece 7 comes before any new piece
    const next = picker.pick('y', all, 1, () => false)
    assert.deepEqual([next[0].index, next[0].begin], [7, 16384])
  })

  it('does not finish a started piece from a peer that offers a rarer one (the seed keeps sending new pieces)', () => {
    const picker = new PiecePicker(8, () => 32768, new Rng('defer'), { randomFirst: 0 })
    const seed = new Bitfield(8); seed.setAll()
    const leecher = new Bitfield(8); leecher.set(3)
    picker.addPeer(seed); picker.addPeer(leecher)    // piece 3 is held twice, the rest only by the seed
    const fromLeecher = picker.pick('l', leecher, 1, () => false)
    assert.deepEqual([fromLeecher[0].index, fromLeecher[0].begin], [3, 0])
    // piece 3 is started, but the seed has pieces nobody else has: those come first
    const fromSeed = picker.pick('s', seed, 4, () => false)
    assert.ok(fromSeed.every(b => b.index !== 3), JSON.stringify(fromSeed))
    // with nothing new left at the seed, the started piece is finished from it after all
    const only3 = new Bitfield(8); only3.set(3)
    assert.deepEqual(picker.pick('s', only3, 1, () => false).map(b => [b.index, b.begin]), [[3, 16384]])
  })

  it('super-seeding: no bitfield, pieces offered with have, and the seed uploads each piece about once', () => {
    const MiB = 1024 * 1024
    const params = { leechers: 8, fileBytes: 4 * MiB, pieceLength: 65536, seedUp: 400_000, peerUp: 400_000, seed: 5, latency: { kind: 'constant' as const, ms: 1 } }
    const plain = runSwarm(params)
    const r = runSwarm({ ...params, seedTorrent: { superSeed: true } })
    assert.equal(r.finished, 8)
    // leechers start empty, so every bitfield on the wire would be the seed's
    assert.ok((plain.sim.stats.messages.get('bitfield')?.sent ?? 0) > 0)
    assert.equal(r.sim.stats.messages.get('bitfield')?.sent ?? 0, 0, 'a super-seed sends no bitfield')
    const dup = r.seedNode.machine.uploaded / params.fileBytes
    const plainDup = plain.seedNode.machine.uploaded / params.fileBytes
    assert.ok(dup < 1.2, `seed uploaded ${dup.toFixed(2)} × the file`)
    assert.ok(dup < plainDup, `super-seeding ${dup.toFixed(2)} vs plain ${plainDup.toFixed(2)}`)
    assert.ok(r.completion <= plain.completion, `super ${r.completion} s vs plain ${plain.completion} s`)
  })

  it('super-seeding with a fast seed (u_s = 10u): offers grow while the uplink idles, so it keeps up with a plain seed', () => {
    const params = { leechers: 10, fileBytes: 4 * 1024 * 1024, pieceLength: 65536, seedUp: 1_000_000, peerUp: 100_000, seed: 2 }
    const plain = runSwarm(params)
    const sup = runSwarm({ ...params, seedTorrent: { superSeed: true } })
    assert.equal(sup.finished, 10)
    assert.ok(sup.sim.stats.get('bt:superseed_grow') > 0, 'offers grew')
    // the bound is N·F/(u_s + N·u) here: the seed must send pieces several times, not once
    assert.ok(sup.seedNode.machine.uploaded > 4 * params.fileBytes, `seed uploaded ${sup.seedNode.machine.uploaded / params.fileBytes} files`)
    assert.ok(sup.ratio <= plain.ratio * 1.03, `super ${sup.ratio.toFixed(3)} vs plain ${plain.ratio.toFixed(3)}`)
  })

  it('endgame never asks the same peer twice for a block, even within one pick', () => {
    const picker = new PiecePicker(2, () => 16384, new Rng('eg'), { randomFirst: 0 })
    const all = new Bitfield(2); all.setAll()
    picker.addPeer(all)
    const got = picker.pick('only', all, 10, () => false)
    assert.deepEqual(got.map(b => b.index).sort(), [0, 1])
  })

  it('endgame requests the last blocks twice and cancels the duplicates', () => {
    const { sim, ls } = swarm(4)
    sim.run({ until: 60_000 })
    for (const l of ls) assert.equal(l.machine.done, true)
    const cancels = ls.reduce((s, l) => s + l.stats.get('bt:cancel_sent'), 0)
    assert.ok(cancels > 0, 'cancels were sent in endgame')
  })

  it('a token bucket holds the upload rate', () => {
    const rate = 100_000
    // the link could do 10 MB/s; the seed's own limit is 100 kB/s
    const sim = new Simulator({ seed: 4 })
    const seed = sim.spawn(torrentSpec, { metainfo, seed: true, content, uploadRate: rate }, { id: 'seed', upBps: 10_000_000 }) as Node
    const ls = [sim.spawn(torrentSpec, { metainfo, storage: 'memory' }, { id: 'l0' }) as Node]
    ls[0].machine.connect(seed.ref)
    let t = -1
    sim.on((node, ev) => { if (node === ls[0] && ev.type === 'bittorrent:complete') t = sim.now })
    sim.run({ until: 120_000 })
    assert.equal(ls[0].machine.done, true)
    // 1 MiB at 100 kB/s takes ~10.5 s though the link could do 10 MB/s
    assert.ok(t >= 10_000 && t < 12_000, `completed at ${t} ms`)
    assert.ok(seed.machine.uploaded >= content.length)
  })

  it('download rate limit, pause and resume', () => {
    const { sim, ls } = swarm(1, { downloadRate: 200_000 })
    const l = ls[0].machine
    sim.run({ until: 2000 })
    const early = l.downloaded
    assert.ok(early <= 200_000 * 2 + 64 * 1024, `rate-limited: ${early} bytes in 2 s`)
    l.pause()
    const atPause = l.downloaded
    sim.run({ until: 6000 })
    assert.ok(l.downloaded - atPause <= 16 * 16384, 'at most the blocks already in flight arrive while paused')
    assert.equal(l.progress().paused, true)
    l.resumeTransfer()
    sim.run({ until: 30_000 })
    assert.equal(l.done, true)
  })

  it('a peer limit refuses extra connections', () => {
    const sim = new Simulator({ seed: 2, perNodeStats: true })
    const seed = sim.spawn(torrentSpec, { metainfo, seed: true, content, maxPeers: 2 }, { id: 'seed' }) as Node
    const ls = Array.from({ length: 4 }, (_x, i) => sim.spawn(torrentSpec, { metainfo, storage: 'memory' }, { id: `l${i}` }) as Node)
    for (const l of ls) l.machine.connect(seed.ref)
    sim.run({ until: 1000 })
    assert.equal(seed.machine.peers.size, 2)
    assert.equal(seed.stats.get('bt:refused_peer_limit'), 2)
  })

  it('selective download fetches only the pieces of the chosen file', () => {
    const { sim, ls } = swarm(1, { files: [1] })
    sim.run({ until: 30_000 })
    const l = ls[0].machine
    assert.equal(l.done, true)
    const firstOfB = Math.floor(300_000 / 65536)
    for (let i = 0; i < firstOfB; i++) assert.equal(l.picker.have.get(i), false, `piece ${i} of file a was not fetched`)
    assert.ok(l.downloaded <= content.length - firstOfB * 65536)
    // selecting the other file later fetches it too
    l.selectFiles()
    sim.run({ until: 60_000 })
    assert.equal(l.picker.have.count, metainfo.pieceCount)
  })

  it('anti-snubbing: a peer that stops sending is snubbed and its requests go elsewhere', () => {
    // freeze one leecher's uploads right after the start: its peers notice and move on
    const r2 = runSwarm({ leechers: 6, fileBytes: 1024 * 1024, pieceLength: 65536, seedUp: 400_000, peerUp: 40_000, seed: 11, torrent: { snubMs: 3000 }, limitMs: 1 })
    const frozen = r2.leecherNodes[0]
    ;(frozen.machine as any).pumpUpload = () => {}
    r2.sim.run({ until: 120_000 })
    for (const l of r2.leecherNodes.slice(1)) assert.equal(l.machine.done, true)
    assert.ok(r2.sim.stats.get('bt:snubbed') > 0)
  })
})
