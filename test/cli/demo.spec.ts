import assert from 'node:assert/strict'
import { runCli } from './helpers.js'
import { DEGREE_CAP, randomGraph } from '../../src/cli/demo/acts/gnutella.js'
import { Rng } from '../../src/overlay/rng.js'

describe('cli: overlaykit demo', function () {
  this.timeout(90_000)

  it('--help lists the options a newcomer needs', async () => {
    const r = await runCli(['demo', '--help'])
    assert.equal(r.code, 0)
    for (const o of ['--nodes', '--transport', '--overlays', '--seed']) assert.match(r.stdout + (await runCli(['--help'])).stdout, new RegExp(o))
  })

  it('runs the chosen overlays on a small live swarm and reports a summary (quick, memory transport)', async () => {
    const r = await runCli(['--json', 'demo', '--nodes', '6', '--transport', 'memory', '--quick', '--overlays', 'chord,gossip,napster'], { timeoutMs: 85_000 })
    assert.equal(r.code, 0, r.stderr)
    const s = JSON.parse(r.stdout)
    assert.deepEqual(s.overlays, ['chord', 'gossip', 'napster'])
    assert.equal(s.nodes, 6)
    const failed = s.rows.filter((row: { result: string }) => /FAILED|NOT/.test(row.result))
    assert.deepEqual(failed, [])
    assert.ok(s.rows.some((row: { overlay: string, result: string }) => row.overlay === 'chord' && /found the right owner/.test(row.result)))
    assert.ok(s.rows.some((row: { overlay: string, result: string }) => row.overlay === 'gossip' && /every node delivered all/.test(row.result)))
    assert.ok(s.rows.some((row: { overlay: string, result: string }) => row.overlay === 'napster' && /hash verified/.test(row.result)))
  })

  it('runs every overlay on one swarm: later acts reuse its connections, per-act times add up (quick, memory transport)', async () => {
    const r = await runCli(['--json', 'demo', '--nodes', '6', '--transport', 'memory', '--quick'], { timeoutMs: 85_000 })
    assert.equal(r.code, 0, r.stderr)
    const s = JSON.parse(r.stdout)
    assert.deepEqual(s.overlays, ['chord', 'gossip', 'napster', 'gnutella', 'fasttrack', 'bittorrent'])
    assert.deepEqual(s.rows.filter((row: { result: string }) => /FAILED|NOT|not run/.test(row.result)), [])
    for (const o of ['napster', 'gnutella', 'fasttrack']) {
      assert.ok(s.rows.some((row: { overlay: string, result: string }) => row.overlay === o && /hash verified/.test(row.result)), `${o} downloaded and verified the file`)
    }
    assert.ok(s.rows.some((row: { overlay: string, result: string }) => row.overlay === 'bittorrent' && /all complete/.test(row.result)))
    const phases = s.phases as Array<{ overlay: string, startMs: number, setupMs: number, runMs: number, stopMs: number, cpuMs: number, connections: number }>
    assert.deepEqual(phases.map(p => p.overlay), s.overlays)
    for (const p of phases) for (const k of ['startMs', 'setupMs', 'runMs', 'stopMs', 'cpuMs', 'connections'] as const) assert.ok(Number.isInteger(p[k]) && p[k] >= 0, `${p.overlay}.${k} = ${p[k]}`)
    assert.ok(phases.reduce((a, p) => a + p.startMs + p.setupMs + p.runMs, 0) <= s.totalMs)
    // Chord meshes 6 nodes; the acts after it (but napster, whose clients dial the index server, a
    // node outside the swarm) find their peers connected already. A fresh swarm per act would open
    // at least 6 connections in each of them.
    assert.ok(phases[0].connections >= 5, `chord opened ${phases[0].connections}`)
    const later = phases.filter(p => p.overlay !== 'chord' && p.overlay !== 'napster').reduce((a, p) => a + p.connections, 0)
    assert.ok(later < 6, `acts after chord opened ${later} connections`)
  })

  it('gnutella demo graph: connected, no pair twice, no servent above the degree cap', () => {
    for (const n of [2, 3, 6, 24, 50]) {
      for (const seed of ['a', 'b', 'c']) {
        const edges = randomGraph(new Rng(`graph/${seed}`), n)
        const adj = Array.from({ length: n }, () => new Set<number>())
        for (const [a, b] of edges) {
          assert.notEqual(a, b)
          assert.ok(!adj[a].has(b), `n=${n} seed=${seed}: ${a}-${b} twice`)
          adj[a].add(b); adj[b].add(a)
        }
        assert.ok(adj.every(x => x.size <= DEGREE_CAP && x.size >= Math.min(2, n - 1)), `n=${n} seed=${seed}: degrees ${adj.map(x => x.size).join(',')}`)
        const seen = new Set([0]); const todo = [0]
        while (todo.length > 0) for (const j of adj[todo.pop() as number]) if (!seen.has(j)) { seen.add(j); todo.push(j) }
        assert.equal(seen.size, n, `n=${n} seed=${seed}: connected`)
      }
    }
  })

  it('refuses an overlay it has no demo for', async () => {
    const r = await runCli(['demo', '--overlays', 'warpdrive'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /no demo for warpdrive/)
  })
})
