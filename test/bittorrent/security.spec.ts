/** Bad input and lying peers, in the simulator: corrupt blocks, malformed or abusive messages. */
import assert from 'node:assert/strict'
import { Simulator, type SimNode } from '../../src/sim/index.js'
import { Rng } from '../../src/overlay/rng.js'
import { createTorrent } from '../../src/bittorrent/metainfo.js'
import { torrentSpec } from '../../src/bittorrent/spec.js'
import { wireCodec, type WireMsg } from '../../src/bittorrent/wire.js'
import { MemoryStore } from '../../src/bittorrent/memory-store.js'
import { sha1 } from '../../src/bittorrent/sha1.js'
import type { TorrentMachine } from '../../src/bittorrent/machine.js'
import type { Env, Machine, OverlaySpec } from '../../src/overlay/types.js'

/** A peer that sends whatever the test says and records what it gets. */
class RawPeer implements Machine<WireMsg> {
  got: WireMsg[] = []
  constructor (readonly env: Env<WireMsg>) {}
  start (): void {}
  stop (): void {}
  onTimer (): void {}
  onMessage (_from: unknown, msg: WireMsg): void { this.got.push(msg) }
}
const rawSpec: OverlaySpec<WireMsg, unknown, RawPeer> = { name: 'raw', protocol: 'raw', codec: wireCodec, create: env => new RawPeer(env) }

describe('bittorrent bad input and corrupt peers (simulator)', function () {
  this.timeout(30_000)
  const rng = new Rng('security')
  const content = rng.bytes(640 * 1024)
  const { metainfo } = createTorrent([{ path: 'f', data: content }], { name: 'f', pieceLength: 32768 })

  function corruptPeer (deferHashing: boolean): void {
    const sim = new Simulator({ seed: 5, perNodeStats: true, wire: true })
    // like the live host's WebCrypto path: the digest comes back later, as its own event
    const hashPiece = deferHashing ? (parts: readonly Uint8Array[], done: (d: Uint8Array | undefined) => void) => { sim.after(3, () => { done(sha1(parts)) }) } : undefined
    const bad = content.slice()
    for (let i = 0; i < bad.length; i += 4096) bad[i] ^= 0x5a
    const honest = sim.spawn(torrentSpec, { metainfo, seed: true, content, uploadRate: 200_000 }, { id: 'honest', upBps: 200_000 })
    // the liar is faster, so it gets asked for most pieces first
    const liar = sim.spawn(torrentSpec, { metainfo, seed: true, content: bad }, { id: 'liar' })
    const leecher = sim.spawn(torrentSpec, { metainfo, banThreshold: 2, storage: 'memory', hashPiece }, { id: 'leecher' }) as SimNode<WireMsg, TorrentMachine>
    let wrongComplete = 0
    sim.on((node, ev) => {
      if (node === leecher && ev.type === 'bittorrent:piece') {
        const i = ev.index as number
        const store = leecher.machine.store as MemoryStore
        const got = store.bytes.subarray(i * 32768, (i + 1) * 32768)
        if (!Buffer.from(got).equals(Buffer.from(content.subarray(i * 32768, (i + 1) * 32768)))) wrongComplete++
      }
      if (ev.type === 'bittorrent:disconnect') {
        const other = sim.node(ev.peer as string) as SimNode<WireMsg, TorrentMachine> | undefined
        if (other !== undefined) sim.after(10, () => other.machine.onPeerUnreachable(node.ref))
      }
    })
    leecher.machine.connect(liar.ref)
    leecher.machine.connect(honest.ref)
    sim.run({ until: 120_000 })
    assert.equal(leecher.machine.done, true, 'the download completed')
    assert.ok(Buffer.from((leecher.machine.store as MemoryStore).bytes).equals(Buffer.from(content)))
    assert.equal(wrongComplete, 0)
    assert.ok(leecher.machine.banned.has('liar'), 'the liar is banned')
    assert.ok(leecher.stats.get('bt:hash_fail') >= 2)
  }

  it('a peer sending corrupt blocks is banned, nothing corrupt is ever marked complete, the download finishes from the honest seed', () => {
    corruptPeer(false)
  })

  it('the same with pieces hashed asynchronously (the digest arrives later, as from WebCrypto)', () => {
    corruptPeer(true)
  })

  function rig (): { sim: Simulator, victim: SimNode<WireMsg, TorrentMachine>, raw: SimNode<WireMsg, RawPeer>, closed: string[] } {
    const sim = new Simulator({ seed: 9, perNodeStats: true, wire: true })
    const victim = sim.spawn(torrentSpec, { metainfo, seed: true, content }, { id: 'victim' })
    const raw = sim.spawn(rawSpec, {}, { id: 'raw' })
    const closed: string[] = []
    sim.on((node, ev) => { if (node === victim && ev.type === 'bittorrent:disconnect') closed.push(ev.reason as string) })
    return { sim, victim, raw, closed }
  }

  const hs = (ih = metainfo.infoHashBytes): WireMsg => ({ type: 'handshake', infoHash: ih, peerId: new Uint8Array(20).fill(7), reserved: new Uint8Array(8) })

  it('drops a handshake for an unknown torrent and messages before a handshake', () => {
    const { sim, victim, raw, closed } = rig()
    raw.env.send(victim.ref, { type: 'interested' })
    raw.env.send(victim.ref, hs(new Uint8Array(20)))
    sim.run({ until: sim.now + 500 })
    assert.deepEqual(closed, ['message before handshake', 'unknown info hash'])
    assert.equal(victim.machine.peers.size, 0)
    assert.equal(victim.stats.get('bt:no_handshake'), 1)
  })

  it('closes on a bitfield of the wrong length, and on requests over 16 KiB or beyond the piece', () => {
    for (const [bad, why] of [
      [{ type: 'bitfield', bits: new Uint8Array(2) }, 'bitfield of the wrong length'],
      [{ type: 'request', index: 0, begin: 0, length: 32768 }, 'request over 16 KiB'],
      [{ type: 'request', index: 0, begin: 32768 - 100, length: 16384 }, 'request beyond the piece'],
      [{ type: 'request', index: 99, begin: 0, length: 16384 }, 'request beyond the piece'],
      [{ type: 'have', index: 1000 }, 'have out of range']
    ] as Array<[WireMsg, string]>) {
      const { sim, victim, raw, closed } = rig()
      raw.env.send(victim.ref, hs())
      raw.env.send(victim.ref, bad)
      sim.run({ until: sim.now + 500 })
      assert.deepEqual(closed, [why], why)
      assert.equal(victim.machine.peers.size, 0)
      assert.ok(victim.stats.get('bt:violation') >= 1)
    }
  })

  it('serves a valid request, ignores unsolicited pieces (counted), and closes after repeated violations', () => {
    const { sim, victim, raw, closed } = rig()
    raw.env.send(victim.ref, hs())
    raw.env.send(victim.ref, { type: 'interested' })
    sim.run({ until: sim.now + 500 })
    raw.env.send(victim.ref, { type: 'request', index: 2, begin: 16384, length: 16384 })
    sim.run({ until: sim.now + 500 })
    const piece = raw.machine.got.find(m => m.type === 'piece') as Extract<WireMsg, { type: 'piece' }>
    assert.ok(piece !== undefined, 'the block was served')
    assert.ok(Buffer.from(piece.block).equals(Buffer.from(content.subarray(2 * 32768 + 16384, 3 * 32768))))
    for (let k = 0; k < 5; k++) raw.env.send(victim.ref, { type: 'piece', index: 0, begin: 0, block: new Uint8Array(16384) })
    sim.run({ until: sim.now + 500 })
    assert.equal(victim.stats.get('bt:unsolicited_piece'), 5)
    assert.deepEqual(closed, ['unsolicited block'])
  })

  it('a bitfield anywhere but first closes the connection', () => {
    const { sim, victim, raw, closed } = rig()
    raw.env.send(victim.ref, hs())
    raw.env.send(victim.ref, { type: 'interested' })
    raw.env.send(victim.ref, { type: 'bitfield', bits: new Uint8Array(3) })
    sim.run({ until: sim.now + 500 })
    assert.deepEqual(closed, ['bitfield after the first message'])
  })
})

describe('bittorrent magnet metadata from a lying peer (simulator)', () => {
  it('metadata that does not hash to the info hash is refused; an honest peer supplies it', async () => {
    const { MetadataMachine } = await import('../../src/bittorrent/metadata.js')
    const { encodeExtHandshake, encodeUtMetadata, decodeUtMetadata } = await import('../../src/bittorrent/ut-metadata.js')
    const content = new Rng('meta-liar').bytes(200_000)
    const { metainfo } = createTorrent([{ path: 'f', data: content }], { name: 'f', pieceLength: 16384 })
    const sim = new Simulator({ seed: 3, wire: true, perNodeStats: true })
    // the liar answers every handshake and metadata request with garbage of the right size
    const liarSpec: OverlaySpec<WireMsg, unknown, RawPeer> = {
      name: 'liar', protocol: 'raw', codec: wireCodec,
      create: env => {
        const m = new RawPeer(env)
        m.onMessage = (from: any, msg: WireMsg) => {
          if (msg.type === 'handshake') {
            const reserved = new Uint8Array(8); reserved[5] = 0x10
            env.send(from, { type: 'handshake', infoHash: msg.infoHash, peerId: new Uint8Array(20).fill(9), reserved })
            env.send(from, { type: 'extended', ext: 0, payload: encodeExtHandshake(metainfo.infoBytes.length) })
          } else if (msg.type === 'extended' && msg.ext === 1) {
            const r = decodeUtMetadata(msg.payload)
            const size = Math.min(16384, metainfo.infoBytes.length - r.piece * 16384)
            env.send(from, { type: 'extended', ext: 1, payload: encodeUtMetadata({ kind: 'data', piece: r.piece, totalSize: metainfo.infoBytes.length, data: new Uint8Array(size).fill(1) }) })
          }
        }
        return m
      }
    }
    const liar = sim.spawn(liarSpec, {}, { id: 'liar' })
    const honest = sim.spawn(torrentSpec, { metainfo, seed: true, content }, { id: 'honest' })
    const fetcher = sim.spawn({ name: 'meta', protocol: 'meta', codec: wireCodec, create: (env: any) => new MetadataMachine(env, { infoHash: metainfo.infoHashBytes }) }, {}, { id: 'fetcher' })
    const m = fetcher.machine as InstanceType<typeof MetadataMachine>
    m.connect(liar.ref)
    sim.run({ until: 200 })
    assert.equal(m.result, undefined, 'the forged metadata was not accepted')
    m.connect(honest.ref)
    sim.run({ until: 1000 })
    const got = m.result as { infoHash: string } | undefined // read again: the run above changed it
    assert.equal(got?.infoHash, metainfo.infoHash)
    assert.ok(fetcher.stats.get('bt:metadata_fail') >= 1)
  })
})
