/**
 * The driver's sending side: one long-lived outbound stream per peer, opened lazily on the first
 * send (dial by peer id, with the PeerRef's addresses merged into the peer store first); a bounded
 * queue per peer in front of it (drops counted 'queue-full'); backpressure through `send()` → false
 * / `onDrain()`; frames sent to one peer in one turn after the first are batched into one write.
 * A failed dial or a closed stream → `machine.onPeerUnreachable(peer)` once, and sends to that peer
 * are dropped ('unreachable') for `backoffMs`, so a machine that retries from the callback cannot spin.
 * Sends to a peer this node refuses (past its score) are dropped ('peer-refused').
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { LimitError } from '../../overlay/errors.js'
import { toMultiaddrs } from './addrs.js'
import { Channel, type QueuedFrame } from './channel.js'
import { encodeFrame } from './frames.js'
import type { ChannelLimits, DriverContext } from './context.js'
import type { PeerRef } from '../../overlay/types.js'
import type { PeerId, Stream } from '@libp2p/interface'

/** Frames sent in one tick to one peer are written together, up to this many bytes per write. */
const BATCH_BYTES = 64 * 1024
/** ... or this many frames, whichever comes first; then the batch is written without waiting for the tick to end. */
const BATCH_FRAMES = 256

export class Outbound<M> {
  readonly channels = new Map<string, Channel>()
  private readonly backoff = new Map<string, number>()

  constructor (
    private readonly ctx: DriverContext<M>,
    private readonly limits: ChannelLimits,
    /** A channel's stream opened: the driver reads the remote's end of it. */
    private readonly onStream: (stream: Stream, ch: Channel) => void
  ) {}

  send (to: PeerRef, msg: M): void {
    const ctx = this.ctx
    if (!ctx.running) { ctx.stats.dropped('not-running'); return }
    const codec = ctx.spec.codec
    let body: Uint8Array
    let type: string
    try {
      type = codec.typeOf(msg)
      body = codec.encode(msg)
      if (body.byteLength > codec.maxFrameBytes) throw new LimitError(`frame of ${body.byteLength} bytes exceeds ${codec.maxFrameBytes}`)
    } catch (err) {
      ctx.stats.dropped('encode-error')
      ctx.log.error('cannot encode a message for %s - %e', to.id, err)
      return
    }
    if (to.id === ctx.selfRef.id) { this.sendToSelf(msg, type, body.byteLength); return }
    if (ctx.peers.isRefused(to.id)) { ctx.stats.dropped('peer-refused'); return }
    if (to.addrs !== undefined && to.addrs.length > 0) ctx.book.remember(to)
    const until = this.backoff.get(to.id)
    if (until !== undefined) {
      if (performance.now() < until) { ctx.stats.dropped('unreachable'); return }
      this.backoff.delete(to.id)
    }
    let ch = this.channels.get(to.id)
    if (ch === undefined) {
      ch = new Channel(to)
      this.channels.set(to.id, ch)
    } else if (to.addrs !== undefined && to.addrs.length > 0) {
      ch.peer = to
    }
    if (ch.length >= this.limits.maxQueued) { ctx.stats.dropped('queue-full'); return }
    ch.push({ frame: encodeFrame(body, codec.maxFrameBytes), type, bytes: body.byteLength })
    if (ch.stream !== undefined) {
      if (!ch.flushScheduled) {
        // the first frame of a turn goes out at once (latency); the rest of the turn is batched
        this.flush(ch)
        this.scheduleFlush(ch)
      } else if (ch.bytes >= BATCH_BYTES || ch.length >= BATCH_FRAMES) {
        // a batch's worth is written at once, so a big burst never piles up against maxQueuedFrames
        this.flush(ch)
      }
    } else if (!ch.opening) {
      void this.open(ch)
    }
  }

  /** A peer reached us: forget that a dial to it failed. */
  reachable (id: string): void { this.backoff.delete(id) }

  /** Tear down the channel to `id`, if any (the peer was cut off). */
  drop (id: string, why: string): void {
    const ch = this.channels.get(id)
    if (ch !== undefined) this.channelDown(ch, why)
  }

  /** Streams to close on stop; marks every channel down without telling the machine. */
  closeAll (): Stream[] {
    const streams: Stream[] = []
    for (const ch of this.channels.values()) {
      ch.down = true
      if (ch.stream !== undefined) streams.push(ch.stream)
    }
    return streams
  }

  clear (): void {
    for (const ch of this.channels.values()) ch.clear()
    this.channels.clear()
    this.backoff.clear()
  }

  private sendToSelf (msg: M, type: string, bytes: number): void {
    const ctx = this.ctx
    const gen = ctx.generation
    ctx.stats.sent(type, bytes)
    queueMicrotask(() => {
      if (!ctx.running || gen !== ctx.generation) return
      ctx.stats.received(type, bytes)
      ctx.guard('onMessage', () => ctx.current?.onMessage(ctx.selfRef, msg))
    })
  }

  async preparePeer (ref: PeerRef): Promise<PeerId> {
    const peerId = peerIdFromString(ref.id)
    const multiaddrs = toMultiaddrs(ref.addrs ?? this.ctx.book.addrs(ref.id) ?? [])
    if (multiaddrs.length > 0) {
      await this.ctx.components.peerStore.merge(peerId, { multiaddrs }).catch(err => { this.ctx.log('peer store merge failed - %e', err) })
    }
    return peerId
  }

  private async open (ch: Channel): Promise<void> {
    const ctx = this.ctx
    ch.opening = true
    const gen = ctx.generation
    try {
      const peerId = await this.preparePeer(ch.peer)
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(this.limits.dialTimeoutMs)])
      const stream = await ctx.components.connectionManager.openStream(peerId, ctx.spec.protocol, {
        signal,
        runOnLimitedConnection: this.limits.runOnLimitedConnection
      })
      if (!ctx.running || gen !== ctx.generation || ch.down) {
        stream.abort(new Error('overlay driver stopped'))
        return
      }
      ch.stream = stream
      stream.addEventListener('close', () => { this.channelDown(ch, 'stream closed') })
      // the remote answers on its own stream, but reading ours notices its end (and accepts frames)
      this.onStream(stream, ch)
      this.flush(ch)
    } catch (err) {
      if (!ctx.running || gen !== ctx.generation || ch.down) return
      ctx.log('cannot reach %s - %e', ch.peer.id, err)
      this.backoff.set(ch.peer.id, performance.now() + this.limits.backoffMs)
      this.channelDown(ch, 'dial failed')
    } finally {
      ch.opening = false
    }
  }

  /**
   * Flush again on the next microtask, so the frames a machine sends to this peer after the first in
   * one turn (a burst of replies decoded from one chunk, a broadcast) go down as one write: one muxer
   * frame and one Noise frame instead of one each per message. (Deferring the first frame too costs
   * about half the round-trip time on memory transport: the microtask runs behind the transport's.)
   */
  private scheduleFlush (ch: Channel): void {
    if (ch.flushScheduled) return
    ch.flushScheduled = true
    queueMicrotask(() => {
      ch.flushScheduled = false
      this.flush(ch)
    })
  }

  /** Write queued frames (batched up to BATCH_BYTES per write) until empty or the stream asks to wait. */
  private flush (ch: Channel): void {
    const stream = ch.stream
    const stats = this.ctx.stats
    if (stream === undefined || ch.waitingDrain || ch.down) return
    while (ch.length > 0) {
      if (stream.writeStatus !== 'writable') { this.channelDown(ch, `stream ${stream.writeStatus}`); return }
      const batch: QueuedFrame[] = [ch.shift() as QueuedFrame]
      let size = batch[0].frame.byteLength
      for (let next = ch.peek(); next !== undefined && batch.length < BATCH_FRAMES && size + next.frame.byteLength <= BATCH_BYTES; next = ch.peek()) {
        batch.push(ch.shift() as QueuedFrame)
        size += next.frame.byteLength
      }
      let buf = batch[0].frame
      if (batch.length > 1) {
        buf = new Uint8Array(size)
        let at = 0
        for (const f of batch) { buf.set(f.frame, at); at += f.frame.byteLength }
      }
      let more: boolean
      try {
        more = stream.send(buf)
      } catch (err) {
        for (let i = 0; i < batch.length; i++) stats.dropped('send-error')
        this.channelDown(ch, 'send failed')
        return
      }
      stats.inc('driver:writes')
      for (const f of batch) stats.sent(f.type, f.bytes)
      if (!more) {
        stats.inc('driver:drain-waits')
        ch.waitingDrain = true
        stream.onDrain({ signal: this.ctx.signal }).then(() => {
          ch.waitingDrain = false
          this.flush(ch)
        }, () => { ch.waitingDrain = false })
        return
      }
    }
  }

  /** Tear down a peer's channel once; queued frames are dropped and the machine is told. */
  channelDown (ch: Channel, why: string): void {
    const ctx = this.ctx
    if (ch.down) return
    ch.down = true
    const lost = ch.clear()
    for (let i = 0; i < lost; i++) ctx.stats.dropped('unreachable')
    if (this.channels.get(ch.peer.id) === ch) this.channels.delete(ch.peer.id)
    if (ch.stream !== undefined && ch.stream.status === 'open') ch.stream.abort(new Error(why))
    if (!ctx.running) return
    ctx.log('peer %s unreachable: %s', ch.peer.id, why)
    ctx.stats.inc('driver:unreachable')
    // never re-enter the machine from inside its own env.send(): tell it on the next microtask
    const gen = ctx.generation
    queueMicrotask(() => {
      if (ctx.running && gen === ctx.generation) ctx.guard('onPeerUnreachable', () => ctx.current?.onPeerUnreachable?.(ch.peer))
    })
  }
}
