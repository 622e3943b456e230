/**
 * The public shapes of the direct-transfer protocol (options, a download's request, result and
 * callbacks), in their own file so transfer.ts holds only the machine part; transfer.ts re-exports
 * them, so importers are unchanged.
 */
import type { PeerRef } from '../overlay/types.js'

export interface TransferOptions {
  /** Bytes per chunk request (≤ 256 KiB). @default 65536 */
  chunkBytes?: number
  /** Chunk requests in flight per download. @default 4 */
  pipeline?: number
  /** Time to wait for one chunk. @default 10000 */
  requestTimeoutMs?: number
  /** Attempts per chunk (timeouts and `busy` answers) before the download fails. @default 5 */
  retries?: number
  /** Time to wait for a firewalled holder to connect out after a push request. @default 15000 */
  pushTimeoutMs?: number
  /** Holder side: concurrent chunk reads across all downloaders; beyond it requests get `busy`. @default 32 */
  maxUploadReads?: number
  /** Downloads in progress at once. @default 64 */
  maxDownloads?: number
}

export interface DownloadRequest {
  /** Who holds the file (for a push: who will connect out). */
  holder: PeerRef
  /** SHA-256, lowercase hex. */
  hash: string
  size: number
  /** io store to write into. */
  store: string
  /** Resume from here; bytes before it must already be in `store`. @default 0 */
  offset?: number
  /** The holder is firewalled: ask for a push first instead of requesting directly. @default false */
  viaPush?: boolean
  /** Return the verified bytes in the result (they are read back anyway to verify). @default true */
  collect?: boolean
  /** Asks the overlay to route a push request to the holder; false when it cannot. */
  push?: () => boolean
}

export interface DownloadResult {
  hash: string
  size: number
  store: string
  from: string
  resumedFrom: number
  /** Bytes received over the network (size - resumedFrom, plus retransmissions). */
  bytesReceived: number
  viaPush: boolean
  durationMs: number
  bytes?: Uint8Array
}

export interface DownloadCallbacks {
  onProgress?: (p: { bytes: number, total: number }) => void
  done: (err: Error | null, result?: DownloadResult) => void
}
