import assert from 'node:assert/strict'
// @ts-expect-error no types shipped
import createTorrentStock from 'create-torrent'
// @ts-expect-error no types shipped
import parseTorrentStock, { toMagnetURI } from 'parse-torrent'
import { Rng } from '../../src/overlay/rng.js'
import { DecodeError } from '../../src/overlay/errors.js'
import { bdecode, bencode } from '../../src/bittorrent/bencode.js'
import { createTorrent, parseTorrent, pieceSize } from '../../src/bittorrent/metainfo.js'
import { parseMagnet, toMagnet } from '../../src/bittorrent/magnet.js'

function stockCreate (input: any, opts: Record<string, unknown>): Promise<Uint8Array> {
  return new Promise((resolve, reject) => createTorrentStock(input, { announceList: [], createdBy: 'test', creationDate: 1, ...opts }, (err: Error | null, t: Uint8Array) => err != null ? reject(err) : resolve(t)))
}

describe('bittorrent metainfo', () => {
  const rng = new Rng('meta')
  const data = rng.bytes(100_000)

  it('a single-file torrent from create-torrent parses to the same info hash as parse-torrent', async () => {
    const buf = Buffer.from(data) as any
    buf.name = 'file.bin'
    const t = await stockCreate(buf, { name: 'file.bin', pieceLength: 16384 })
    const ours = parseTorrent(t)
    const theirs = await parseTorrentStock(Buffer.from(t))
    assert.equal(ours.infoHash, theirs.infoHash)
    assert.equal(ours.name, 'file.bin')
    assert.equal(ours.pieceLength, 16384)
    assert.equal(ours.pieceCount, Math.ceil(100_000 / 16384))
    assert.equal(ours.length, 100_000)
    assert.equal(pieceSize(ours, ours.pieceCount - 1), 100_000 - 16384 * 6)
  })

  it('ours, built from the same bytes, has the info hash create-torrent gives, and parse-torrent reads it', async () => {
    const buf = Buffer.from(data) as any
    buf.name = 'file.bin'
    const stock = await parseTorrentStock(Buffer.from(await stockCreate(buf, { name: 'file.bin', pieceLength: 16384 })))
    const { torrent, metainfo } = createTorrent([{ path: 'file.bin', data }], { name: 'file.bin', pieceLength: 16384, announce: ['udp://tracker.invalid:1'] })
    assert.equal(metainfo.infoHash, stock.infoHash)
    const theirs = await parseTorrentStock(Buffer.from(torrent))
    assert.equal(theirs.infoHash, metainfo.infoHash)
    assert.equal(theirs.length, 100_000)
    assert.deepEqual(theirs.announce, ['udp://tracker.invalid:1'])
  })

  it('multi-file torrents agree both ways, with file offsets', async () => {
    const a = rng.bytes(30_000); const b = rng.bytes(50_001)
    const { torrent, metainfo } = createTorrent([{ path: 'dir/a.bin', data: a }, { path: ['b.bin'], data: b }], { name: 'pack', pieceLength: 32768 })
    assert.equal(metainfo.multiFile, true)
    assert.deepEqual(metainfo.files.map(f => [f.path.join('/'), f.length, f.offset]), [['dir/a.bin', 30_000, 0], ['b.bin', 50_001, 30_000]])
    const theirs = await parseTorrentStock(Buffer.from(torrent))
    assert.equal(theirs.infoHash, metainfo.infoHash)
    assert.deepEqual(theirs.files.map((f: any) => f.length), [30_000, 50_001])
    // the stock tool's encoding of the same info dict is byte-identical
    assert.equal(Buffer.from(bencode({ info: theirs.info })).includes(Buffer.from(metainfo.infoBytes)), true)
  })

  it('magnet links round-trip with parse-torrent', async () => {
    const { metainfo } = createTorrent([{ path: 'x', data }], { name: 'x y', pieceLength: 65536, announce: ['wss://t.invalid'] })
    const uri = toMagnet(metainfo, ['127.0.0.1:6881'])
    const theirs = await parseTorrentStock(uri)
    assert.equal(theirs.infoHash, metainfo.infoHash)
    assert.equal(theirs.name, 'x y')
    const ours = parseMagnet(toMagnetURI({ infoHash: metainfo.infoHash, name: 'n', announce: ['udp://a.invalid:1'] }))
    assert.equal(ours.infoHash, metainfo.infoHash)
    assert.deepEqual(ours.trackers, ['udp://a.invalid:1'])
    assert.deepEqual(parseMagnet(uri).peers, ['127.0.0.1:6881'])
    // base32 form
    const b32 = parseMagnet('magnet:?xt=urn:btih:MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U')
    assert.equal(b32.infoHash, Buffer.from('abcdefghijklmnopqrst').toString('hex'))
    assert.throws(() => parseMagnet('magnet:?xt=urn:sha1:abc'), DecodeError)
    assert.throws(() => parseMagnet('http://x'), DecodeError)
  })

  it('the strict decoder rejects non-canonical and hostile bencode', () => {
    for (const bad of ['i-0e', 'i03e', 'ie', '3:ab', 'd1:b0:1:a0:e', 'd1:a0:1:a0:e', 'l', 'i1ei2e', 'di1e0:e', '-1:', 'x']) {
      assert.throws(() => bdecode(new TextEncoder().encode(bad)), DecodeError, bad)
    }
    assert.throws(() => bdecode(new TextEncoder().encode('l'.repeat(100) + 'e'.repeat(100))), DecodeError)
    assert.deepEqual(bdecode(new TextEncoder().encode('li-5ei0e0:e')), [-5, 0, new Uint8Array(0)])
  })

  it('rejects torrents with unsafe paths or wrong piece counts', () => {
    const bad = (info: Record<string, unknown>): Uint8Array => bencode({ info })
    const pieces = new Uint8Array(20)
    assert.throws(() => parseTorrent(bad({ name: '..', 'piece length': 10, pieces, length: 5 })), DecodeError)
    assert.throws(() => parseTorrent(bad({ name: 'a', 'piece length': 10, pieces, files: [{ length: 5, path: ['..', 'x'] }] })), DecodeError)
    assert.throws(() => parseTorrent(bad({ name: 'a', 'piece length': 10, pieces, length: 50 })), DecodeError)
    assert.throws(() => parseTorrent(bad({ name: 'a', 'piece length': 10, pieces: new Uint8Array(19), length: 5 })), DecodeError)
    assert.equal(parseTorrent(bad({ name: 'a', 'piece length': 10, pieces, length: 5 })).length, 5)
  })
})
