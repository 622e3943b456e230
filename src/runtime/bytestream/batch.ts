/**
 * Driver-side write batching for peer-wire connections. The frames a machine writes in one turn
 * of the event loop (a burst of pieces answering a batch of requests, a run of haves) go to the
 * transport as one contiguous write: on libp2p each write costs a yamux frame, a noise message per
 * 64 KiB, a window update back and a socket write per buffer part; on plain TCP a syscall.
 * Parts are only remembered until the flush, then joined into one buffer of exactly their size
 * (a lone part goes out as it is). Lazy writes (haves: one per finished piece per peer, most of a
 * swarm's messages) wait up to `lazyMs` for other data to ride along with.
 */
import { allocUnsafe } from 'uint8arrays/alloc'

/** Bytes gathered into one transport write at most. @default 1 MiB */
export const BATCH_BYTES = 1024 * 1024
/** How long a lazy write may wait for company. @default 25 ms */
export const LAZY_MS = 25

export class WriteBatcher {
  private parts: Uint8Array[] = []
  private bytes = 0
  private scheduled = false
  private lazyTimer: ReturnType<typeof setTimeout> | undefined

  constructor (private readonly out: (bytes: Uint8Array) => void, private readonly limit = BATCH_BYTES, private readonly lazyMs = LAZY_MS) {}

  write (b: Uint8Array, lazy = false): void {
    if (b.byteLength === 0) return
    if (this.bytes + b.byteLength > this.limit) this.flush()
    this.parts.push(b)
    this.bytes += b.byteLength
    if (lazy) {
      this.lazyTimer ??= setTimeout(() => { this.lazyTimer = undefined; this.flush() }, this.lazyMs)
    } else if (!this.scheduled) {
      this.scheduled = true
      queueMicrotask(() => { this.scheduled = false; this.flush() })
    }
  }

  flush (): void {
    if (this.lazyTimer !== undefined) { clearTimeout(this.lazyTimer); this.lazyTimer = undefined }
    const parts = this.parts
    if (parts.length === 0) return
    let joined = parts[0]
    if (parts.length > 1) {
      joined = allocUnsafe(this.bytes)
      let off = 0
      for (const p of parts) { joined.set(p, off); off += p.byteLength }
    }
    this.parts = []
    this.bytes = 0
    this.out(joined)
  }
}
