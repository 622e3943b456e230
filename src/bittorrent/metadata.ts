/**
 * Fetching the info dict for a magnet link (BEP 9 over BEP 10): handshake with the extension bit,
 * learn each peer's ut_metadata id and metadata_size, fetch the 16 KiB pieces from one peer at a
 * time, and accept the result only if its SHA-1 is the info hash. A liar is dropped and the next
 * peer that offers the metadata is asked.
 */
import { DecodeError } from '../overlay/errors.js'
import { parseInfoBytes, type Metainfo } from './metainfo.js'
import { equalBytes, sha1 } from './sha1.js'
import { decodeExtHandshake, decodeUtMetadata, encodeExtHandshake, encodeUtMetadata, EXTENSION_BIT, METADATA_PIECE, UT_METADATA_ID } from './ut-metadata.js'
import type { WireMsg } from './wire.js'
import type { Env, Machine, PeerRef } from '../overlay/types.js'

export interface MetadataOptions {
  infoHash: Uint8Array
  /** @default '-OK0100-' + random */
  peerId?: Uint8Array
  /** @default 30 */
  maxPeers?: number
  /** Give up on a source that sends nothing for this long, ms. @default 10000 */
  sourceTimeoutMs?: number
}

export type MetadataEvent =
  | { type: 'bittorrent:metadata', metainfo: Metainfo }
  | { type: 'bittorrent:disconnect', peer: string, reason: string }

interface MPeer { ref: PeerRef, sentHandshake: boolean, gotHandshake: boolean, ut: number | undefined, size: number | undefined, failed: boolean }

export class MetadataMachine implements Machine<WireMsg> {
  readonly peers = new Map<string, MPeer>()
  result: Metainfo | undefined
  private readonly peerId: Uint8Array
  private source: MPeer | undefined
  private buffer: Uint8Array | undefined
  private got: Uint8Array | undefined
  private remaining = 0

  constructor (private readonly env: Env<WireMsg, any>, private readonly o: MetadataOptions) {
    this.peerId = o.peerId ?? new Uint8Array([...new TextEncoder().encode('-OK0100-'), ...env.rng.bytes(12)])
  }

  start (): void {}
  stop (): void { this.env.clearTimer('source') }

  connect (ref: PeerRef): boolean {
    if (this.result !== undefined || this.peers.has(ref.id) || this.peers.size >= (this.o.maxPeers ?? 30)) return false
    const p: MPeer = { ref, sentHandshake: false, gotHandshake: false, ut: undefined, size: undefined, failed: false }
    this.peers.set(ref.id, p)
    this.handshake(p)
    return true
  }

  private handshake (p: MPeer): void {
    p.sentHandshake = true
    const reserved = new Uint8Array(8)
    reserved[5] = EXTENSION_BIT
    this.env.send(p.ref, { type: 'handshake', infoHash: this.o.infoHash, peerId: this.peerId, reserved })
  }

  onMessage (from: PeerRef, msg: WireMsg): void {
    if (this.result !== undefined) return
    let p = this.peers.get(from.id)
    if (msg.type === 'handshake') {
      if (!equalBytes(msg.infoHash, this.o.infoHash) || (p?.gotHandshake ?? false)) { this.drop(from.id, 'bad handshake'); return }
      if (p === undefined) {
        if (this.peers.size >= (this.o.maxPeers ?? 30)) { this.drop(from.id, 'peer limit'); return }
        p = { ref: from, sentHandshake: false, gotHandshake: false, ut: undefined, size: undefined, failed: false }
        this.peers.set(from.id, p)
      }
      p.gotHandshake = true
      if (!p.sentHandshake) this.handshake(p)
      if ((msg.reserved[5] & EXTENSION_BIT) === 0) { this.drop(from.id, 'no extension protocol'); return }
      this.env.send(p.ref, { type: 'extended', ext: 0, payload: encodeExtHandshake(undefined) })
      return
    }
    if (p === undefined || !p.gotHandshake || msg.type !== 'extended') return
    try {
      if (msg.ext === 0) {
        const h = decodeExtHandshake(msg.payload)
        p.ut = h.utMetadata; p.size = h.metadataSize
        this.pickSource()
        return
      }
      if (msg.ext !== UT_METADATA_ID || p !== this.source) return
      const m = decodeUtMetadata(msg.payload)
      if (m.kind === 'reject') { this.fail(p, 'rejected a metadata request'); return }
      if (m.kind !== 'data') return
      this.onData(p, m.piece, m.totalSize, m.data)
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err
      this.fail(p, 'malformed metadata message')
    }
  }

  private pickSource (): void {
    if (this.source !== undefined || this.result !== undefined) return
    const next = [...this.peers.values()].find(q => !q.failed && q.ut !== undefined && q.size !== undefined)
    if (next === undefined) return
    this.source = next
    const size = next.size as number
    const pieces = Math.ceil(size / METADATA_PIECE)
    this.buffer = new Uint8Array(size)
    this.got = new Uint8Array(pieces)
    this.remaining = pieces
    for (let i = 0; i < pieces; i++) this.env.send(next.ref, { type: 'extended', ext: next.ut as number, payload: encodeUtMetadata({ kind: 'request', piece: i }) })
    this.env.setTimer('source', this.o.sourceTimeoutMs ?? 10_000)
  }

  private onData (p: MPeer, piece: number, totalSize: number, data: Uint8Array): void {
    const buf = this.buffer as Uint8Array
    const got = this.got as Uint8Array
    const expected = Math.min(METADATA_PIECE, buf.length - piece * METADATA_PIECE)
    if (totalSize !== buf.length || piece >= got.length || data.length !== expected) { this.fail(p, 'metadata piece of the wrong size'); return }
    if (got[piece] === 1) return
    got[piece] = 1
    buf.set(data, piece * METADATA_PIECE)
    this.env.setTimer('source', this.o.sourceTimeoutMs ?? 10_000)
    if (--this.remaining > 0) return
    if (!equalBytes(sha1(buf), this.o.infoHash)) { this.fail(p, 'metadata does not hash to the info hash'); return }
    try {
      this.result = parseInfoBytes(buf, this.o.infoHash)
    } catch { this.fail(p, 'metadata is not a valid info dict'); return }
    this.env.clearTimer('source')
    this.env.emit({ type: 'bittorrent:metadata', metainfo: this.result })
  }

  private fail (p: MPeer, why: string): void {
    this.env.stats.inc('bt:metadata_fail')
    p.failed = true
    if (this.source === p) { this.source = undefined; this.env.clearTimer('source') }
    this.drop(p.ref.id, why)
    this.pickSource()
  }

  private drop (id: string, reason: string): void {
    const p = this.peers.get(id)
    if (p !== undefined && !p.failed) this.peers.delete(id)
    this.env.emit({ type: 'bittorrent:disconnect', peer: id, reason })
  }

  onTimer (key: string): void {
    if (key === 'source' && this.source !== undefined) this.fail(this.source, 'metadata source went quiet')
  }

  onPeerUnreachable (peer: PeerRef): void {
    const p = this.peers.get(peer.id)
    if (p === undefined) return
    if (this.source === p) { this.source = undefined; this.env.clearTimer('source'); p.failed = true; this.pickSource() } else this.peers.delete(peer.id)
  }
}
