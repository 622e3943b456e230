/**
 * The driver's receiving side: a FrameReader per stream (inbound streams, and the remote's end of
 * our outbound channels), each frame checked against the peer's budgets, decoded and handed to the
 * machine with `from` = the Noise-authenticated remote peer.
 *
 * Bad input never takes the node down and costs about what good input costs: an oversize or
 * truncated frame resets its stream ('oversize', 'truncated'); an undecodable frame is dropped
 * ('decode-error') and a frame of a type the codec does not know ('unknown-type', likely a newer
 * peer) too — a frame the codec's `check` refuses is dropped without calling decode (no exception at
 * all); the others are decoded with `Error.stackTraceLimit = 0`, so a decoder's DecodeError captures
 * no stack trace; a peer over its frames/s or bytes/s has the stream
 * paused until its tokens are back (the muxer window makes the sender wait: nothing is lost;
 * 'driver:throttled'); a stream that would take a peer past its buffer budget is reset
 * ('over-budget'), and with it every other stream of that peer holding part of a frame (what it made
 * us buffer is released at once, whatever its score); a frame left incomplete past the deadline
 * (counted from the chunk that brought its length prefix) resets its stream ('deadline');
 * a stream idle too long is closed ('driver:idle-closed'). Each of those adds to the peer's score
 * (see PeerPolicy); past the threshold the driver cuts the peer off.
 */
import { UnknownTypeError } from '../../overlay/errors.js'
import { stripPeerId } from './addrs.js'
import { FrameReader, type ReadEnd } from './frames.js'
import type { Channel } from './channel.js'
import type { DriverContext } from './context.js'
import type { Connection, Stream } from '@libp2p/interface'

/** A large frame pending this long is collected in one buffer at the next sweep (FrameReader.compact). */
const COMPACT_AFTER_MS = 250

export class Inbound<M> {
  /** Every reader, inbound and outbound, with its peer. */
  private readonly readers = new Map<FrameReader, string>()
  /** Inbound streams per peer (for onPeerConnected on the first). */
  private readonly inboundPerPeer = new Map<string, number>()
  private inboundCount = 0
  private sweeper: ReturnType<typeof setInterval> | undefined

  constructor (
    private readonly ctx: DriverContext<M>,
    private readonly closeTimeoutMs: number,
    /** The remote's end of one of our channels ended. */
    private readonly channelEnded: (ch: Channel, why: string) => void,
    /** A peer reached us (its earlier dial failure is forgotten). */
    private readonly reachable: (id: string) => void
  ) {
    this.onInboundStream = this.onInboundStream.bind(this)
  }

  get inboundStreams (): number { return this.inboundCount }

  /** Start the sweep that enforces frame deadlines and idle timeouts. */
  start (): void {
    const p = this.ctx.peers.policy
    const shortest = Math.min(p.frameDeadlineMs, p.streamIdleMs > 0 ? p.streamIdleMs : Infinity)
    const every = Math.max(20, Math.min(1000, Math.floor(shortest / 4)))
    this.sweeper = setInterval(() => { this.sweep() }, every)
    // a sweep must never keep a process alive
    ;(this.sweeper as { unref?: () => void }).unref?.()
  }

  /** Stop sweeping; returns the inbound streams to close. */
  stop (): Stream[] {
    if (this.sweeper !== undefined) clearInterval(this.sweeper)
    this.sweeper = undefined
    const streams: Stream[] = []
    for (const [r] of this.readers) if (r.stream.direction === 'inbound') streams.push(r.stream)
    return streams
  }

  clear (): void {
    this.readers.clear()
    this.inboundPerPeer.clear()
    this.inboundCount = 0
  }

  onInboundStream (stream: Stream, connection: Connection): void {
    const ctx = this.ctx
    if (!ctx.running) { stream.abort(new Error('overlay not running')); return }
    const id = connection.remotePeer.toString()
    if (ctx.peers.isRefused(id)) {
      ctx.stats.inc('driver:refused-streams')
      stream.abort(new Error('peer refused'))
      connection.abort(new Error('peer refused'))
      return
    }
    this.reachable(id)
    if (connection.direction === 'outbound') ctx.book.remember({ id, addrs: [stripPeerId(connection.remoteAddr.toString())] })
    const n = this.inboundPerPeer.get(id) ?? 0
    this.inboundPerPeer.set(id, n + 1)
    this.inboundCount++
    if (n === 0) ctx.guard('onPeerConnected', () => ctx.current?.onPeerConnected?.(ctx.book.refOf(id)))
    void this.read(stream, id, undefined)
  }

  /** Read the remote's end of our channel's stream. */
  readChannel (stream: Stream, ch: Channel): void { void this.read(stream, ch.peer.id, ch) }

  /** Stop every reader of `id` and reset its streams (the peer was cut off). */
  cut (id: string): void {
    for (const [r, peer] of this.readers) if (peer === id) r.stop('peer cut off')
  }

  /** Reset every stream of `id` that holds part of a frame (its total passed its buffer budget). */
  private resetPeer (id: string): void {
    for (const [r, peer] of this.readers) {
      if (peer === id && r.pending > 0) {
        this.ctx.stats.dropped('over-budget')
        r.stop('peer over budget')
      }
    }
  }

  private async read (stream: Stream, id: string, ch: Channel | undefined): Promise<void> {
    const ctx = this.ctx
    const peers = ctx.peers
    peers.streamOpened(id)
    const reader = new FrameReader(stream, ctx.spec.codec.maxFrameBytes, {
      frame: body => { this.deliver(id, body) },
      hold: delta => peers.hold(id, delta),
      admit: bytes => peers.admit(id, bytes, performance.now()),
      crowded: held => peers.bufferedOf(id) > held
    })
    this.readers.set(reader, id)
    const end = await reader.ended
    this.readers.delete(reader)
    peers.streamClosed(id)
    this.ended(stream, id, end)
    if (ch !== undefined) {
      this.channelEnded(ch, `stream ended (${end.reason})`)
      return
    }
    const n = (this.inboundPerPeer.get(id) ?? 1) - 1
    if (n <= 0) this.inboundPerPeer.delete(id); else this.inboundPerPeer.set(id, n)
    this.inboundCount--
    // we never write on inbound streams: close our half so the stream is released on both sides
    if ((end.reason === 'eof' || (end.reason === 'stopped' && end.why === 'idle')) && stream.status === 'open') {
      stream.close({ signal: AbortSignal.timeout(this.closeTimeoutMs) }).catch(err => { stream.abort(err) })
    }
  }

  /** Count, penalise and reset as the way a stream ended calls for. */
  private ended (stream: Stream, id: string, end: ReadEnd): void {
    const { stats, log, peers } = this.ctx
    const w = peers.policy.score.weights
    switch (end.reason) {
      case 'oversize':
      case 'truncated':
        stats.dropped(end.reason)
        log('resetting a stream from %s: %s', id, end.error.message)
        stream.abort(new Error(`${end.reason} frame`))
        peers.penalize(id, end.reason, w.badFrame)
        return
      case 'stopped':
        if (end.why === 'idle') { stats.inc('driver:idle-closed'); return }
        stream.abort(new Error(end.why))
        if (end.why === 'over-budget' && peers.lastOver === 'peer') {
          // the peer as a whole holds too much: drop everything it made us buffer now, whatever its
          // score says (the penalty below may also cut it off)
          peers.lastOver = undefined
          this.resetPeer(id)
        }
        if (end.why === 'over-budget' || end.why === 'deadline') {
          if (end.why === 'deadline') stats.dropped('deadline')
          log('resetting a stream from %s: %s', id, end.why)
          peers.penalize(id, end.why, end.why === 'deadline' ? w.slow : w.overBudget)
        }
    }
  }

  private deliver (id: string, body: Uint8Array): void {
    const ctx = this.ctx
    if (!ctx.running) return
    const now = performance.now()
    const peers = ctx.peers
    const codec = ctx.spec.codec
    let msg: M
    let type: string
    // garbage the codec's structural check refuses is dropped without an exception: throwing and
    // catching (even without a stack trace) cost ~5× a valid frame's decode
    const checked = codec.check?.(body) ?? 'ok'
    if (checked !== 'ok') {
      if (checked === 'unknown-type') this.unknownType(id, now)
      else this.undecodable(id, body, 'refused by the codec check', now)
      return
    }
    // a decoder throws a DecodeError per bad frame that passes the check: without a stack trace
    // (capturing it was 50-250 µs of a garbage frame's cost)
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
      msg = codec.decode(body)
      type = codec.typeOf(msg)
    } catch (err) {
      Error.stackTraceLimit = limit
      if (err instanceof UnknownTypeError) { this.unknownType(id, now); return }
      this.undecodable(id, body, (err as Error)?.message, now)
      return
    }
    Error.stackTraceLimit = limit
    ctx.stats.received(type, body.byteLength)
    ctx.guard('onMessage', () => ctx.current?.onMessage(ctx.book.refOf(id), msg))
  }

  /** Count and penalise (lightly: likely a newer peer) a frame of a type the codec does not know. */
  private unknownType (id: string, now: number): void {
    this.ctx.stats.dropped('unknown-type')
    this.ctx.peers.penalize(id, 'unknown-type', this.ctx.peers.policy.score.weights.unknownType, now)
  }

  /** Count and penalise a frame that cannot be decoded ('decode-error'). */
  private undecodable (id: string, body: Uint8Array, why: string, now: number): void {
    const ctx = this.ctx
    ctx.stats.dropped('decode-error')
    if (ctx.log.enabled) ctx.log('dropped an undecodable frame of %d bytes from %s - %s', body.byteLength, id, why)
    ctx.peers.penalize(id, 'decode-error', ctx.peers.policy.score.weights.decodeError, now)
  }

  /** Reset streams whose frame is overdue; close streams idle too long; collect large frames pending for a while in one buffer. */
  private sweep (): void {
    const now = performance.now()
    const p = this.ctx.peers.policy
    for (const [r] of this.readers) {
      if (r.partialSince > 0 && now - r.partialSince > p.frameDeadlineMs) r.stop('deadline')
      else if (r.partialSince > 0 && now - r.partialSince > COMPACT_AFTER_MS) r.compact()
      else if (p.streamIdleMs > 0 && now - r.lastActivity > p.streamIdleMs && r.stream.direction === 'inbound') r.stop('idle')
    }
  }
}
