/**
 * One peer's outbound side: a bounded queue of encoded frames in front of one long-lived stream.
 * The queue only holds frames while the stream is being opened or while the stream asked us to
 * wait for 'drain'; otherwise frames go straight to `stream.send()`.
 */
import type { PeerRef } from '../../overlay/types.js'
import type { Stream } from '@libp2p/interface'

export interface QueuedFrame {
  frame: Uint8Array
  /** Message type (codec.typeOf) for per-type stats. */
  type: string
  /** Encoded body bytes (without the length prefix). */
  bytes: number
}

export class Channel {
  /** Latest known reference (addresses from the last send that carried any). */
  peer: PeerRef
  stream: Stream | undefined
  opening = false
  waitingDrain = false
  flushScheduled = false
  /** Set once the channel is torn down; a new send makes a new channel. */
  down = false
  private items: Array<QueuedFrame | undefined> = []
  private head = 0

  constructor (peer: PeerRef) {
    this.peer = peer
  }

  /** Encoded bytes waiting (length prefixes included). */
  bytes = 0

  get length (): number { return this.items.length - this.head }

  push (f: QueuedFrame): void { this.items.push(f); this.bytes += f.frame.byteLength }

  peek (): QueuedFrame | undefined { return this.items[this.head] }

  shift (): QueuedFrame | undefined {
    if (this.head >= this.items.length) return undefined
    const f = this.items[this.head]
    this.items[this.head++] = undefined
    if (f !== undefined) this.bytes -= f.frame.byteLength
    // compact once the consumed prefix dominates, so the array does not grow forever
    if (this.head === this.items.length) { this.items = []; this.head = 0 } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head); this.head = 0
    }
    return f
  }

  /** Empty the queue; returns how many frames were discarded. */
  clear (): number {
    const n = this.length
    this.items = []
    this.head = 0
    this.bytes = 0
    return n
  }
}
