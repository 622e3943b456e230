/**
 * Hostile peers against live gossip: 5 honest libp2p nodes (Noise + yamux, memory and TCP transports)
 * and one attacker that speaks the gossip protocol with crafted frames. Each attack asserts that the
 * honest nodes deliver only authentic data, exactly once, and count the attacker's messages under
 * stable names. Over TCP the honest nodes check signatures off the event loop (src/gossip/verifying.ts),
 * over memory on it, so both paths meet every attack. Time is driven by waiting for the counters that prove the frames arrived, never by
 * sleeping.
 */
import assert from 'node:assert/strict'
import { createSwarm, type Swarm } from '../../src/runtime/libp2p/swarm.js'
import { gossip, type GossipService } from '../../src/gossip/index.js'
import type { PeerRef } from '../../src/overlay/types.js'
import { Attacker, attackerKeys, craft, craftPut, parseId } from './gossip-helpers.js'

type S = { gossip: GossipService }

const HONEST = 5
const enc = new TextEncoder()
const dec = new TextDecoder()
/** Scaled-down quotas so a flood fits a test; the defaults are 8 MiB per origin, 64 MiB in all, 10^5 origins. */
const QUOTA = { maxOrigins: 64, maxStoredBytesPerOrigin: 256 * 1024, maxStoredBytes: 1024 * 1024 }

async function until (cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

for (const transport of ['memory', 'tcp'] as const) {
  describe(`gossip under attack (libp2p, ${transport})`, function () {
    this.timeout(60_000)
    let swarm: Swarm<S>
    let honest: GossipService[]
    let refs: PeerRef[]
    let attacker: Attacker
    /** per honest node: update id → [times delivered, payload] */
    const got: Array<Map<string, { n: number, text: string }>> = []
    const stat = (i: number, name: string): number => honest[i].stats.get(name)
    const sum = (name: string): number => honest.reduce((a, s) => a + s.stats.get(name), 0)
    const delivered = (i: number, id: string): number => got[i].get(id)?.n ?? 0
    const everywhere = (id: string, except: number): boolean => got.every((g, i) => i === except || (g.get(id)?.n ?? 0) >= 1)
    const texts = (): string[] => got.flatMap(g => [...g.values()].map(v => v.text))

    before(async () => {
      swarm = await createSwarm<S>(HONEST + 1, i => ({
        gossip: (i < HONEST
          // over TCP the honest nodes check signatures off the event loop (libuv's thread pool), over memory on it
          ? gossip({ periodMs: 100, antiEntropy: { periodMs: 500 }, ...QUOTA, ...(transport === 'tcp' ? { maxPendingChecks: 256 } : {}) })
          : gossip({ signed: false, mode: 'none', antiEntropy: { periodMs: 0 } })) as any
      }), { transport, connect: 'full', seed: `hostile-gossip-${transport}` })
      honest = swarm.nodes.slice(0, HONEST).map(n => n.services.gossip)
      refs = swarm.nodes.slice(0, HONEST).map(n => ({ id: n.peerId.toString() }))
      attacker = new Attacker(swarm.nodes[HONEST].services.gossip.machine)
      honest.forEach((s, i) => {
        got.push(new Map())
        s.onEvent(e => {
          if (e.type !== 'gossip:deliver') return
          const cur = got[i].get(e.id as string)
          got[i].set(e.id as string, { n: (cur?.n ?? 0) + 1, text: dec.decode(e.data as Uint8Array) })
        })
      })
      await until(() => honest.every(s => s.peers().length >= HONEST), 'full membership')
    })

    after(async () => { await swarm?.stop() })

    it('forged origin: an update naming an honest node as its origin is refused (bad or missing signature), never delivered', async () => {
      const [key] = attackerKeys(1)
      const origin = `${refs[0].id}/forged`
      const before = { bad: sum('gossip:bad-signature'), unsigned: sum('gossip:unsigned') }
      for (const to of refs.slice(1)) {
        attacker.rumor(to, [craft({ origin, seq: 1, time: attacker.now(), text: 'forged-signed', by: key })])
        attacker.rumor(to, [craft({ origin, seq: 2, time: attacker.now(), text: 'forged-unsigned' })])
      }
      await until(() => sum('gossip:bad-signature') >= before.bad + 4 && sum('gossip:unsigned') >= before.unsigned + 4, 'the refusals')
      assert.ok(!texts().some(t => t.startsWith('forged')), 'a forged update was delivered')
      // the real node's broadcasts still go everywhere, once
      const id = honest[0].publish('t', enc.encode('real-0'))
      await until(() => everywhere(id, 0), 'the real broadcast')
      for (let i = 1; i < HONEST; i++) assert.equal(delivered(i, id), 1)
      assert.equal(sum('gossip:verified-off-loop') > 0, transport === 'tcp', 'signatures checked where configured')
    })

    it('pre-empted sequence numbers: forged next seqs do not silence the publisher', async () => {
      const first = honest[1].publish('t', enc.encode('p-1'))
      await until(() => everywhere(first, 1) && attacker.captured(first) !== undefined, 'the first broadcast')
      const { origin, seq } = parseId(first)
      const [key] = attackerKeys(1)
      const before = sum('gossip:bad-signature')
      for (const to of refs) for (let s = seq + 1; s <= seq + 3; s++) attacker.rumor(to, [craft({ origin, seq: s, time: attacker.now(), text: `pre-empt-${s}`, by: key })])
      await until(() => sum('gossip:bad-signature') >= before + 3 * (HONEST - 1), 'the refusals')
      const ids = [2, 3, 4].map(k => honest[1].publish('t', enc.encode(`p-${k}`)))
      await until(() => ids.every(id => everywhere(id, 1)), 'the three real broadcasts')
      for (const id of ids) for (let i = 0; i < HONEST; i++) if (i !== 1) assert.equal(delivered(i, id), 1)
      assert.ok(!texts().some(t => t.startsWith('pre-empt')))
    })

    it('oversize and quota flood: stored bytes stay within the per-origin and total quotas; honest broadcasts still go through once', async () => {
      const keys = attackerKeys(6, 'flood')
      // pushed inline, so within maxPushedBytes (64 KiB): 8 of them pass an origin's 256 KiB quota
      const big = (fill: number): Uint8Array => new Uint8Array(64 * 1024).fill(fill)
      const before = { quota: sum('gossip:quota-origin'), invalid: sum('gossip:invalid') }
      for (const to of refs) {
        // larger than maxMessageBytes (1 MiB), though the frame itself is legal
        attacker.rumor(to, [craft({ origin: `${keys[0].id}/o`, seq: 1, time: attacker.now(), data: new Uint8Array(1024 * 1024 + 1), by: keys[0] })])
        keys.forEach((k, j) => { for (let s = 1; s <= 8; s++) attacker.rumor(to, [craft({ origin: `${k.id}/1`, seq: s, time: attacker.now(), topic: 'flood', data: big(j * 8 + s), by: k })]) })
      }
      await until(() => sum('gossip:invalid') >= before.invalid + HONEST && sum('gossip:quota-origin') >= before.quota + HONEST, 'the refusals')
      for (const s of honest) {
        const store = s.machine.store
        assert.ok(store.bytes <= QUOTA.maxStoredBytes, `stored ${store.bytes} bytes`)
        for (const k of keys) assert.ok(store.bytesOf(k.id) <= QUOTA.maxStoredBytesPerOrigin, `stored ${store.bytesOf(k.id)} bytes of one origin`)
      }
      const id = honest[2].publish('t', enc.encode('after-flood'))
      await until(() => everywhere(id, 2), 'a broadcast after the flood')
      for (let i = 0; i < HONEST; i++) if (i !== 2) assert.equal(delivered(i, id), 1)
    })

    it('replay after a flood of fresh origins: the seen-set does not forget within the TTL', async () => {
      const id = honest[2].publish('t', enc.encode('replay-me'))
      await until(() => everywhere(id, 2) && attacker.captured(id) !== undefined, 'the broadcast')
      const u = attacker.captured(id)!
      const keys = attackerKeys(2 * QUOTA.maxOrigins, 'fresh')
      const victim = refs[3]
      const before = stat(3, 'gossip:origins-full')
      keys.forEach((k, j) => attacker.rumor(victim, [craft({ origin: `${k.id}/1`, seq: 1, time: attacker.now(), topic: 'flood', text: `flood-${j}`, by: k })]))
      await until(() => stat(3, 'gossip:origins-full') > before, 'the origin quota to be hit')
      const dup = stat(3, 'gossip:duplicate')
      attacker.rumor(victim, [u])
      await until(() => stat(3, 'gossip:duplicate') > dup, 'the replay to arrive')
      assert.equal(delivered(3, id), 1, 'the replay was delivered again')
    })

    it('replay after a restart within the TTL: not delivered again', async () => {
      const id = honest[0].publish('t', enc.encode('before-restart'))
      await until(() => everywhere(id, 0) && attacker.captured(id) !== undefined, 'the broadcast')
      const u = attacker.captured(id)!
      await honest[4].stop()
      await honest[4].start()
      const before = stat(4, 'gossip:before-start')
      attacker.rumor(refs[4], [u])
      await until(() => stat(4, 'gossip:before-start') > before, 'the replay to arrive')
      assert.equal(delivered(4, id), 1)
      // and the restarted node still gets what is published after it
      const after = honest[1].publish('t', enc.encode('after-restart'))
      await until(() => everywhere(after, 1), 'a broadcast after the restart')
      assert.equal(delivered(4, after), 1)
    })

    it('a map write with Lamport clock 2^53 − 1 is refused; an honest put of the same key wins everywhere', async () => {
      const [key] = attackerKeys(1, 'lamport')
      const before = { ahead: sum('gossip:clock-ahead'), bad: sum('gossip:bad-signature') }
      for (const to of refs) {
        attacker.rumor(to, [craftPut({ by: key, key: 'leader', value: 'attacker', lamport: Number.MAX_SAFE_INTEGER, time: attacker.now() })])
        // the same under an honest node's name (signed by the wrong key)
        attacker.rumor(to, [craftPut({ by: key, origin: `${refs[0].id}/x`, key: 'leader', value: 'attacker', lamport: Number.MAX_SAFE_INTEGER, time: attacker.now() })])
      }
      await until(() => sum('gossip:clock-ahead') >= before.ahead + HONEST && sum('gossip:bad-signature') >= before.bad + HONEST, 'the refusals')
      honest[3].put('leader', enc.encode('honest'))
      await until(() => honest.every(s => dec.decode(s.get('leader') ?? new Uint8Array()) === 'honest'), 'the honest value everywhere')
    })

    // last: the attacker ends up refused by every honest node
    it('a 1 MiB payload pushed whole is refused unhashed and its pusher cut off; an honest large payload (announced, fetched) reaches everyone', async () => {
      const [key] = attackerKeys(1, 'pushed')
      const before = { oversize: sum('gossip:oversize-push'), banned: sum('driver:banned'), stored: honest.map(s => s.machine.store.bytes) }
      for (const to of refs) attacker.rumor(to, [craft({ origin: `${key.id}/1`, seq: 1, time: attacker.now(), data: new Uint8Array(1024 * 1024).fill(7), by: key })])
      await until(() => sum('gossip:oversize-push') >= before.oversize + HONEST, 'the refusals')
      // 1 per 8 KiB: 128 points, past the driver's threshold (100) at the first such push
      await until(() => honest.every(s => s.driver.limitsStatus().refused.some(r => r.peer === attacker.machine.env.self.id)), 'every honest node to refuse the attacker')
      honest.forEach((s, i) => assert.equal(s.machine.store.bytes, before.stored[i], 'stored bytes of a refused push'))
      const id = honest[1].publish('t', new Uint8Array(200 * 1024).fill(9))
      await until(() => everywhere(id, 1), 'a large honest broadcast')
      for (let i = 0; i < HONEST; i++) if (i !== 1) assert.equal(delivered(i, id), 1)
    })

  })
}
