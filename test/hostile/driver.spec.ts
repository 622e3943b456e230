/**
 * Hostile peers against the libp2p driver (issue 13): real libp2p attackers (Noise + yamux, memory
 * and TCP) speak the victim's protocol (ping) badly — slow partial frames over 8 connections × 16
 * streams, a length prefix then silence, 1-byte garbage floods, valid-ping floods, many streams per
 * connection. After each: the victim's honest pings still succeed, what it holds for frames is back
 * to zero and its memory within a bound, and the attacker has been disconnected and is refused for
 * its back-off. Conditions are polled with bounded deadlines; nothing sleeps.
 */
import assert from 'node:assert/strict'
import { encodeFrame } from '../../src/runtime/libp2p/frames.js'
import { pingCodec } from '../../src/ping/codec.js'
import { PING_PROTOCOL } from '../../src/ping/spec.js'
import { CONNECTION_PROFILES } from '../../src/runtime/libp2p/limits.js'
import { attackerNode, flood, freshIdConnections, GARBAGE_BYTE, lengthPrefix, openStreams, partialFrames, stopAttackers } from './helpers/attacks.js'
import { createVictim, heapMiB, TEST_POLICY, type Victim } from './helpers/victim.js'
import { waitFor } from '../runtime/util.js'
import type { Libp2p } from '@libp2p/interface'

const MIB = 2 ** 20

for (const transport of ['memory', 'tcp'] as const) {
  describe(`hostile peers vs the driver (${transport})`, function () {
    this.timeout(60_000)
    let victim: Victim
    let attackers: Libp2p[] = []
    const driver = (): Victim['node']['services']['ping']['driver'] => victim.node.services.ping.driver
    const dropped = (what: string): number => driver().stats.messages.get(what)?.dropped ?? 0

    beforeEach(async function () {
      victim = await createVictim(transport)
      attackers = []
    })

    afterEach(async function () {
      await stopAttackers(attackers)
      await victim?.stop()
    })

    /** The attacker is cut off: no connection either way, refused by the gate, and a new dial fails. */
    async function assertCutOff (attacker: Libp2p): Promise<void> {
      const id = attacker.peerId.toString()
      await waitFor(() => victim.refuses(id), `${id} refused`)
      await waitFor(() => victim.node.getConnections(attacker.peerId).length === 0, 'the attacker disconnected')
      await assert.rejects(attacker.dialProtocol(victim.node.getMultiaddrs()[0], PING_PROTOCOL, { signal: AbortSignal.timeout(5000) }))
      assert.equal(victim.node.getConnections(attacker.peerId).length, 0)
      const left = driver().limitsStatus().refused.find(r => r.peer === id)?.msLeft ?? 0
      assert.ok(left > 0 && left <= 60_000, `back-off left ${left} ms`)
    }

    async function assertHonestServed (): Promise<void> {
      const rtt = await victim.probe()
      assert.ok(rtt > 0)
      await waitFor(() => driver().resources().bufferedBytes === 0, 'no incomplete frames held')
    }

    it('slow partial frames on 8 connections × 16 streams: budgets and deadlines hold, every attacker cut off', async function () {
      const heapBefore = heapMiB()
      for (let i = 0; i < 8; i++) attackers.push(await attackerNode(transport))
      let maxHeld = 0
      const sample = setInterval(() => { maxHeld = Math.max(maxHeld, driver().resources().bufferedBytes) }, 5)
      try {
        await Promise.all(attackers.map(async a => {
          const { streams } = await openStreams(a, victim.node.getMultiaddrs()[0], PING_PROTOCOL, 16)
          partialFrames(streams, pingCodec.maxFrameBytes)
        }))
        for (const a of attackers) await assertCutOff(a)
      } finally { clearInterval(sample) }
      // never more than one budget per attacker, in total
      assert.ok(maxHeld <= 8 * (TEST_POLICY.maxBufferedBytesPerPeer as number), `held ${maxHeld} bytes`)
      assert.ok(dropped('over-budget') > 0, 'streams past the budget were reset')
      await assertHonestServed()
      await stopAttackers(attackers)
      attackers = []
      const growth = heapMiB() - heapBefore
      assert.ok(growth < 32, `memory after the attack: +${growth.toFixed(1)} MiB`)
    })

    it('a peer past its buffer budget has every stream holding part of a frame reset at once, whatever its score', async function () {
      // a light over-budget penalty and a long deadline: the budget alone must release what the peer made us hold
      await victim.stop()
      victim = await createVictim(transport, { policy: { ...TEST_POLICY, frameDeadlineMs: 60_000, score: { ...TEST_POLICY.score, weights: { ...TEST_POLICY.score?.weights, overBudget: 1 } } } })
      const budget = driver().policy.maxBufferedBytesPerPeer
      const a = await attackerNode(transport)
      attackers.push(a)
      const { streams } = await openStreams(a, victim.node.getMultiaddrs()[0], PING_PROTOCOL, 5)
      assert.equal(streams.length, 5)
      const part = Math.floor(budget / 4.25)
      const partial = (s: typeof streams[number], bytes: number): void => {
        const prefix = lengthPrefix(pingCodec.maxFrameBytes - 1)
        const b = new Uint8Array(prefix.byteLength + bytes)
        b.set(prefix)
        s.send(b)
      }
      for (const s of streams.slice(0, 4)) partial(s, part)
      await waitFor(() => driver().resources().bufferedBytes >= 4 * part, 'four partial frames held')
      assert.equal(dropped('over-budget'), 0)
      partial(streams[4], Math.ceil(budget / 8))
      await waitFor(() => driver().resources().bufferedBytes === 0, 'everything the peer made us hold released')
      await waitFor(() => streams.every(s => s.status !== 'open'), 'all five streams reset')
      assert.ok(dropped('over-budget') >= 5, `over-budget drops ${dropped('over-budget')}`)
      assert.ok(!victim.refuses(a.peerId.toString()), 'the budget acted, not the score')
      await assertHonestServed()
    })

    it('a length prefix then silence: each stream is reset at the frame deadline and the peer cut off', async function () {
      const a = await attackerNode(transport)
      attackers.push(a)
      const { streams } = await openStreams(a, victim.node.getMultiaddrs()[0], PING_PROTOCOL, 16)
      assert.equal(streams.length, 16)
      partialFrames(streams, pingCodec.maxFrameBytes, true)
      await assertCutOff(a)
      assert.ok(dropped('deadline') >= 1, 'deadline resets counted')
      assert.ok(driver().stats.get('driver:penalty:deadline') >= 1)
      await assertHonestServed()
    })

    it('a 1-byte garbage flood is dropped without throwing, counted, and cut off after a bounded number of frames', async function () {
      assert.throws(() => pingCodec.decode(GARBAGE_BYTE))
      const a = await attackerNode(transport)
      attackers.push(a)
      const banned = new Promise<unknown>(resolve => { driver().onEvent(e => { if (e.type === 'driver:peer-banned') resolve(e) }) })
      const { streams } = await openStreams(a, victim.node.getMultiaddrs()[0], PING_PROTOCOL, 1)
      const sent = await flood(streams[0], encodeFrame(GARBAGE_BYTE, Infinity), 200_000)
      const event = await banned as { peer: string, reason: string }
      assert.equal(event.peer, a.peerId.toString())
      assert.equal(event.reason, 'decode-error')
      await assertCutOff(a)
      // the score threshold over the decode-error weight, plus a little for decay: not the whole flood
      const errors = dropped('decode-error')
      const policy = driver().policy
      const needed = policy.score.threshold / policy.score.weights.decodeError
      assert.ok(errors >= needed * 0.9 && errors <= needed * 1.2, `${errors} decode errors before the cut (flood of ${sent})`)
      assert.equal(driver().stats.get('driver:machine-errors'), 0)
      await assertHonestServed()
    })

    it('a valid-ping flood is throttled to the rate and the flooder cut off', async function () {
      const a = await attackerNode(transport)
      attackers.push(a)
      const { streams } = await openStreams(a, victim.node.getMultiaddrs()[0], PING_PROTOCOL, 1)
      const before = driver().stats.messages.get('ping')?.received ?? 0
      const started = performance.now()
      const frame = encodeFrame(pingCodec.encode({ type: 'ping', seq: 1, payload: new Uint8Array(0) }), Infinity)
      await flood(streams[0], frame, 500_000)
      await assertCutOff(a)
      const elapsedS = (performance.now() - started) / 1000
      const accepted = (driver().stats.messages.get('ping')?.received ?? 0) - before
      const { perSec, burst } = driver().policy.frames
      assert.ok(accepted <= burst + perSec * elapsedS + 10, `${accepted} pings accepted in ${elapsedS.toFixed(2)} s`)
      assert.ok(driver().stats.get('driver:throttled') > 0, 'the flooder was throttled')
      await assertHonestServed()
    })

    it('streams per connection are bounded for the protocol', async function () {
      const a = await attackerNode(transport)
      attackers.push(a)
      const { streams, refused } = await openStreams(a, victim.node.getMultiaddrs()[0], PING_PROTOCOL, 64)
      const limit = driver().policy.maxInboundStreams
      await waitFor(() => streams.filter(s => s.status === 'open').length <= limit, 'streams over the limit refused')
      assert.ok(refused + streams.filter(s => s.status !== 'open').length >= 64 - limit, `refused ${refused}`)
      const held = victim.node.getConnections(a.peerId).flatMap(c => c.streams).filter(s => s.protocol === PING_PROTOCOL && s.direction === 'inbound' && s.status === 'open').length
      assert.ok(held <= limit, `victim holds ${held} inbound streams on the attacker's connection`)
      await assertHonestServed()
    })
  })
}

describe('hostile peers: the back-off ends', function () {
  this.timeout(60_000)
  it('a peer cut off is refused until its back-off has passed, then accepted again', async function () {
    const backoffMs = 2000
    const victim = await createVictim('memory', { policy: { ...TEST_POLICY, score: { backoffMs } } })
    const a = await attackerNode('memory')
    try {
      const { streams } = await openStreams(a, victim.node.getMultiaddrs()[0], PING_PROTOCOL, 1)
      await flood(streams[0], encodeFrame(GARBAGE_BYTE, Infinity), 10_000)
      await waitFor(() => victim.refuses(a.peerId.toString()), 'the flooder refused')
      const cutAt = performance.now()
      await assert.rejects(a.dialProtocol(victim.node.getMultiaddrs()[0], PING_PROTOCOL, { signal: AbortSignal.timeout(5000) }))
      await waitFor(() => !victim.refuses(a.peerId.toString()), 'the back-off to end', 10_000)
      assert.ok(performance.now() - cutAt >= backoffMs * 0.5)
      const s = await a.dialProtocol(victim.node.getMultiaddrs()[0], PING_PROTOCOL, { signal: AbortSignal.timeout(5000) })
      assert.equal(s.status, 'open')
    } finally {
      await stopAttackers([a])
      await victim.stop()
    }
  })
})

for (const transport of ['memory', 'tcp'] as const) describe(`hostile peers vs admission (${transport})`, function () {
  this.timeout(120_000)
  it('300 connections from fresh peer ids: the node holds no more than its configured connections, honest peers keep working', async function () {
    const maxConnections = 32
    const victim = await createVictim(transport, { profile: 'node', limits: { maxConnections } })
    let peak = 0
    const onOpen = (): void => { peak = Math.max(peak, victim.node.getConnections().length) }
    victim.node.addEventListener('connection:open', onOpen)
    let nodes: Libp2p[] = []
    try {
      const r = await freshIdConnections(transport, victim.node.getMultiaddrs()[0], 300)
      nodes = r.nodes
      assert.ok(victim.node.getConnections().length <= maxConnections, `${victim.node.getConnections().length} connections`)
      // handshakes already under way when the limit is reached may finish (at most the pending cap), then libp2p prunes
      assert.ok(peak <= maxConnections + CONNECTION_PROFILES.node.maxIncomingPendingConnections, `peak ${peak}`)
      await waitFor(() => victim.node.getConnections().length <= maxConnections, 'pruned to the limit')
      assert.ok(r.connected < 300, `${r.connected} of 300 admitted`)
      assert.ok((await victim.probe()) > 0)
    } finally {
      victim.node.removeEventListener('connection:open', onOpen)
      await stopAttackers(nodes)
      await victim.stop()
    }
  })
})
