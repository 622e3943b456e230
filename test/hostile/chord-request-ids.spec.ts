/**
 * Request ids of a live Chord node that has no Ed25519 key (issue 17 / 12): such a node cannot derive
 * its ids from a signature. An answer to a recursive lookup comes from whichever node ends the path,
 * so the origin accepts it for its request id alone: an id computed from public data (the node's peer
 * id and a counter) lets any peer that saw one of its requests predict the next ids and answer a
 * lookup it was never asked. Real libp2p nodes on the memory transport; the victim's identity is a
 * secp256k1 key (no `env.signer`); the attacker is a ring member that speaks the real protocol.
 */
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { chord, type ChordService } from '../../src/chord/index.js'
import type { LookupOutcome } from '../../src/chord/lookup.js'
import type { ChordMessage } from '../../src/chord/messages.js'
import { checkRing, ownerOf, sortedRing } from '../../src/chord/oracle.js'
import { unsignedRequestId } from '../../src/chord/request-ids.js'
import { hashToId, utf8 } from '../../src/overlay/ids.js'
import type { PeerRef } from '../../src/overlay/types.js'
import { createNode, createSwarm, type Swarm } from '../../src/runtime/libp2p/swarm.js'

async function until (cond: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

/** How far the attacker searches for the counter behind an observed id, and how many ids it forges after it. */
const SEARCH = 200_000
const FORGED = 100

describe('hostile chord peer: request ids of a live node without an Ed25519 key', function () {
  this.timeout(60_000)
  const options = { stabilizeMs: 200, fixFingersMs: 200, checkPredecessorMs: 1000, rpcTimeoutMs: 500 }
  let swarm: Swarm<{ chord: ChordService }> | undefined
  let victimNode: Libp2p<{ chord: ChordService }> | undefined
  const svc = (i: number): ChordService => (swarm as Swarm<{ chord: ChordService }>).nodes[i].services.chord
  /** Node 1 swallows recursive lookups (so one stays open); node 3 is the attacker. */
  const blackHole = (): ChordService => svc(1)
  const attacker = (): ChordService => svc(3)
  const victim = (): ChordService => (victimNode as Libp2p<{ chord: ChordService }>).services.chord
  const refOf = (s: ChordService): PeerRef => s.machine.self

  before(async () => {
    swarm = await createSwarm(4, () => ({ chord: chord(options) }), { transport: 'memory', seed: 'hostile-chord-request-ids' })
    victimNode = await createNode({ chord: chord(options) }, { transport: 'memory', config: { privateKey: await generateKeyPair('secp256k1') } })
    for (let i = 1; i < 4; i++) await svc(i).join(swarm.addr(0))
    await victim().join(swarm.addr(0))
    const machines = [...swarm.nodes.map(n => n.services.chord.machine), victim().machine]
    await until(() => checkRing(machines).length === 0, 'the ring invariant')
  })

  after(async () => {
    await victimNode?.stop()
    await swarm?.stop()
  })

  it('a peer that saw one of its request ids cannot answer its recursive lookup in the owner\'s place', async () => {
    const v = victim().machine
    assert.equal(v.env.signer, undefined, 'the victim has no Ed25519 key, so no signer')
    const vid = v.self.id

    // 1. the attacker sees one request of the victim's: a lookup step the victim asks it
    const a = attacker().machine
    const seen: number[] = []
    const aOrig = a.onMessage.bind(a)
    a.onMessage = (from, msg: ChordMessage) => {
      if (from.id === vid && 'req' in msg && typeof msg.req === 'number') seen.push(msg.req)
      aOrig(from, msg)
    }
    await new Promise<void>((resolve) => { v.lookup({ key: hashToId(utf8('probe'), 160), via: refOf(attacker()), mode: 'iterative', internal: true }, () => { resolve() }) })
    await until(() => seen.length > 0, 'a request from the victim')

    // 2. from public data (the victim's peer id) it looks for the counter behind that id, and forges the next ones
    let counter: number | undefined
    for (let n = 1; n <= SEARCH && counter === undefined; n++) if (unsignedRequestId(vid, n) === seen[0]) counter = n
    assert.equal(counter, undefined, 'request ids are not a function of the peer id and a counter')
    const base = counter ?? 0
    const guesses = Array.from({ length: FORGED }, (_, k) => unsignedRequestId(vid, base + 1 + k))
    // (and the plain successors of the id it saw, for a counter-based source)
    for (let k = 1; k <= 20; k++) guesses.push((seen[0] + k) >>> 0)

    // 3. the victim's recursive lookup stays open: its first hop swallows it
    const b = blackHole().machine
    let swallowed = 0
    const bOrig = b.onMessage.bind(b)
    b.onMessage = (from, msg: ChordMessage) => {
      if (msg.t === 'rfind' && from.id === vid) { swallowed++; return }
      bOrig(from, msg)
    }
    const ring = sortedRing([...swarm!.nodes.map(n => n.services.chord.machine), v])
    let key = 0n
    for (let k = 0; ; k++) {
      key = hashToId(utf8(`owned-elsewhere-${k}`), 160)
      if (ownerOf(ring, key).peer !== a.self.id) break
    }
    const unsolicited = v.env.stats.get('chord:unsolicited')
    const result = new Promise<LookupOutcome | Error>((resolve) => {
      v.lookup({ key, via: refOf(blackHole()), mode: 'recursive' }, (err, res) => { resolve(err ?? res as LookupOutcome) })
    })
    await until(() => swallowed > 0, 'the recursive lookup at its first hop')

    // 4. the attacker answers it for every guessed id, naming itself the owner
    const fake = a.vnodes[0].self
    for (const req of guesses) a.send(refOf(victim()), { t: 'rdone', req, nodes: [fake], hops: 1, path: [] })
    // refused and counted (the driver may cut the attacker off part-way: at least the first ones arrive)
    await until(() => v.env.stats.get('chord:unsolicited') > unsolicited, 'refusals')

    // 5. the lookup falls back to an iterative one and names the true owner
    const r = await result
    b.onMessage = bOrig
    a.onMessage = aOrig
    assert.ok(!(r instanceof Error), `lookup failed: ${String(r)}`)
    assert.notEqual(r.owner.peer, a.self.id, 'the forged answer was taken')
    assert.equal(r.owner.tag, ownerOf(ring, key).tag)
    assert.ok(v.env.stats.get('chord:recursive-fallback') >= 1)
  })

  it('every live node draws its request ids from a fresh secret, not from its rng seed', () => {
    for (const m of [victim().machine, svc(0).machine]) {
      const s = m.env.secret
      assert.ok(s !== undefined && s.byteLength === 32)
      assert.ok(s.some(x => x !== 0))
    }
    assert.notDeepEqual(victim().machine.env.secret, svc(0).machine.env.secret)
  })
})
