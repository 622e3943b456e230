/**
 * Bad input on the live driver: raw streams to the ping protocol carrying frames over the size
 * limit, garbage, an unknown message type, a truncated frame. Each is counted, and the node keeps
 * serving its other peers.
 */
import assert from 'node:assert/strict'
import { encodeFrame } from '../../src/runtime/libp2p/frames.js'
import { createSwarm, type Swarm } from '../../src/runtime/libp2p/swarm.js'
import { DecodeError, UnknownTypeError } from '../../src/overlay/errors.js'
import { pingCodec } from '../../src/ping/codec.js'
import { ping, type PingService } from '../../src/ping/service.js'
import { PING_PROTOCOL } from '../../src/ping/spec.js'
import { waitFor } from './util.js'
import type { Stream } from '@libp2p/interface'

describe('live driver: bad input', function () {
  let swarm: Swarm<{ ping: PingService }>
  let target: PingService
  let bystander: PingService

  const dropped = (reason: string): number => target.stats.messages.get(reason)?.dropped ?? 0
  const raw = async (): Promise<Stream> => await swarm.nodes[1].dialProtocol(swarm.addr(0), PING_PROTOCOL)
  const stillServes = async (): Promise<void> => {
    const rtt = await bystander.ping(target.self)
    assert.ok(rtt > 0)
  }

  before(async function () {
    swarm = await createSwarm(3, () => ({ ping: ping({ timeoutMs: 2000 }) }), { transport: 'memory', seed: 3 })
    target = swarm.nodes[0].services.ping
    bystander = swarm.nodes[2].services.ping
    await stillServes()
  })

  after(async function () { await swarm?.stop() })

  it('a frame over the size limit resets that stream and is counted', async function () {
    const s = await raw()
    const before = dropped('oversize')
    const huge = new Uint8Array(pingCodec.maxFrameBytes + 1)
    s.send(encodeFrame(huge, Infinity))
    await waitFor(() => s.status !== 'open', 'the stream to be reset')
    assert.equal(s.status, 'reset')
    assert.equal(dropped('oversize'), before + 1)
    await stillServes()
  })

  it('an oversize length prefix is refused before the body arrives', async function () {
    const s = await raw()
    const before = dropped('oversize')
    // varint of 2^30: no body follows, the prefix alone must trigger the reset
    s.send(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x04]))
    await waitFor(() => s.status !== 'open', 'the stream to be reset')
    assert.equal(dropped('oversize'), before + 1)
    await stillServes()
  })

  it('garbage frames are dropped and counted; the same stream keeps working', async function () {
    const garbage = Uint8Array.from([0x0f, 0xff, 0x01])
    const garbage2 = Uint8Array.from([0x12, 0x05, 0x01])
    for (const g of [garbage, garbage2]) {
      assert.throws(() => pingCodec.decode(g), (e: unknown) => e instanceof DecodeError && !(e instanceof UnknownTypeError))
    }
    const s = await raw()
    const beforeDrops = dropped('decode-error')
    const beforeUnknown = dropped('unknown-type')
    const beforePings = target.stats.messages.get('ping')?.received ?? 0
    s.send(encodeFrame(garbage, 1024))
    s.send(encodeFrame(garbage2, 1024))
    s.send(encodeFrame(pingCodec.encode({ type: 'ping', seq: 4242, payload: new Uint8Array(0) }), 1024))
    await waitFor(() => (target.stats.messages.get('ping')?.received ?? 0) === beforePings + 1, 'the valid ping after the garbage')
    assert.equal(dropped('decode-error'), beforeDrops + 2)
    assert.equal(dropped('unknown-type'), beforeUnknown, 'garbage is not an unknown type')
    assert.equal(s.status, 'open')
    await stillServes()
    s.abort(new Error('done'))
  })

  it('an unknown message type (a newer peer\'s) is dropped and counted as unknown-type, not decode-error', async function () {
    const unknown = Uint8Array.from([0x08, 0x05, 0x10, 0x01]) // kind = 5, seq = 1
    assert.throws(() => pingCodec.decode(unknown), (e: unknown) => e instanceof UnknownTypeError && e.messageType === 5)
    const s = await raw()
    const beforeUnknown = dropped('unknown-type')
    const beforeDecode = dropped('decode-error')
    const beforePings = target.stats.messages.get('ping')?.received ?? 0
    s.send(encodeFrame(unknown, 1024))
    s.send(encodeFrame(pingCodec.encode({ type: 'ping', seq: 4243, payload: new Uint8Array(0) }), 1024))
    // frames on one stream are delivered in order: once the ping is in, the unknown frame was handled
    await waitFor(() => (target.stats.messages.get('ping')?.received ?? 0) === beforePings + 1, 'the valid ping after the unknown type')
    assert.equal(dropped('unknown-type'), beforeUnknown + 1)
    assert.equal(dropped('decode-error'), beforeDecode)
    assert.equal(s.status, 'open')
    await stillServes()
    s.abort(new Error('done'))
  })

  it('a frame cut off by the end of the stream is counted as truncated', async function () {
    const s = await raw()
    const before = dropped('truncated')
    s.send(Uint8Array.from([0x10, 0x08, 0x01])) // announces 16 bytes, sends 2
    await s.close()
    await waitFor(() => dropped('truncated') === before + 1, 'the truncated frame to be counted')
    await stillServes()
  })
})
