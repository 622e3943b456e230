import assert from 'node:assert/strict'
import { runCli } from './helpers.js'

describe('cli: overlaykit main', function () {
  this.timeout(60_000)

  it('--help lists the discovered commands', async () => {
    const r = await runCli(['--help'])
    assert.equal(r.code, 0)
    for (const word of ['sim', 'bench', '--json', '--seed']) assert.match(r.stdout, new RegExp(word))
  })

  it('sim --help lists the ping simulator plug-in', async () => {
    const r = await runCli(['sim', '--help'])
    assert.equal(r.code, 0)
    assert.match(r.stdout, /ping/)
  })

  it('--json prints exactly one JSON object on stdout; same seed, same trace', async () => {
    const args = ['--json', 'sim', 'ping', '--nodes', '200', '--duration', '3000']
    const a = await runCli([...args, '--seed', '5'])
    const b = await runCli([...args, '--seed', '5'])
    const c = await runCli([...args, '--seed', '6'])
    for (const r of [a, b, c]) {
      assert.equal(r.code, 0, r.stderr)
      const lines = r.stdout.trim().split('\n')
      assert.equal(lines.length, 1, `stdout: ${r.stdout}`)
    }
    const ja = JSON.parse(a.stdout); const jb = JSON.parse(b.stdout); const jc = JSON.parse(c.stdout)
    assert.equal(ja.nodes, 200)
    assert.ok(ja.pongs > 0)
    assert.equal(ja.traceHash, jb.traceHash)
    assert.notEqual(ja.traceHash, jc.traceHash)
  })

  it('a bad option is a clear error with a non-zero exit and nothing on stdout', async () => {
    const r = await runCli(['sim', 'ping', '--nodes', 'many'])
    assert.notEqual(r.code, 0)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /positive integer/)
  })

  it('a failing command reports its error (and a JSON error object in --json mode)', async () => {
    const r = await runCli(['--json', 'sim', 'ping', '--nodes', '10', '--loss', '1'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /overlaykit: error: --loss/)
    assert.match(JSON.parse(r.stdout).error.message, /--loss/)
  })

  it('an unknown command fails', async () => {
    const r = await runCli(['nonsense'])
    assert.notEqual(r.code, 0)
    assert.match(r.stderr, /unknown command/)
  })
})
