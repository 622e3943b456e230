/**
 * Opening a connection: the BEP 3 handshake both ways (info hash and self-connection checks, the peer
 * limit for peers that dial in), telling the peer once what we hold (bitfield, haves, or super-seed
 * offers), and the BEP 10 extension handshake with BEP 9 metadata requests we serve. Split from
 * machine.ts, which keeps the wire dispatch after the handshake; this part reaches the machine only
 * through `HandshakeContext`.
 */
import { Peer } from './peer.js'
import { equalBytes } from './sha1.js'
import { decodeExtHandshake, decodeUtMetadata, encodeExtHandshake, encodeUtMetadata, EXTENSION_BIT, METADATA_PIECE, UT_METADATA_ID } from './ut-metadata.js'
import type { WireMsg } from './wire.js'
import type { TorrentCore } from './context.js'
import type { PeerRef } from '../overlay/types.js'

export interface HandshakeContext extends TorrentCore {
  readonly peers: Map<string, Peer>
  readonly peerId: Uint8Array
  readonly maxPeers: number
  /** Storage is loaded (resume checked): we know what we hold. */
  ready (): boolean
  /** Seeding in super-seed mode (offers instead of a bitfield). */
  superSeeding (): boolean
  /** Send this peer the super-seeder's next offers. */
  offerPieces (p: Peer): void
  send (p: Peer, msg: WireMsg): void
  violation (p: Peer, what: string, fatal: boolean): void
  close (p: Peer, reason: string): void
}

export class Handshakes {
  constructor (private readonly ctx: HandshakeContext) {}

  onHandshake (from: PeerRef, p: Peer | undefined, msg: Extract<WireMsg, { type: 'handshake' }>): void {
    const { env, meta } = this.ctx
    if (!equalBytes(msg.infoHash, meta.infoHashBytes)) {
      env.stats.inc('bt:wrong_infohash')
      env.emit({ type: 'bittorrent:disconnect', peer: from.id, reason: 'unknown info hash' })
      if (p !== undefined) this.ctx.close(p, 'unknown info hash')
      return
    }
    if (equalBytes(msg.peerId, this.ctx.peerId)) { env.stats.inc('bt:self_connection'); if (p !== undefined) this.ctx.close(p, 'connected to ourselves'); else env.emit({ type: 'bittorrent:disconnect', peer: from.id, reason: 'self' }); return }
    if (p === undefined) {
      if (this.ctx.peers.size >= this.ctx.maxPeers) {
        env.stats.inc('bt:refused_peer_limit')
        env.emit({ type: 'bittorrent:disconnect', peer: from.id, reason: 'peer limit' })
        return
      }
      p = new Peer(from, meta.pieceCount, env.now(), false)
      this.ctx.peers.set(from.id, p)
    } else if (p.gotHandshake) { this.ctx.violation(p, 'second handshake', true); return }
    p.gotHandshake = true
    p.peerId = msg.peerId
    p.extended = (msg.reserved[5] & EXTENSION_BIT) !== 0
    p.lastRecvAt = env.now()
    if (!p.sentHandshake) this.sendHandshake(p)
    else if (this.ctx.ready()) this.announceHave(p)
    if (p.extended) this.ctx.send(p, { type: 'extended', ext: 0, payload: encodeExtHandshake(meta.infoBytes.length) })
    env.emit({ type: 'bittorrent:peer', peer: p.id, state: 'connected' })
  }

  sendHandshake (p: Peer): void {
    p.sentHandshake = true
    const reserved = new Uint8Array(8)
    reserved[5] = EXTENSION_BIT
    this.ctx.send(p, { type: 'handshake', infoHash: this.ctx.meta.infoHashBytes, peerId: this.ctx.peerId, reserved })
    if (this.ctx.ready()) this.announceHave(p)
  }

  /** What we hold, told once per connection: our bitfield, or while super-seeding the first offers. */
  announceHave (p: Peer): void {
    if (p.announced) return
    p.announced = true
    const have = this.ctx.picker.have
    if (this.ctx.superSeeding()) this.ctx.offerPieces(p)
    else if (have.count === 0) return
    // a bitfield may only be the first message after the handshake; later, the same as haves
    else if (!p.sentAfterHandshake) this.ctx.send(p, { type: 'bitfield', bits: have.bytes.slice() })
    else for (let i = 0; i < this.ctx.meta.pieceCount; i++) if (have.get(i)) this.ctx.send(p, { type: 'have', index: i })
  }

  /** BEP 10 handshake and BEP 9 metadata requests (we serve the info dict to magnet-link peers). */
  onExtended (p: Peer, ext: number, payload: Uint8Array): void {
    try {
      if (ext === 0) { p.utMetadata = decodeExtHandshake(payload).utMetadata; return }
      if (ext !== UT_METADATA_ID) { this.ctx.env.stats.inc('bt:ignored_extension'); return }
      const m = decodeUtMetadata(payload)
      if (m.kind !== 'request' || p.utMetadata === undefined) return
      const info = this.ctx.meta.infoBytes
      const start = m.piece * METADATA_PIECE
      const reply = start >= info.length
        ? encodeUtMetadata({ kind: 'reject', piece: m.piece })
        : encodeUtMetadata({ kind: 'data', piece: m.piece, totalSize: info.length, data: info.subarray(start, start + METADATA_PIECE) })
      this.ctx.send(p, { type: 'extended', ext: p.utMetadata, payload: reply })
    } catch {
      this.ctx.violation(p, 'malformed extension message', false)
    }
  }
}
