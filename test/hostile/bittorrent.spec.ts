/**
 * Hostile peers against BitTorrent, live (memory and TCP, Noise + yamux): a peer that opens peer-wire
 * streams by the dozen on one connection gets 32 (MAX_STREAMS_PER_CONNECTION) and the rest are refused
 * by libp2p's per-protocol limit; an honest leecher still downloads the torrent intact meanwhile. A peer
 * whose peer-wire streams carry garbage is cut off through the node's shared refusal list: refused by
 * the connection gater and by the node's other overlays, its connections closed.
 */
import assert from 'node:assert/strict'
import type { Libp2p, Stream } from '@libp2p/interface'
import { bittorrent, type BitTorrentService } from '../../src/bittorrent/index.js'
import { MAX_STREAMS_PER_CONNECTION } from '../../src/bittorrent/live/service.js'
import { PEER_WIRE_PROTOCOL } from '../../src/bittorrent/spec.js'
import { Rng } from '../../src/overlay/rng.js'
import { createNode, type SwarmTransport } from '../../src/runtime/libp2p/swarm.js'
import { ping, type PingService } from '../../src/ping/service.js'
import { PING_PROTOCOL } from '../../src/ping/spec.js'
import { waitFor } from '../runtime/util.js'

type B = Libp2p<{ bittorrent: BitTorrentService }>
type V = Libp2p<{ bittorrent: BitTorrentService, ping: PingService }>

for (const transport of ['memory', 'tcp'] as SwarmTransport[]) {
  describe(`hostile bittorrent peers (live, ${transport}, noise + yamux)`, function () {
    this.timeout(60_000)
    const nodes: Libp2p[] = []
    after(async function () { await Promise.all(nodes.map(async n => { await n.stop() })) })

    it(`a peer opening 48 peer-wire streams on one connection gets ${MAX_STREAMS_PER_CONNECTION}; an honest leecher is served meanwhile`, async function () {
      const seedNode: B = await createNode({ bittorrent: bittorrent({ seed: 'bt-hostile-0' }) }, { transport, seed: `bt-hostile-${transport}`, index: 0 })
      const leecher: B = await createNode({ bittorrent: bittorrent({ seed: 'bt-hostile-1' }) }, { transport, seed: `bt-hostile-${transport}`, index: 1 })
      const attacker = await createNode({}, { transport, seed: `bt-hostile-${transport}`, index: 2, config: { connectionManager: { maxConnections: 16 } } })
      nodes.push(seedNode, leecher, attacker)
      const data = new Rng('bt-hostile').bytes(2 * 1024 * 1024)
      const seed = await seedNode.services.bittorrent.seed(data, { name: 'x.bin', pieceLength: 65536 })

      const conn = await attacker.dial(seedNode.getMultiaddrs()[0])
      const opened: Stream[] = []
      let refused = 0
      for (let i = 0; i < 48; i++) {
        try { opened.push(await conn.newStream(PEER_WIRE_PROTOCOL, { maxOutboundStreams: 1000 })) } catch { refused++ }
      }
      // the limit is enforced on the seed's side: past it, opening a stream fails (or it is reset at once)
      const open = (): number => seedNode.getConnections(attacker.peerId).reduce((n, c) => n + c.streams.filter(s => s.protocol === PEER_WIRE_PROTOCOL).length, 0)
      assert.ok(open() <= MAX_STREAMS_PER_CONNECTION, `the seed holds ${open()} peer-wire streams from the attacker`)
      const cut = async (): Promise<number> => {
        for (let t = 0; t < 250; t++) {
          const n = refused + opened.filter(s => s.status !== 'open').length
          if (n >= 48 - MAX_STREAMS_PER_CONNECTION) return n
          await new Promise(resolve => setTimeout(resolve, 20))
        }
        return refused + opened.filter(s => s.status !== 'open').length
      }
      const n = await cut()
      assert.ok(n >= 48 - MAX_STREAMS_PER_CONNECTION, `${n} of 48 streams refused or reset`)

      const d = await leecher.services.bittorrent.download(seed.torrentFile, { peers: [seedNode.services.bittorrent.self] })
      await d.done
      assert.deepEqual(d.progress().done, true)
      for (const s of opened) s.abort(new Error('done'))
      await d.stop(); await seed.stop()
    })

    it('a peer sending garbage on the peer wire is cut off node-wide: the node\'s gater refuses it, its other overlays list it as refused', async function () {
      const victim: V = await createNode({ bittorrent: bittorrent({ seed: 'bt-hostile-v' }), ping: ping() }, { transport, seed: `bt-hostile-gate-${transport}`, index: 0 })
      const attacker = await createNode({}, { transport, seed: `bt-hostile-gate-${transport}`, index: 1 })
      nodes.push(victim, attacker)
      const id = attacker.peerId.toString()
      const refusedByNode = (): boolean => victim.services.ping.driver.limitsStatus().refused.some(r => r.peer === id)
      // each stream: 68 bytes that are not a BitTorrent handshake (a framing error: 'bad-frame', weight 10)
      const garbage = new Uint8Array(68).fill(0xff)
      let streams = 0
      while (!refusedByNode() && streams < 40) {
        let s: Stream
        try { s = await attacker.dialProtocol(victim.getMultiaddrs()[0], PEER_WIRE_PROTOCOL, { signal: AbortSignal.timeout(5000) }) } catch { break }
        streams++
        s.send(garbage)
        // the victim closes its end (or resets the stream) once it has read the bytes
        await waitFor(() => s.status !== 'open' || s.remoteWriteStatus !== 'writable', 'the victim to close the stream')
        s.abort(new Error('next'))
      }
      await waitFor(refusedByNode, 'the attacker refused by the node (the ping driver shares the list)')
      assert.ok(streams >= 10 && streams <= 12, `${streams} garbage streams before the cut (threshold 100 / badFrame 10)`)
      await waitFor(() => victim.getConnections(attacker.peerId).length === 0, 'the attacker disconnected')
      await assert.rejects(attacker.dialProtocol(victim.getMultiaddrs()[0], PEER_WIRE_PROTOCOL, { signal: AbortSignal.timeout(5000) }))
      await assert.rejects(attacker.dialProtocol(victim.getMultiaddrs()[0], PING_PROTOCOL, { signal: AbortSignal.timeout(5000) }))
      assert.equal(victim.getConnections(attacker.peerId).length, 0)
    })
  })
}
