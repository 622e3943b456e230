/**
 * Pieces and storage of a torrent machine: where verified pieces are kept (memory, io, virtual), SHA-1
 * verification of finished pieces (synchronous, or elsewhere through `hashPiece` with the digest coming
 * back later like an io result), strikes and bans for corrupt data, the resume bitfield, re-hashing
 * (`verify`), the verified/wanted byte counts and the progress report. The machine reaches it through
 * `PiecesContext`.
 */
import { pieceHash, pieceSize } from './metainfo.js'
import { MemoryStore } from './memory-store.js'
import type { TorrentOptions, TorrentProgress, PieceHasher } from './options.js'
import type { Peer } from './peer.js'
import type { PartialPiece } from './picker.js'
import { Resume } from './resume.js'
import { sha1 as defaultSha1, equalBytes, type Sha1 } from './sha1.js'
import { IoStore, VirtualStore, type PieceStore, type StorageKind } from './store.js'
import type { WireMsg } from './wire.js'
import type { TorrentCore } from './context.js'
import type { IoResult } from '../overlay/types.js'

export interface PiecesContext extends TorrentCore {
  readonly peers: ReadonlyMap<string, Peer>
  readonly banThreshold: number
  stopped (): boolean
  send (p: Peer, msg: WireMsg): void
  /** Ask for blocks again (a piece failed, or a write did). */
  fillAll (): void
  /** A peer's interest may have changed (it has a piece we now hold). */
  updateInterest (p: Peer): void
  /** Corrupt data pinned on this peer `banThreshold` times. */
  ban (id: string): void
}

export class Pieces {
  readonly store: PieceStore
  /** False for virtual storage (simulated swarms move no bytes, so there is nothing to hash). */
  readonly verifyHashes: boolean
  private readonly sha1: Sha1
  private readonly hashPiece: PieceHasher | undefined
  private readonly strikes = new Map<string, number>()
  readonly resume: Resume | undefined
  completed = false
  verifiedBytes = 0
  wantedBytes = 0

  constructor (private readonly ctx: PiecesContext, opts: TorrentOptions, storePrefix: string, kind: StorageKind) {
    const { env, meta: m } = ctx
    this.sha1 = opts.sha1 ?? defaultSha1
    this.hashPiece = opts.hashPiece
    this.store = kind === 'io'
      ? new IoStore(env, m, storePrefix, 'bt')
      : kind === 'virtual' ? new VirtualStore() : new MemoryStore(m.length, m.pieceLength, opts.content)
    this.verifyHashes = kind !== 'virtual'
    if (opts.resumeStore !== undefined && kind === 'io') this.resume = new Resume(env, opts.resumeStore, m.infoHashBytes, m.pieceCount)
  }

  /** Every block of `piece` arrived: verify it, then store it. */
  finish (piece: PartialPiece): void {
    const parts = piece.parts as Uint8Array[]
    if (!this.verifyHashes) { this.storePiece(piece); return }
    if (parts.length !== piece.blocks) { this.hashed(piece, undefined); return }
    if (this.hashPiece === undefined) { this.hashed(piece, this.sha1(parts)); return }
    // hashed elsewhere: the piece stays complete in the picker (nothing re-requests it) until then
    this.hashPiece(parts, digest => { if (!this.ctx.stopped() && this.ctx.picker.partial.get(piece.index) === piece) this.hashed(piece, digest) })
  }

  private hashed (piece: PartialPiece, digest: Uint8Array | undefined): void {
    const { env, meta, picker } = this.ctx
    const i = piece.index
    if (digest === undefined || !equalBytes(digest, pieceHash(meta, i))) {
      const who = [...piece.contributors]
      env.stats.inc('bt:hash_fail')
      env.emit({ type: 'bittorrent:hashfail', index: i, contributors: who })
      if (who.length === 1) {
        const n = (this.strikes.get(who[0]) ?? 0) + 1
        this.strikes.set(who[0], n)
        if (n >= this.ctx.banThreshold) this.ctx.ban(who[0])
      }
      picker.reset(piece)
      this.ctx.fillAll()
      return
    }
    this.storePiece(piece)
  }

  private storePiece (piece: PartialPiece): void {
    const { env, meta, picker } = this.ctx
    const i = piece.index
    this.store.write(i * meta.pieceLength, piece.parts as Uint8Array[], ok => {
      if (this.ctx.stopped()) return
      if (!ok) { env.stats.inc('bt:write_error'); picker.reset(piece); this.ctx.fillAll(); return }
      picker.markHave(i)
      this.verifiedBytes += picker.wanted[i] === 1 ? piece.size : 0
      for (const p of this.ctx.peers.values()) {
        if (!p.ready) continue
        this.ctx.send(p, { type: 'have', index: i })
        if (p.have.get(i) && picker.wanted[i] === 1) { p.useful--; this.ctx.updateInterest(p) }
      }
      env.emit({ type: 'bittorrent:piece', index: i })
      this.persist(false)
      this.checkComplete()
    })
  }

  checkComplete (): void {
    if (this.completed || !this.ctx.picker.done) return
    this.completed = true
    this.persist(true)
    this.ctx.env.emit({ type: 'bittorrent:complete' })
  }

  /** Save the resume bitfield now, or within a second (coalescing piece completions). */
  persist (now: boolean): void {
    if (this.resume === undefined) return
    if (now) { this.ctx.env.clearTimer('persist'); this.resume.save(this.ctx.picker.have) } else this.ctx.env.setTimer('persist', 1000)
  }

  /** Re-hash every piece we claim to have; pieces that fail are marked missing. */
  verify (done: (result: { checked: number, bad: number }) => void): void {
    const { meta, picker } = this.ctx
    const indices: number[] = []
    for (let i = 0; i < meta.pieceCount; i++) if (picker.have.get(i)) indices.push(i)
    let bad = 0
    const step = (k: number): void => {
      if (k >= indices.length) { done({ checked: indices.length, bad }); return }
      const i = indices[k]
      this.store.read(i * meta.pieceLength, pieceSize(meta, i), data => {
        if (data === undefined || !equalBytes(this.sha1(data), pieceHash(meta, i))) { bad++; picker.markMissing(i) }
        step(k + 1)
      })
    }
    step(0)
  }

  countWanted (): number {
    const { meta, picker } = this.ctx
    let n = 0
    for (let i = 0; i < meta.pieceCount; i++) n += picker.wanted[i]
    return n
  }

  /** The torrent's progress report: these byte counts, the picker's piece counts and the peers' rates. */
  progress (totals: { downloaded: number, uploaded: number, paused: boolean }): TorrentProgress {
    const { meta, picker, peers } = this.ctx
    let down = 0; let up = 0
    for (const p of peers.values()) { down += p.downRate; up += p.upRate }
    return {
      infoHash: meta.infoHash,
      bytes: this.verifiedBytes,
      wantedBytes: this.wantedBytes,
      pieces: picker.have.count,
      wantedPieces: this.countWanted(),
      totalPieces: meta.pieceCount,
      peers: [...peers.values()].filter(p => p.ready).length,
      downRate: down,
      upRate: up,
      downloaded: totals.downloaded,
      uploaded: totals.uploaded,
      done: picker.done,
      paused: totals.paused
    }
  }

  /** Recompute the wanted and verified byte counts (after a file selection, a resume, a re-hash). */
  recount (): void {
    const { meta, picker } = this.ctx
    let want = 0; let have = 0
    for (let i = 0; i < meta.pieceCount; i++) {
      if (picker.wanted[i] === 0) continue
      const s = pieceSize(meta, i)
      want += s
      if (picker.have.get(i)) have += s
    }
    this.wantedBytes = want
    this.verifiedBytes = have
  }

  /** Route an io completion (store, then resume file). */
  onIo (token: string, result: IoResult): void {
    if (this.store.onIo(token, result)) return
    this.resume?.onIo(token, result)
  }
}
