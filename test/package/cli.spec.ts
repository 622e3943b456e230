/**
 * The CLI as users meet it: a mistake or an unreachable peer gives one clear line and a non-zero
 * exit within the test's timeout — never a hang, a stack trace or a misleading exit 0.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTorrent } from '../../src/bittorrent/index.js'
import { runCli, type CliRun } from '../cli/helpers.js'
import { NodeProcess } from '../cli/node-process.js'

/** Exactly one line on stderr says what went wrong (commander adds its usage hint), no stack trace. */
function assertOneLineError (r: CliRun, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `exit code ${String(r.code)}; stderr: ${r.stderr}`)
  const lines = r.stderr.split('\n').filter(l => l.trim() !== '' && l !== '(add --help for usage)')
  assert.equal(lines.length, 1, `more than one line on stderr:\n${r.stderr}`)
  assert.match(lines[0], pattern)
  assert.doesNotMatch(r.stderr, /^\s+at /m)
}

const PEER_ID = '12D3KooWT37ptoSjgjK3gUEPSyyCk79YUevDkKzKiHHhMAsCehq5'

describe('package: CLI errors', function () {
  this.timeout(60_000)
  let dir = ''
  let torrent = ''
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'overlaykit-cli-'))
    torrent = join(dir, 'f.torrent')
    writeFileSync(torrent, createTorrent([{ path: 'f.txt', data: new TextEncoder().encode('hello') }], { name: 'f.txt' }).torrent)
  })
  after(() => { rmSync(dir, { recursive: true, force: true }) })

  it('download --peer notamultiaddr is refused at once', async () => {
    const r = await runCli(['download', torrent, '--out', join(dir, 'dl'), '--peer', 'notamultiaddr'])
    assertOneLineError(r, /--peer.*"notamultiaddr" is neither a multiaddr with \/p2p\/<peer id> nor host:port/)
  })

  it('download --peer without /p2p/<id> is refused at once', async () => {
    const r = await runCli(['download', torrent, '--out', join(dir, 'dl'), '--peer', '/ip4/127.0.0.1/tcp/1'])
    assertOneLineError(r, /has no \/p2p\/<peer id>/)
  })

  it('download from an unreachable peer gives up after --connect-timeout, saying which peers it tried', async () => {
    const peer = `/ip4/127.0.0.1/tcp/1/p2p/${PEER_ID}`
    const r = await runCli(['download', torrent, '--out', join(dir, 'dl'), '--peer', peer, '--connect-timeout', '1000'], { timeoutMs: 45_000 })
    assertOneLineError(r, new RegExp(`^overlaykit: error: no peer connected within 1 s \\(tried peer ${peer.replace(/\//g, '\\/')}\\)$`))
  })

  it('a listen port already in use: one line, no libp2p stack', async () => {
    const server: Server = createServer()
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    try {
      const r = await runCli(['node', '--overlay', 'chord', '--listen', `/ip4/127.0.0.1/tcp/${port}`])
      assertOneLineError(r, new RegExp(`^overlaykit: error: cannot listen on /ip4/127\\.0\\.0\\.1/tcp/${port}: the address is already in use`))
    } finally {
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  })

  it('the demo exits 1, naming what failed, when an act does not complete', async () => {
    // a 1 s time limit aborts the chord act mid-way (32 nodes never join and converge within 1 s, even
    // on an idle machine; 4 nodes sometimes do) and leaves gossip not run
    const r = await runCli(['demo', '--overlays', 'chord,gossip', '--nodes', '32', '--transport', 'memory', '--time-limit', '1'], { timeoutMs: 50_000 })
    assert.equal(r.code, 1, r.stderr)
    const errors = r.stderr.split('\n').filter(l => /error/i.test(l))
    assert.equal(errors.length, 1, r.stderr)
    assert.match(errors[0], /^overlaykit: error: the demo did not complete: chord: FAILED: .*; gossip: not run/)
    assert.doesNotMatch(r.stderr, /^\s+at /m)
    const json = await runCli(['--json', 'demo', '--overlays', 'chord', '--nodes', '32', '--transport', 'memory', '--time-limit', '1'], { timeoutMs: 50_000 })
    assert.equal(json.code, 1, json.stderr)
    const summary = JSON.parse(json.stdout) as { ok: boolean, failures: string[] }
    assert.equal(summary.ok, false)
    assert.match(summary.failures[0], /^chord: FAILED/)
  })

  it('node --bootstrap without /p2p/<id> is refused at startup', async () => {
    const r = await runCli(['node', '--overlay', 'chord', '--bootstrap', '/ip4/127.0.0.1/tcp/4001'])
    assertOneLineError(r, /--bootstrap.*"\/ip4\/127\.0\.0\.1\/tcp\/4001" has no \/p2p\/<peer id>/)
  })

  it('lab search --overlays with an unknown name is refused', async () => {
    const r = await runCli(['lab', 'search', '--overlays', 'napster,kademlia', '--nodes', '20', '--queries', '5'])
    assertOneLineError(r, /^overlaykit: error: unknown overlay "kademlia" in --overlays \(known: [a-z, ]*napster/)
    assert.doesNotMatch(r.stderr, /src\//)
  })

  describe('a node', () => {
    const procs: NodeProcess[] = []
    after(async () => { await Promise.all(procs.map(async p => await p.stop())) })

    it('answers a missing key the same way for chord and gossip: ok, found false, value null', async () => {
      const node = NodeProcess.start(['--overlay', 'chord,gossip', '--listen', '/ip4/127.0.0.1/tcp/0'])
      procs.push(node)
      await node.listening()
      await node.waitLine(l => l.event === 'joined' && l.overlay === 'chord', 20_000, 'chord joined')
      for (const overlay of ['chord', 'gossip']) {
        const r = await node.request({ op: 'get', key: 'no-such-key', overlay }, 20_000, true)
        assert.equal(r.ok, true, `${overlay}: ${JSON.stringify(r)}`)
        assert.deepEqual(r.result, { key: 'no-such-key', found: false, value: null }, overlay)
      }
    })

    it('says so when stdin ends, and keeps running; --exit-on-eof stops it', async () => {
      const node = NodeProcess.start(['--overlay', 'gossip', '--listen', '/ip4/127.0.0.1/tcp/0'])
      procs.push(node)
      await node.listening()
      node.child.stdin?.end()
      await node.waitLine(l => l.event === 'stdin-closed' && l.stopping === false, 20_000, 'stdin-closed')
      // stderr is another pipe: its line may arrive after the event on stdout
      const said = /stdin closed, so no more requests are read; the node keeps running until SIGINT or SIGTERM/
      if (!said.test(node.stderr)) {
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(() => { reject(new Error(`no stdin notice on stderr: ${node.stderr}`)) }, 10_000)
          node.child.stderr?.on('data', () => { if (said.test(node.stderr)) { clearTimeout(t); resolve() } })
        })
      }
      assert.equal(node.child.exitCode, null)
      node.child.kill('SIGTERM')
      assert.equal(await node.exited, 0)

      const exiting = NodeProcess.start(['--overlay', 'gossip', '--listen', '/ip4/127.0.0.1/tcp/0', '--exit-on-eof'])
      procs.push(exiting)
      await exiting.listening()
      exiting.child.stdin?.end()
      assert.equal(await exiting.exited, 0)
      assert.ok(exiting.lines.some(l => l.event === 'stopped'))
    })
  })

  it('bench --list lists the benchmarks', async () => {
    const r = await runCli(['bench', '--list'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /chord-hops/)
  })

  it('every command\'s --help shows the global --seed and --json', async () => {
    const r = await runCli(['demo', '--help'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /Global Options:[^]*--json[^]*--seed/)
  })
})
