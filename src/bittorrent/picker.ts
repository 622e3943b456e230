/**
 * Piece selection (Cohen 2003): strict priority (finish pieces already started), random first
 * pieces until a few are complete, then rarest first with random tie-breaks, and endgame mode once
 * every missing block is requested, where blocks still in flight are requested again from other
 * peers (the caller cancels the duplicates when a copy arrives).
 */
import { Bitfield } from './bitfield.js'
import { BLOCK_SIZE } from './wire.js'
import type { Rng } from '../overlay/rng.js'

export interface Block { index: number, begin: number, length: number }

/** A piece being downloaded: block data and who is fetching each block. */
export interface PartialPiece {
  index: number
  size: number
  blocks: number
  /** Outstanding requests per block (more than 1 only in endgame). */
  requested: Uint8Array
  received: Uint8Array
  receivedCount: number
  /**
   * The blocks as received, not copied (empty in virtual storage mode): received buffers are
   * never written to again, and the piece is hashed and stored straight from them.
   */
  parts: Array<Uint8Array | undefined>
  /** Peers that supplied blocks (blamed together if the hash fails). */
  contributors: Set<string>
  /** After a hash failure with several contributors, one peer fetches the whole piece so the next failure has one culprit. */
  owner: string | undefined
  singleSource: boolean
}

export interface PickerOptions {
  /** Complete this many pieces by random choice before switching to rarest first. @default 4 */
  randomFirst?: number
  /** Allow endgame duplicates. @default true */
  endgame?: boolean
  /** Keep no block bytes (simulation of bandwidth only). @default false */
  virtual?: boolean
  /**
   * Endgame starts when every missing block is requested and at most this many are still
   * missing. With deep pipelines "all requested" happens long before the end, and duplicating
   * a third of the file would waste uplinks. @default 64
   */
  endgameBlocks?: number
}

export class PiecePicker {
  readonly availability: Int32Array
  readonly have: Bitfield
  /** 1 where the user wants the piece (selective download). */
  readonly wanted: Uint8Array
  readonly partial = new Map<number, PartialPiece>()
  private wantedMissing = 0
  private readonly randomFirst: number
  private readonly endgameOn: boolean
  private readonly virtual: boolean
  private readonly endgameBlocks: number

  constructor (readonly pieceCount: number, private readonly sizeOf: (index: number) => number, private readonly rng: Rng, opts: PickerOptions = {}) {
    this.availability = new Int32Array(pieceCount)
    this.have = new Bitfield(pieceCount)
    this.wanted = new Uint8Array(pieceCount).fill(1)
    this.wantedMissing = pieceCount
    this.randomFirst = opts.randomFirst ?? 4
    this.endgameOn = opts.endgame ?? true
    this.virtual = opts.virtual ?? false
    this.endgameBlocks = opts.endgameBlocks ?? 64
  }

  /** Pieces still needed. */
  get remaining (): number { return this.wantedMissing }
  get done (): boolean { return this.wantedMissing === 0 }

  setWanted (wanted: (index: number) => boolean): void {
    this.wantedMissing = 0
    for (let i = 0; i < this.pieceCount; i++) {
      this.wanted[i] = wanted(i) ? 1 : 0
      if (this.wanted[i] === 1 && !this.have.get(i)) this.wantedMissing++
    }
    // drop started pieces nobody wants any more, so their blocks stop being fetched
    for (const i of [...this.partial.keys()]) if (this.wanted[i] === 0) this.partial.delete(i)
  }

  markHave (index: number): void {
    if (this.have.get(index)) return
    this.have.set(index)
    if (this.wanted[index] === 1) this.wantedMissing--
    this.partial.delete(index)
  }

  markMissing (index: number): void {
    if (!this.have.get(index)) return
    this.have.set(index, false)
    if (this.wanted[index] === 1) this.wantedMissing++
  }

  addPeer (bits: Bitfield): void { for (let i = 0; i < this.pieceCount; i++) if (bits.get(i)) this.availability[i]++ }
  removePeer (bits: Bitfield): void { for (let i = 0; i < this.pieceCount; i++) if (bits.get(i)) this.availability[i]-- }
  addHave (index: number): void { this.availability[index]++ }

  /** Whether `bits` has a piece we still want. */
  interesting (bits: Bitfield): boolean {
    if (this.wantedMissing === 0) return false
    for (let i = 0; i < this.pieceCount; i++) if (bits.get(i) && this.wanted[i] === 1 && !this.have.get(i)) return true
    return false
  }

  /** Up to `n` blocks to request from `peer` (which has `bits`), skipping blocks in `exclude` (already asked of this peer). */
  pick (peer: string, bits: Bitfield, n: number, exclude: (index: number, begin: number) => boolean): Block[] {
    const out: Block[] = []
    // 1. strict priority: blocks of started pieces, except those more common than the rarest new
    // piece this peer offers. Otherwise a piece we began fetching from a leecher gets finished
    // from the seed, and a seed's uplink — the scarce resource of a flash crowd — goes to a piece
    // the swarm already holds instead of one only the seed has.
    const rarest = this.have.count < this.randomFirst ? Infinity : this.rarestNew(bits)
    const deferred: PartialPiece[] = []
    for (const p of this.partial.values()) {
      if (out.length >= n) return out
      if (!bits.get(p.index) || (p.singleSource && p.owner !== undefined && p.owner !== peer)) continue
      if (this.availability[p.index] > rarest) { deferred.push(p); continue }
      this.takeBlocks(p, peer, n, out, false, exclude)
    }
    // 2. a new piece: random first, then rarest first
    while (out.length < n) {
      const index = this.choosePiece(bits)
      if (index < 0) break
      const p = this.start(index)
      this.takeBlocks(p, peer, n, out, false, exclude)
    }
    // 2b. nothing new left here: the deferred started pieces after all
    for (const p of deferred) {
      if (out.length >= n) break
      this.takeBlocks(p, peer, n, out, false, exclude)
    }
    // 3. endgame: every wanted block is requested; ask for in-flight blocks again
    if (out.length < n && this.endgameOn && this.inEndgame()) {
      // never twice to the same peer: neither what it has outstanding nor what this call picked
      const picked = new Set(out.map(b => `${b.index}:${b.begin}`))
      const notAgain = (i: number, b: number): boolean => exclude(i, b) || picked.has(`${i}:${b}`)
      for (const p of this.partial.values()) {
        if (out.length >= n) break
        if (!bits.get(p.index) || p.singleSource) continue
        this.takeBlocks(p, peer, n, out, true, notAgain)
      }
    }
    return out
  }

  /** True when no wanted block is left unrequested and few are missing. */
  inEndgame (): boolean {
    if (this.partial.size !== this.wantedMissing) return false
    let missing = 0
    for (const p of this.partial.values()) {
      for (let b = 0; b < p.blocks; b++) {
        if (p.received[b] !== 0) continue
        if (p.requested[b] === 0) return false
        if (++missing > this.endgameBlocks) return false
      }
    }
    return true
  }

  private takeBlocks (p: PartialPiece, peer: string, n: number, out: Block[], dup: boolean, exclude: (index: number, begin: number) => boolean): void {
    for (let b = 0; b < p.blocks && out.length < n; b++) {
      if (p.received[b] !== 0) continue
      if (dup ? p.requested[b] === 0 || p.requested[b] >= 2 : p.requested[b] !== 0) continue
      const begin = b * BLOCK_SIZE
      if (exclude(p.index, begin)) continue
      p.requested[b]++
      if (p.singleSource && p.owner === undefined) p.owner = peer
      out.push({ index: p.index, begin, length: Math.min(BLOCK_SIZE, p.size - begin) })
    }
  }

  /** Lowest availability among the pieces `bits` offers that we could start. */
  private rarestNew (bits: Bitfield): number {
    let best = Infinity
    for (let i = 0; i < this.pieceCount; i++) {
      if (this.availability[i] < best && bits.get(i) && this.wanted[i] === 1 && !this.have.get(i) && !this.partial.has(i)) best = this.availability[i]
    }
    return best
  }

  private choosePiece (bits: Bitfield): number {
    const random = this.have.count < this.randomFirst
    let best = Infinity
    let candidates = 0
    let chosen = -1
    for (let i = 0; i < this.pieceCount; i++) {
      if (!bits.get(i) || this.wanted[i] === 0 || this.have.get(i) || this.partial.has(i)) continue
      const a = random ? 0 : this.availability[i]
      if (a < best) { best = a; candidates = 1; chosen = i } else if (a === best) {
        // reservoir sampling: uniform among the tied candidates without a second pass
        candidates++
        if (this.rng.int(candidates) === 0) chosen = i
      }
    }
    return chosen
  }

  private start (index: number): PartialPiece {
    const size = this.sizeOf(index)
    const blocks = Math.ceil(size / BLOCK_SIZE)
    const p: PartialPiece = {
      index, size, blocks,
      requested: new Uint8Array(blocks),
      received: new Uint8Array(blocks),
      receivedCount: 0,
      parts: this.virtual ? [] : new Array<Uint8Array | undefined>(blocks).fill(undefined),
      contributors: new Set(),
      owner: undefined,
      singleSource: false
    }
    this.partial.set(index, p)
    return p
  }

  /** A request was dropped (choke, disconnect, timeout): the block becomes requestable again. */
  release (b: Block): void {
    const p = this.partial.get(b.index)
    if (p === undefined) return
    const k = b.begin / BLOCK_SIZE
    if (p.requested[k] > 0) p.requested[k]--
    if (p.singleSource && p.receivedCount === 0 && !p.requested.some(x => x > 0)) p.owner = undefined
  }

  /** Store a received block. Returns the piece when all its blocks are in, 'dup' for a block we already had, or undefined. */
  receive (peer: string, index: number, begin: number, block: Uint8Array): PartialPiece | 'dup' | undefined {
    const p = this.partial.get(index)
    if (p === undefined) return 'dup'
    const k = begin / BLOCK_SIZE
    if (p.received[k] !== 0) return 'dup'
    p.received[k] = 1
    p.receivedCount++
    if (p.requested[k] > 0) p.requested[k]--
    p.contributors.add(peer)
    if (!this.virtual) p.parts[k] = block
    return p.receivedCount === p.blocks ? p : undefined
  }

  /** The piece failed its hash: start it over; with several contributors, fetch it from one peer next time. */
  reset (p: PartialPiece): void {
    const again = this.start(p.index)
    again.singleSource = true
  }
}
