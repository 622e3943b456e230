/**
 * The downloading side of a torrent machine: interest, the request pipeline per peer (sized by
 * the peer's measured rate, topped up in batches, limited by the download token bucket), blocks
 * arriving (late, unsolicited, endgame duplicates and their cancels). Completed pieces go back to
 * the machine, which verifies and stores them.
 */
import { blockKey, rememberReleased, type Peer } from './peer.js'
import { TokenBucket } from './token-bucket.js'
import { BLOCK_SIZE, type WireMsg } from './wire.js'
import type { PartialPiece, PiecePicker } from './picker.js'
import type { Env } from '../overlay/types.js'

export interface RequesterHost {
  readonly env: Env<WireMsg, any>
  readonly picker: PiecePicker
  readonly peers: Map<string, Peer>
  readonly pieceCount: number
  /** Ready (resume data loaded), not paused, not stopped. */
  active (): boolean
  paused (): boolean
  send (p: Peer, msg: WireMsg): void
  violation (p: Peer, what: string, fatal: boolean): void
  /** Block payload received from `p` (verified or not). */
  received (p: Peer, bytes: number): void
}

export interface PipelineOptions { pipeline: number, maxPipeline: number, pipelineSeconds: number }

export class Requester {
  private readonly bucket: TokenBucket | undefined

  constructor (private readonly host: RequesterHost, private readonly o: PipelineOptions, rate: number | undefined) {
    if (rate !== undefined && rate > 0) this.bucket = new TokenBucket(rate, Math.max(2 * BLOCK_SIZE, rate / 10), host.env.now())
  }

  /** Ask `p` for more blocks if its pipeline has room. */
  fill (p: Peer): void {
    const { env, picker } = this.host
    // p may have been closed while handling its own message (banned after a hash failure)
    if (!this.host.active() || p.peerChoking || !p.amInterested || !p.ready || this.host.peers.get(p.id) !== p) return
    // the peer's measured rate times pipelineSeconds; before the first measurement, slow start
    const byRate = p.fastRate > 0 ? Math.ceil((p.fastRate * this.o.pipelineSeconds) / BLOCK_SIZE) : this.o.pipeline + p.slowStart
    const depth = Math.min(this.o.maxPipeline, Math.max(this.o.pipeline, byRate))
    let n = depth - p.outstanding.size
    // top a deep pipeline up in batches: every request message costs a frame each way on the
    // transport (a yamux frame, a noise message and a window update on libp2p), and the peer's
    // answer to a batch leaves as one big write
    if (n <= 0 || (p.outstanding.size > 0 && n < depth >> 2)) return
    if (this.bucket !== undefined) {
      n = Math.min(n, Math.floor(this.bucket.available(env.now()) / BLOCK_SIZE))
      if (n <= 0) { env.setTimer('down', this.bucket.waitMs(BLOCK_SIZE, env.now())); return }
    }
    const blocks = picker.pick(p.id, p.have, n, (i, b) => p.outstanding.has(blockKey(i, b)))
    const now = env.now()
    for (const b of blocks) {
      this.bucket?.take(b.length, now)
      p.outstanding.set(blockKey(b.index, b.begin), { ...b, at: now })
      this.host.send(p, { type: 'request', index: b.index, begin: b.begin, length: b.length })
    }
  }

  fillAll (): void { for (const p of this.host.peers.values()) this.fill(p) }

  /** Give up on every request to `p` (its blocks may still arrive late). */
  releaseAll (p: Peer): void {
    for (const [key, b] of p.outstanding) { this.host.picker.release(b); rememberReleased(p, key) }
    p.outstanding.clear()
  }

  /** Count what `p` has that we want (after its bitfield, or a change of file selection). */
  recomputeUseful (p: Peer): void {
    const { picker } = this.host
    let n = 0
    for (let i = 0; i < this.host.pieceCount; i++) if (p.have.get(i) && picker.wanted[i] === 1 && !picker.have.get(i)) n++
    p.useful = n
    this.updateInterest(p)
    this.fill(p)
  }

  updateInterest (p: Peer): void {
    if (!p.ready) return
    const want = p.useful > 0 && !this.host.paused()
    if (want === p.amInterested) return
    p.amInterested = want
    this.host.send(p, { type: want ? 'interested' : 'not_interested' })
    if (!want) this.releaseAll(p)
  }

  /** A block from `p`: the piece it completed, undefined if none, null if the block was dropped. */
  onBlock (p: Peer, msg: { index: number, begin: number, block: Uint8Array }): PartialPiece | undefined | null {
    const { env, picker } = this.host
    const key = blockKey(msg.index, msg.begin)
    const req = p.outstanding.get(key)
    const late = req === undefined || req.length !== msg.block.length
    if (late) {
      if (p.released.delete(key)) {
        // we asked, then gave up (choke, cancel): a late block, still useful if the piece needs it
        env.stats.inc('bt:late_block')
        const partial = picker.partial.get(msg.index)
        const k = msg.begin / BLOCK_SIZE
        const expected = partial === undefined ? -1 : Math.min(BLOCK_SIZE, partial.size - msg.begin)
        if (partial === undefined || !Number.isInteger(k) || k >= partial.blocks || partial.received[k] !== 0 || expected !== msg.block.length) return null
      } else {
        env.stats.inc('bt:unsolicited_piece')
        this.host.violation(p, 'unsolicited block', false)
        return null
      }
    }
    p.outstanding.delete(key)
    const now = env.now()
    this.host.received(p, msg.block.length)
    p.lastPieceAt = now
    p.snubbed = false
    p.slowStart++
    p.fastWindowBytes += msg.block.length
    if (now - p.fastWindowStart >= 500) {
      p.fastRate = (p.fastWindowBytes * 1000) / Math.max(1, now - p.fastWindowStart)
      p.fastWindowStart = now; p.fastWindowBytes = 0
    }
    // only endgame asks for a block twice: then the other copies in flight are now useless
    const partial = picker.partial.get(msg.index)
    const copies = partial === undefined ? 0 : partial.requested[msg.begin / BLOCK_SIZE] ?? 0
    const got = picker.receive(p.id, msg.index, msg.begin, msg.block)
    if (got === 'dup') env.stats.inc('bt:duplicate_block')
    // (a late block's own request was already released, so any copy counted is someone else's)
    if (copies > (late ? 0 : 1)) {
      for (const other of this.host.peers.values()) {
        if (other !== p && other.outstanding.delete(key)) {
          rememberReleased(other, key)
          this.host.send(other, { type: 'cancel', index: msg.index, begin: msg.begin, length: msg.block.length })
          env.stats.inc('bt:cancel_sent')
        }
      }
    }
    return got === 'dup' ? undefined : got
  }
}
