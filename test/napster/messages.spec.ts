/** OpenNap frames byte for byte, round trips, bad input, and a 10^5-frame fuzz. */
import assert from 'node:assert/strict'
import { DecodeError } from '../../src/overlay/errors.js'
import { Rng } from '../../src/overlay/rng.js'
import { decodeNap, encodeNap, type NapMsg } from '../../src/napster/messages.js'
import { napsterCodec, type NapsterMsg } from '../../src/napster/codec.js'
import { NapsterServer } from '../../src/napster/server.js'
import { NapsterClient } from '../../src/napster/client.js'
import { FakeEnv } from '../search/fake-env.js'

const HASH = '0f'.repeat(32)
const file = { name: 'Blue Moon.mp3', hash: HASH, size: 300000, bitrate: 128, freq: 44100, time: 19 }

describe('napster (OpenNap) frames', () => {
  it('<length:2 LE><type:2 LE><data>: a search and a share, byte for byte', () => {
    const s = encodeNap({ type: 'search', query: 'blue moon', max: 100 })
    const data = 'FILENAME CONTAINS "blue moon" MAX_RESULTS 100'
    assert.equal(Buffer.from(s.subarray(0, 4)).toString('hex'), data.length.toString(16).padStart(2, '0') + '00' + 'c800')
    assert.equal(Buffer.from(s.subarray(4)).toString(), data)
    const sh = encodeNap({ type: 'share', file })
    assert.equal(sh[2] | (sh[3] << 8), 100)
    assert.equal(Buffer.from(sh.subarray(4)).toString(), `"Blue Moon.mp3" ${HASH} 300000 128 44100 19`)
    assert.equal(Buffer.from(encodeNap({ type: 'end-results' })).toString('hex'), '0000ca00')
  })

  it('round-trips every message', () => {
    const msgs: NapMsg[] = [
      { type: 'login', nick: 'peer1', password: 'x', port: 6699, client: 'overlaykit 1', link: 7, addrs: ['/ip4/127.0.0.1/tcp/1', '/ip4/10.0.0.1/tcp/2'] },
      { type: 'login', nick: 'peer1', password: 'x', port: 0, client: 'c', link: 0, addrs: [] },
      { type: 'login-ack', email: 'a@b' },
      { type: 'share', file },
      { type: 'unshare', name: 'Blue Moon.mp3' },
      { type: 'search', query: 'blue moon', max: 100 },
      { type: 'result', file, nick: 'peer2', ip: 16777343, link: 7, addrs: ['/ip4/127.0.0.1/tcp/5'] },
      { type: 'end-results' },
      { type: 'download-req', nick: 'peer2', name: 'Blue Moon.mp3' },
      { type: 'download-ack', nick: 'peer2', ip: 0, port: 0, name: 'Blue Moon.mp3', hash: HASH, speed: 7, addrs: [] },
      { type: 'download-err', nick: 'peer2', name: 'x y' },
      { type: 'browse', nick: 'peer2' },
      { type: 'browse-result', nick: 'peer2', file },
      { type: 'browse-end', nick: 'peer2' },
      { type: 'error', text: 'not logged in' },
      { type: 'alt-download-req', nick: 'peer2', name: 'Blue Moon.mp3' },
      { type: 'alt-download-ack', nick: 'peer1', ip: 0, port: 6699, name: 'Blue Moon.mp3', hash: HASH, speed: 7, addrs: ['/x'] },
      { type: 'ping', nick: 'p' },
      { type: 'pong', nick: 'p' }
    ]
    for (const m of msgs) {
      assert.deepEqual(decodeNap(encodeNap(m)), m)
      assert.deepEqual(napsterCodec.decode(napsterCodec.encode(m)), m)
    }
  })

  it('refuses a wrong length field, unknown types, bad fields', () => {
    const b = encodeNap({ type: 'browse', nick: 'abc' })
    assert.throws(() => decodeNap(b.subarray(0, b.length - 1)), /disagrees/)
    const t = b.slice(); t[2] = 0x63
    assert.throws(() => decodeNap(t), /unknown napster message type/)
    const bad = (type: number, data: string): Uint8Array => { const d = Buffer.from(data); return Uint8Array.from([d.length & 0xff, d.length >> 8, type & 0xff, type >> 8, ...d]) }
    assert.throws(() => decodeNap(bad(100, '"a.mp3" nothex 1 2 3 4')), DecodeError)
    assert.throws(() => decodeNap(bad(100, `"a.mp3 ${HASH} 1 2 3 4`)), DecodeError)
    assert.throws(() => decodeNap(bad(200, 'FILENAME CONTAINS blue MAX_RESULTS 1')), DecodeError)
    assert.throws(() => decodeNap(bad(203, 'nick "file" extra')), DecodeError)
    assert.throws(() => encodeNap({ type: 'unshare', name: 'has "quotes"' }))
  })

  it('fuzz: 10^5 random and mutated frames decode or throw DecodeError; server and client fed them never throw', () => {
    const rng = new Rng('napster-fuzz')
    const seeds = ([
      { type: 'login', nick: 'a', password: 'x', port: 6699, client: 'c', link: 7, addrs: ['/ip4/1.2.3.4/tcp/1'] },
      { type: 'share', file },
      { type: 'search', query: 'blue moon', max: 100 },
      { type: 'result', file, nick: 'b', ip: 1, link: 7, addrs: [] },
      { type: 'download-ack', nick: 'b', ip: 0, port: 0, name: 'Blue Moon.mp3', hash: HASH, speed: 7, addrs: [] },
      { type: 'alt-download-ack', nick: 'a', ip: 0, port: 1, name: 'Blue Moon.mp3', hash: HASH, speed: 7, addrs: [] },
      { type: 'end-results' }
    ] as NapsterMsg[]).map(m => napsterCodec.encode(m))
    const senv = new FakeEnv<NapsterMsg>({ id: 'server' })
    const server = new NapsterServer(senv, { maxFilesPerUser: 50 })
    server.start()
    const cenv = new FakeEnv<NapsterMsg>({ id: 'a' })
    const client = new NapsterClient(cenv, { server: { id: 'server' } })
    client.start()
    client.onMessage({ id: 'server' }, { type: 'login-ack', email: 'x' })
    client.search('blue', { limit: 10, timeoutMs: 1000 }, () => {}, () => {})
    let decoded = 0
    // stack traces are most of a DecodeError's cost; the fuzz only needs the error's class
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
    for (let i = 0; i < 100_000; i++) {
      let b: Uint8Array
      if (i % 4 === 0) b = rng.bytes(rng.int(100))
      else {
        b = rng.pick(seeds).slice()
        for (let k = 1 + rng.int(3); k > 0; k--) b[rng.int(b.length)] = rng.int(256)
        if (rng.bool(0.2)) b = b.subarray(0, rng.int(b.length + 1))
      }
      let msg: NapsterMsg
      try { msg = napsterCodec.decode(b); decoded++ } catch (err) { assert.ok(err instanceof DecodeError, String(err)); continue }
      server.onMessage({ id: rng.pick(['a', 'b']) }, msg)
      client.onMessage({ id: rng.pick(['server', 'b']) }, msg)
      senv.take(); cenv.take()
    }
    } finally { Error.stackTraceLimit = limit }
    assert.ok(decoded > 1000, `only ${decoded} decoded`)
    assert.ok(server.indexSize <= 100, 'per-user share limit held')
  })
})
