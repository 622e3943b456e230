/**
 * Driver-side write batching for peer-wire connections. The frames a machine writes in one turn
 * of the event loop (a burst of pieces answering a batch of requests, a run of haves) are copied
 * into one contiguous buffer and handed to the transport as one write: on libp2p each write
 * costs a yamux frame, a noise message per 64 KiB, a window update back and a socket write per
 * buffer part; on plain TCP a syscall.
 */
import { allocUnsafe } from 'uint8arrays/alloc'

/** Bytes gathered into one transport write at most. @default 1 MiB */
export const BATCH_BYTES = 1024 * 1024

export class WriteBatcher {
  private pending: Uint8Array | undefined
  private len = 0
  private scheduled = false

  constructor (private readonly out: (bytes: Uint8Array) => void, private readonly limit = BATCH_BYTES) {}

  write (b: Uint8Array): void {
    if (this.pending !== undefined && this.len + b.byteLength > this.pending.byteLength) this.flush()
    if (this.pending === undefined) { this.pending = allocUnsafe(Math.max(this.limit, b.byteLength)); this.len = 0 }
    this.pending.set(b, this.len)
    this.len += b.byteLength
    if (!this.scheduled) {
      this.scheduled = true
      queueMicrotask(() => { this.scheduled = false; this.flush() })
    }
  }

  flush (): void {
    const bytes = this.pending?.subarray(0, this.len)
    this.pending = undefined
    this.len = 0
    if (bytes !== undefined && bytes.byteLength > 0) this.out(bytes)
  }
}
