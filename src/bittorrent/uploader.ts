/**
 * Serving blocks: the queue of requests we accepted, paced by the upload token bucket. Requests
 * leave in arrival order; a choke, a cancel or a lost peer removes theirs. Reads go through the
 * piece store (which may answer later, through io).
 */
import { TokenBucket } from './token-bucket.js'
import { BLOCK_SIZE, type WireMsg } from './wire.js'
import type { Peer } from './peer.js'
import type { PieceStore } from './store.js'
import type { Env } from '../overlay/types.js'

/** Paced uploads wake up for this many queued blocks at a time (fewer when the bucket's burst is smaller). */
const PACE_BLOCKS = 4

interface Upload { peer: Peer, index: number, begin: number, length: number }

export interface UploaderHost {
  readonly env: Env<WireMsg, any>
  readonly store: PieceStore
  readonly pieceLength: number
  /** Still connected (a block read from io may complete after the peer left). */
  connected (p: Peer): boolean
  paused (): boolean
  send (p: Peer, msg: WireMsg): void
  /** A block went out to `p`. */
  sent (p: Peer, bytes: number): void
  /** The uplink has been idle with its bucket full (a rate-limited uplink with room to spare). */
  idle? (): void
}

export class Uploader {
  private readonly queue: Upload[] = []
  private readonly bucket: TokenBucket | undefined

  constructor (private readonly host: UploaderHost, rate: number | undefined) {
    // bursts of 50 ms (at least one block): paced sending keeps the uplink queue short, so a
    // cancel still finds the block unsent (bigger bursts measurably slow swarms in the simulator)
    if (rate !== undefined && rate > 0) this.bucket = new TokenBucket(rate, Math.max(BLOCK_SIZE, rate / 20), host.env.now())
  }

  get length (): number { return this.queue.length }

  enqueue (peer: Peer, index: number, begin: number, length: number): void {
    this.queue.push({ peer, index, begin, length })
    peer.queued++
    this.pump()
  }

  /** The 'idle' timer: nothing was asked of a rate-limited uplink for a whole burst's time. */
  idleCheck (): void {
    if (this.queue.length === 0 && this.bucket !== undefined) this.host.idle?.()
  }

  cancel (peer: Peer, index: number, begin: number, length: number): void {
    const k = this.queue.findIndex(u => u.peer === peer && u.index === index && u.begin === begin && u.length === length)
    if (k >= 0) { this.queue.splice(k, 1); peer.queued-- }
  }

  /** Forget every request of `peer` (choked, or gone). */
  drop (peer: Peer): void {
    for (let k = this.queue.length - 1; k >= 0; k--) if (this.queue[k].peer === peer) this.queue.splice(k, 1)
    peer.queued = 0
  }

  clear (): void { for (const u of this.queue) u.peer.queued = 0; this.queue.length = 0 }

  /** Send what the bucket allows now; the 'up' timer calls again when more may go. */
  pump (): void {
    const { env } = this.host
    while (this.queue.length > 0 && !this.host.paused()) {
      const u = this.queue[0]
      if (this.bucket !== undefined && !this.bucket.tryTake(u.length, env.now())) {
        // wait until a few blocks can go together (within the bucket's burst): one write per
        // wake-up instead of one per block, which on libp2p also means one yamux frame and one
        // window update instead of several
        let need = 0
        for (let k = 0; k < Math.min(PACE_BLOCKS, this.queue.length); k++) need += this.queue[k].length
        env.setTimer('up', this.bucket.waitMs(need, env.now()))
        return
      }
      this.queue.shift()
      u.peer.queued--
      if (this.queue.length === 0 && this.bucket !== undefined && this.host.idle !== undefined) {
        // look again once the bucket has refilled: still nothing to send means spare uplink
        env.setTimer('idle', this.bucket.waitMs(this.bucket.capacity, env.now()) + 1)
      }
      if (u.peer.amChoking || !this.host.connected(u.peer)) continue
      this.host.store.read(u.index * this.host.pieceLength + u.begin, u.length, data => {
        if (data === undefined) { env.stats.inc('bt:read_error'); return }
        if (!this.host.connected(u.peer)) return
        this.host.sent(u.peer, u.length)
        this.host.send(u.peer, { type: 'piece', index: u.index, begin: u.begin, block: data })
      })
    }
  }
}
