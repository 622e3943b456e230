import assert from 'node:assert/strict'
import { runCli } from './helpers.js'

describe('cli: overlaykit demo', function () {
  this.timeout(90_000)

  it('--help lists the options a newcomer needs', async () => {
    const r = await runCli(['demo', '--help'])
    assert.equal(r.code, 0)
    for (const o of ['--nodes', '--transport', '--overlays', '--seed']) assert.match(r.stdout + (await runCli(['--help'])).stdout, new RegExp(o))
  })

  it('runs a small live swarm per overlay and reports a summary (quick, memory transport)', async () => {
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

  it('refuses an overlay it has no demo for', async () => {
    const r = await runCli(['demo', '--overlays', 'warpdrive'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /no demo for warpdrive/)
  })
})
