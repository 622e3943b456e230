/**
 * A hostile libp2p node speaking the Chord protocol (issue 12, chord bullet): real nodes, Noise + yamux,
 * on the memory and TCP transports; 5 honest nodes and one attacker that joins the ring and then sends
 * crafted messages through its own Chord stream. Each case asserts that honest nodes read only authentic
 * data and that the attacker's messages were counted as refused.
 */
import assert from 'node:assert/strict'
import { chord, type ChordService } from '../../src/chord/index.js'
import type { ChordMessage, WireItem } from '../../src/chord/messages.js'
import { deriveNodeId, makeNode, type NodeInfo } from '../../src/chord/node.js'
import { checkRing, ownerOf, sortedRing } from '../../src/chord/oracle.js'
import { decodeSigned, encodeSigned, immutableKey, signRecord } from '../../src/chord/records.js'
import { itemId, KIND_PROVIDERS, KIND_VALUE } from '../../src/chord/store.js'
import { hashToId, utf8 } from '../../src/overlay/ids.js'
import { signerFromSeed } from '../../src/overlay/identity.js'
import { createSwarm, type Swarm, type SwarmTransport } from '../../src/runtime/libp2p/swarm.js'

async function until (cond: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const end = Date.now() + limitMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

const HONEST = 5
const text = (b?: Uint8Array): string => new TextDecoder().decode(b)
const item = (key: Uint8Array, value: Uint8Array, version: number, kind = KIND_VALUE): WireItem => ({ key, kind, version, value, deleted: false, providers: [] })

for (const transport of ['memory', 'tcp'] as SwarmTransport[]) {
  describe(`hostile chord peer (libp2p, ${transport})`, function () {
    this.timeout(90_000)
    let swarm: Swarm<{ chord: ChordService }> | undefined
    const svc = (i: number): ChordService => (swarm as Swarm<{ chord: ChordService }>).nodes[i].services.chord
    const honest = (): ChordService[] => Array.from({ length: HONEST }, (_, i) => svc(i))
    const attacker = (): ChordService => svc(HONEST)
    const count = (name: string): number => honest().reduce((s, x) => s + x.machine.env.stats.get(name), 0)
    /** The attacker sends a crafted message to honest node i over its real Chord stream. */
    const send = (i: number, msg: ChordMessage): void => { attacker().machine.send({ id: swarm!.nodes[i].peerId.toString(), addrs: [swarm!.addr(i).toString()] }, msg) }

    before(async () => {
      swarm = await createSwarm(HONEST + 1, () => ({ chord: chord({ stabilizeMs: 150, fixFingersMs: 150, checkPredecessorMs: 500, replicateMs: 1000, rpcTimeoutMs: 2000 }) }), { transport, seed: `hostile-chord-${transport}` })
      for (let i = 1; i <= HONEST; i++) await svc(i).join(swarm.addr(0))
      await until(() => checkRing(swarm!.nodes.map(n => n.services.chord.machine)).length === 0, 'the ring invariant')
    })

    after(async () => { await swarm?.stop() })

    // the attacker's refused messages raise its penalty in the driver's peer score, which eventually
    // disconnects it: the routing attacks run first, while it is still connected
    it('a router answering every step with itself: disjoint-path lookups name the true owner', async () => {
      const a = attacker().machine
      const me = a.vnodes[0].self
      const orig = a.onMessage.bind(a)
      a.onMessage = (from, msg: ChordMessage) => {
        if (msg.t === 'find') { a.send(from, { t: 'next', req: msg.req, done: true, nodes: [me] }); return }
        orig(from, msg)
      }
      try {
        const ring = sortedRing(swarm!.nodes.map(n => n.services.chord.machine))
        for (let k = 0; k < 20; k++) {
          const key = hashToId(utf8(`lie-${transport}-${k}`), 160)
          const done = await new Promise<NodeInfo | undefined>((resolve) => { svc(k % HONEST).machine.lookup({ key, paths: 4 }, (_e, r) => { resolve(r?.owner) }) })
          assert.equal(done?.tag, ownerOf(ring, key).tag)
        }
      } finally { a.onMessage = orig }
    })

    it('recursive lookup answers for guessed request ids are refused', async () => {
      const fake = attacker().machine.vnodes[0].self
      const before = count('chord:unsolicited')
      let hijacked = 0
      const ring = sortedRing(swarm!.nodes.map(n => n.services.chord.machine))
      for (let k = 0; k < 20; k++) {
        const i = k % HONEST
        const key = hashToId(utf8(`rk-${transport}-${k}`), 160)
        const pending = new Promise<void>((resolve) => {
          svc(i).machine.lookup({ key, mode: 'recursive' }, (err, res) => {
            if (err == null && res !== undefined && res.owner.peer === fake.peer && ownerOf(ring, key).peer !== fake.peer) hijacked++
            resolve()
          })
        })
        for (let g = 1; g <= 50; g++) send(i, { t: 'rdone', req: g, nodes: [fake], hops: 1, path: [] })
        await pending
      }
      assert.equal(hijacked, 0)
      // (the driver may drop or cut off a peer this abusive before all of them reach the machine)
      await until(() => count('chord:unsolicited') > before, 'refusals')
    })

    it('store and replica pushes with versions 2^40 and 2^53−1 cannot overwrite a signed record', async () => {
      const key = await svc(0).putSigned('profile', utf8('honest'))
      const all = (): ChordService[] => swarm!.nodes.map(n => n.services.chord)
      await until(() => all().filter(s => s.machine.store.get(itemId(KIND_VALUE, key)) !== undefined).length >= 3, 'three replicas')
      const real = all().map(s => s.machine.store.get(itemId(KIND_VALUE, key))?.value).find(v => v !== undefined) as Uint8Array
      const rec = decodeSigned(real)
      assert.ok(rec !== undefined)
      const tampered = encodeSigned({ ...rec, value: utf8('evil'), seq: 2 ** 53 - 1 })
      const own = encodeSigned(signRecord(signerFromSeed(new Uint8Array(32).fill(7)), 'profile', 2 ** 40, utf8('evil')))
      const before = count('chord:bad-signature') + count('chord:key-mismatch')
      for (let i = 0; i < HONEST; i++) {
        for (const [v, version] of [[tampered, 2 ** 40], [own, 2 ** 53 - 1], [real, 2 ** 53 - 1]] as const) {
          send(i, { t: 'items', items: [item(key, v, version)], handoff: false })
          send(i, { t: 'store', req: 1, item: item(key, v, version), op: 'put' })
        }
      }
      await until(() => count('chord:bad-signature') + count('chord:key-mismatch') > before, 'refusals')
      for (let i = 0; i < HONEST; i++) assert.equal(text(await svc(i).getSigned(swarm!.nodes[0].peerId, 'profile')), 'honest')
      await svc(0).putSigned('profile', utf8('honest-2'))
      for (let i = 0; i < HONEST; i++) assert.equal(text(await svc(i).getSigned(swarm!.nodes[0].peerId, 'profile')), 'honest-2')
    })

    it('writes to keys outside every namespace are refused (the node is not open)', async () => {
      await assert.rejects(svc(1).put('plain', utf8('x')), /unvalidated-write/)
      const before = count('chord:unvalidated-write')
      for (let i = 0; i < HONEST; i++) send(i, { t: 'store', req: 2, item: item(utf8('plain'), utf8('x'), 2 ** 40), op: 'put' })
      await until(() => count('chord:unvalidated-write') >= before + 1, 'refusals')
      await assert.rejects(svc(2).get('plain'), (e: any) => e.code === 'ERR_NOT_FOUND')
    })

    it('64 KiB stores of keys the node does not hold are refused, not kept (issue 13)', async () => {
      const victim = svc(1).machine
      const bytesBefore = victim.kv.adm.storedBytes
      const before = victim.env.stats.get('chord:not-responsible')
      const big = new Uint8Array(64 * 1024)
      let sent = 0
      for (let i = 0; sent < 100; i++) {
        new DataView(big.buffer).setUint32(0, i)
        const key = immutableKey(big)
        if (victim.kv.adm.shouldHold(hashToId(key, 160))) continue
        send(1, { t: 'store', req: 10 + i, item: item(key, big.slice(), 0), op: 'put' })
        sent++
      }
      // each refusal also costs the attacker score: by this test it may be cut off part-way (the
      // driver's back-off), which refuses the rest at the door; either way nothing is kept
      const bannedBefore = victim.env.stats.get('driver:banned')
      await until(() => victim.env.stats.get('chord:not-responsible') >= before + 50 || victim.env.stats.get('driver:banned') > bannedBefore, 'refusals')
      assert.ok(victim.env.stats.get('chord:not-responsible') > before, 'stores refused by the machine and counted')
      assert.ok(victim.kv.adm.storedBytes - bytesBefore < 64 * 1024)
    })

    it('provider records cannot name a third party', async () => {
      const key = utf8(`info-hash-${transport}`)
      const before = count('chord:provider-not-sender')
      for (let i = 0; i < HONEST; i++) {
        send(i, { t: 'store', req: 3, op: 'provide', item: { key, kind: KIND_PROVIDERS, version: 0, deleted: false, providers: [{ peer: swarm!.nodes[1].peerId.toString(), addrs: [], expires: Date.now() + 1e9 }] } })
      }
      await until(() => count('chord:provider-not-sender') > before, 'refusals')
      const found: string[] = []
      for await (const p of svc(3).findProviders(key)) found.push(p.id)
      assert.deepEqual(found, [])
    })

    it('a vnode index beyond maxVnodes cannot place the attacker before a key', async () => {
      const key = await svc(2).putImmutable(utf8('placed'))
      const rid = hashToId(key, 160)
      const ring = sortedRing(swarm!.nodes.map(n => n.services.chord.machine))
      const owner = ownerOf(ring, rid)
      const me = swarm!.nodes[HONEST].peerId.toString()
      let best: NodeInfo | undefined; let bestD = 0n
      const mask = (1n << 160n) - 1n
      for (let v = 32; v < 0x2000; v++) {
        const d = (rid - deriveNodeId(me, v, 160)) & mask
        if (best === undefined || d < bestD) { best = makeNode(me, v, 160); bestD = d }
      }
      const before = count('chord:vnode-beyond-max')
      const ownerIndex = swarm!.nodes.findIndex(n => n.peerId.toString() === owner.peer)
      for (let i = 0; i < HONEST; i++) {
        if (i === ownerIndex) send(i, { t: 'notify', vnode: owner.vnode, node: best as NodeInfo })
        send(i, { t: 'leave', node: attacker().machine.vnodes[0].self, nodes: [best as NodeInfo], items: [] })
      }
      await until(() => count('chord:vnode-beyond-max') > before, 'refusals')
      for (let i = 0; i < HONEST; i++) {
        const r = await svc(i).lookup(rid)
        assert.ok(r.ownerVnode < 32)
        assert.equal(text(await svc(i).get(key)), 'placed')
      }
    })

  })
}
