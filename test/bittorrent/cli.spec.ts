/** The BitTorrent CLI commands, run as a child process. */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error no types shipped
import parseTorrentStock from 'parse-torrent'
import { readFile } from 'node:fs/promises'
import { Rng } from '../../src/overlay/rng.js'
import { runCli } from '../cli/helpers.js'

describe('bittorrent CLI', function () {
  this.timeout(30_000)
  let dir = ''
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'okbt-cli-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  it('torrent create / torrent info agree with parse-torrent', async () => {
    const rng = new Rng('cli')
    await mkdir(join(dir, 'pack', 'sub'), { recursive: true })
    await writeFile(join(dir, 'pack', 'x.bin'), rng.bytes(100_000))
    await writeFile(join(dir, 'pack', 'sub', 'y.bin'), rng.bytes(5000))
    const out = join(dir, 'pack.torrent')
    const c = await runCli(['torrent', 'create', join(dir, 'pack'), '--piece-length', '16384', '--out', out, '--json'])
    assert.equal(c.code, 0, c.stderr)
    const info = await runCli(['torrent', 'info', out, '--json'])
    assert.equal(info.code, 0, info.stderr)
    const j = JSON.parse(info.stdout)
    const stock = await parseTorrentStock(await readFile(out))
    assert.equal(j.infoHash, stock.infoHash)
    assert.match(j.infoHash, /^[0-9a-f]{40}$/)
    assert.deepEqual({ name: j.name, pieceLength: j.pieceLength, pieces: j.pieces, length: j.length }, { name: 'pack', pieceLength: 16384, pieces: 7, length: 105_000 })
    assert.deepEqual(j.files, [{ path: 'pack/sub/y.bin', length: 5000 }, { path: 'pack/x.bin', length: 100_000 }])
    assert.match(j.magnet, new RegExp(`^magnet:\\?xt=urn:btih:${j.infoHash as string}`))
  })

  it('sim bittorrent prints completion against the bound', async () => {
    const r = await runCli(['sim', 'bittorrent', '--leechers', '8', '--file-mb', '1', '--seed-up', '1000', '--peer-up', '100', '--seed', '3', '--json'])
    assert.equal(r.code, 0, r.stderr)
    const j = JSON.parse(r.stdout)
    assert.equal(j.leechers, 8)
    assert.ok(j.completion >= j.bound && j.ratio >= 1 && j.ratio < 2, JSON.stringify(j))
  })

  it('sim bittorrent --super-seed: the seed uploads less than a plain seed (u_s = u)', async () => {
    const args = ['sim', 'bittorrent', '--leechers', '8', '--file-mb', '1', '--seed-up', '100', '--peer-up', '100', '--seed', '3', '--json']
    const [plain, ss] = await Promise.all([runCli(args), runCli([...args, '--super-seed'])])
    assert.equal(ss.code, 0, ss.stderr)
    const p = JSON.parse(plain.stdout)
    const j = JSON.parse(ss.stdout)
    assert.equal(j.superSeed, true)
    assert.equal(p.superSeed, false)
    assert.equal(j.finished, 8)
    assert.ok(Number.isFinite(j.ratio) && j.ratio >= 1, JSON.stringify(j))
    assert.ok(j.seedUploadedFiles >= 1 && j.seedUploadedFiles < p.seedUploadedFiles, `seed uploaded ${String(j.seedUploadedFiles)} files super-seeding vs ${String(p.seedUploadedFiles)} plain`)
  })

  it('seed --help documents --super-seed', async () => {
    const r = await runCli(['seed', '--help'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /--super-seed/)
  })
})
