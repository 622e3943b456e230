/**
 * Overlay quota attacks for the attacker process (benchmarks/hostile-load.ts): puppet nodes
 * (test/hostile/search-puppet.ts) that speak the real protocol through the real codec and driver, and
 * send what an abusive peer would — 64 KiB Chord stores of keys the victim does not hold, 1 MiB gossip
 * updates from many origins, a Gnutella query flood with fresh ids, fake servents holding neighbour
 * slots. Each reports {"event":"started"} once its traffic flows.
 */
import { chordCodec } from '../../../src/chord/codec.js'
import { immutableKey } from '../../../src/chord/records.js'
import { CHORD_PROTOCOL } from '../../../src/chord/spec.js'
import { KIND_VALUE } from '../../../src/chord/store.js'
import { gossipSpec } from '../../../src/gossip/spec.js'
import { gnutellaSpec } from '../../../src/gnutella/spec.js'
import { Rng } from '../../../src/overlay/rng.js'
import { toHex } from '../../../src/overlay/index.js'
import { attackerKeys, craft } from '../gossip-helpers.js'
import { puppetNode, type PuppetService } from '../search-puppet.js'
import type { AttackOrder } from './attacker-process.js'
import type { ChordMessage } from '../../../src/chord/messages.js'
import type { GossipMessage } from '../../../src/gossip/types.js'
import type { GnutellaMsg } from '../../../src/gnutella/codec.js'
import type { PeerRef } from '../../../src/overlay/types.js'
import type { Libp2p } from '@libp2p/interface'

export type OverlayAttackName = 'chord-stores' | 'gossip-updates' | 'gnutella-queries' | 'gnutella-slots'

type P<M> = Libp2p<{ puppet: PuppetService<M> }>

const tick = async (ms = 5): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

/** The victim's PeerRef from its multiaddr (with /p2p/<id>). */
function victimRef (addr: string): PeerRef {
  const at = addr.lastIndexOf('/p2p/')
  return { id: addr.slice(at + 5), addrs: [addr.slice(0, at)] }
}

/** Send `n` messages as fast as the puppet's driver takes them (kept under its bounded send queue); once the victim cuts it off they are dropped at its own driver. */
async function paced<M> (node: P<M>, to: PeerRef, n: number, make: (i: number) => M, stopped: () => boolean, yieldEvery = 64): Promise<number> {
  const svc = node.services.puppet
  let sent = 0
  while (sent < n && !stopped()) {
    if (svc.driver.resources().queuedFrames > 256) { await tick(); continue }
    svc.machine.send(to, make(sent++))
    if (sent % yieldEvery === 0) await tick(0)
  }
  return sent
}

export async function overlayAttack (order: AttackOrder, out: (o: Record<string, unknown>) => void, stopped: () => boolean): Promise<{ nodes: Libp2p[], sent: number }> {
  const to = victimRef(order.victim)
  const seed = `hostile-load-${order.attack}`
  switch (order.attack) {
    case 'chord-stores': {
      const node = await puppetNode<ChordMessage>({ name: 'chord', protocol: CHORD_PROTOCOL, codec: chordCodec(160) }, 'tcp', seed)
      const size = order.valueBytes ?? 64 * 1024
      const idx = order.keyIndices ?? []
      out({ event: 'started', peers: [node.peerId.toString()] })
      const sent = await paced(node, to, idx.length, i => {
        const value = new Uint8Array(size)
        new DataView(value.buffer).setUint32(0, idx[i])
        return { t: 'store' as const, req: i + 1, op: 'put' as const, item: { key: immutableKey(value), kind: KIND_VALUE, version: 0, value, deleted: false, providers: [] } }
      }, stopped)
      return { nodes: [node], sent }
    }
    case 'gossip-updates': {
      const node = await puppetNode<GossipMessage>(gossipSpec, 'tcp', seed)
      const keys = attackerKeys(order.origins ?? 20, 'hostile-load')
      const per = order.perOrigin ?? 10
      const size = order.valueBytes ?? 1024 * 1024
      // signed beforehand (~13 ms each): once started, the updates flow as fast as the transport takes them
      const updates = Array.from({ length: keys.length * per }, (_, i) => {
        const k = keys[Math.floor(i / per)]
        return craft({ origin: `${k.id}/1`, seq: 1 + (i % per), time: Date.now(), topic: 'flood', data: new Uint8Array(size).fill(i & 0xff), by: k })
      })
      out({ event: 'started', peers: [node.peerId.toString()] })
      const sent = await paced(node, to, updates.length, i => ({ type: 'rumor' as const, pull: false, updates: [updates[i]] }), stopped, 1)
      return { nodes: [node], sent }
    }
    case 'gnutella-queries': {
      const node = await puppetNode<GnutellaMsg>(gnutellaSpec, 'tcp', seed)
      const m = node.services.puppet.machine
      m.send(to, { type: 'connect' })
      while (!m.inbox.some(e => e.msg.type === 'ok' || e.msg.type === 'busy')) await tick(10)
      out({ event: 'started', peers: [node.peerId.toString()] })
      const rng = new Rng(seed)
      const sent = await paced(node, to, order.count ?? 30_000, i => ({ type: 'query' as const, id: toHex(rng.bytes(16)), ttl: 7, hops: 0, minSpeed: 0, criteria: `nothing ${i}` }), stopped)
      return { nodes: [node], sent }
    }
    case 'gnutella-slots': {
      const nodes: Array<P<GnutellaMsg>> = []
      for (let i = 0; i < (order.peers ?? 8); i++) nodes.push(await puppetNode<GnutellaMsg>(gnutellaSpec, 'tcp', `${seed}-${i}`))
      const answered = (n: P<GnutellaMsg>): boolean => n.services.puppet.machine.inbox.some(e => e.msg.type === 'ok' || e.msg.type === 'busy')
      // a victim with a per-IP connection rate refuses some of 8 dials at once: ask again until each is answered
      const end = performance.now() + 30_000
      while (!nodes.every(answered) && performance.now() < end) {
        for (const n of nodes) if (!answered(n)) n.services.puppet.machine.send(to, { type: 'connect' })
        for (let t = 0; t < 15 && !nodes.every(answered); t++) await tick(100)
      }
      const admitted = nodes.filter(n => n.services.puppet.machine.inbox.some(e => e.msg.type === 'ok')).length
      out({ event: 'started', peers: nodes.map(n => n.peerId.toString()), admitted })
      // hold the slots: a keep-alive (TTL-1 ping) every 5 s, no query, no hit
      const rng = new Rng(seed)
      let pings = 0
      while (!stopped()) {
        for (const n of nodes) { n.services.puppet.machine.send(to, { type: 'ping', id: toHex(rng.bytes(16)), ttl: 1, hops: 0 }); pings++ }
        for (let t = 0; t < 50 && !stopped(); t++) await tick(100)
      }
      return { nodes, sent: pings }
    }
    default: throw new Error(`not an overlay attack: ${order.attack}`)
  }
}
