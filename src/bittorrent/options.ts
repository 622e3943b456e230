/** Options, progress and events of a torrent machine (see machine.ts). */
import type { Metainfo } from './metainfo.js'
import type { Sha1 } from './sha1.js'
import type { StorageKind } from './store.js'

export interface TorrentOptions {
  metainfo: Metainfo
  /** We hold every piece already (trusted, not re-hashed). @default false */
  seed?: boolean
  /** @default 'memory' when `content` is given, else 'io' when the driver has storage, else 'memory' */
  storage?: StorageKind
  /** Memory storage: the content to seed (length = metainfo.length). */
  content?: Uint8Array
  /** Prefix of io store names (a download directory inside the storage root of the driver). @default '' */
  storePrefix?: string
  /** io store where the verified-piece bitfield is persisted for resume; none when undefined. */
  resumeStore?: string
  /** Indices of the files to download (selective download). @default all files */
  files?: number[]
  /** 20-byte BitTorrent peer id. @default '-OK0100-' + 12 random bytes */
  peerId?: Uint8Array
  /** Peers connected at most. @default 50 */
  maxPeers?: number
  /** Outstanding block requests per peer at least; grows with the rate of the peer (see pipelineSeconds). @default 4 */
  pipeline?: number
  /**
   * Upper bound of the adaptive pipeline (250 blocks = 4 MiB in flight to one fast peer). Below our
   * own `maxQueuedRequests` (256) and the request queues stock clients advertise (BEP 10 `reqq`:
   * 250 and more). 128 left a loopback link idle between answers (one leecher: ~10 % slower,
   * benchmarks/results/bittorrent-live-one-leecher.md). @default 250
   */
  maxPipeline?: number
  /** Keep this many seconds of the recent rate of the peer in flight (covers the round trip). @default 0.5 */
  pipelineSeconds?: number
  /** Regular unchoke slots. @default 4 */
  unchokeSlots?: number
  /** Rechoke period. @default 10000 */
  rechokeMs?: number
  /** Optimistic unchoke rotation. @default 30000 */
  optimisticMs?: number
  /** No block for this long while we wait on a peer: snubbed, and its requests go elsewhere. @default 60000 */
  snubMs?: number
  /** Keep-alive period. @default 120000 */
  keepaliveMs?: number
  /** Random pieces before rarest first. @default 4 */
  randomFirst?: number
  /** Endgame mode (request the last blocks from every peer). @default true */
  endgame?: boolean
  /** Hash failures pinned on one peer before it is banned. @default 2 */
  banThreshold?: number
  /** Protocol violations before the connection is closed. @default 5 */
  maxViolations?: number
  /** Pending block requests we queue per peer (honest pipelines stay within maxPipeline); more are dropped and counted (bt:request_dropped). @default 256 */
  maxQueuedRequests?: number
  /** Upload limit, bytes/s (token bucket). @default unlimited */
  uploadRate?: number
  /** Download limit, bytes/s (token bucket on requests). @default unlimited */
  downloadRate?: number
  /** SHA-1 implementation (the live API passes a native one). @default @noble/hashes */
  sha1?: Sha1
  /**
   * Hash a finished piece off the machine's thread: `done` may come later, with the digest (or
   * undefined if hashing failed). The live host passes WebCrypto's digest, which runs on another
   * thread in Node and in browsers. @default the synchronous `sha1`
   */
  hashPiece?: PieceHasher
  /** Start paused. @default false */
  paused?: boolean
  /**
   * Super-seeding (BEP 16) while we hold every piece: no bitfield, two pieces offered to each peer
   * at a time (more while a rate-limited uplink idles), so the seed uploads each piece about once.
   * For the first seed of a new torrent facing a crowd; see superseed.ts. @default false
   */
  superSeed?: boolean
}

export type PieceHasher = (parts: readonly Uint8Array[], done: (digest: Uint8Array | undefined) => void) => void

/** TorrentOptions with their defaults filled in (the fields the machine reads as settings). */
export type ResolvedOptions = Required<Omit<TorrentOptions, 'content' | 'resumeStore' | 'files' | 'peerId' | 'uploadRate' | 'downloadRate' | 'storage' | 'sha1' | 'hashPiece'>>

/** Every default of the settings, once (`metainfo` has none: it is required). */
export const DEFAULTS: Omit<ResolvedOptions, 'metainfo'> = {
  seed: false,
  storePrefix: '',
  maxPeers: 50,
  pipeline: 4,
  maxPipeline: 250,
  pipelineSeconds: 0.5,
  unchokeSlots: 4,
  rechokeMs: 10_000,
  optimisticMs: 30_000,
  snubMs: 60_000,
  keepaliveMs: 120_000,
  randomFirst: 4,
  endgame: true,
  banThreshold: 2,
  maxViolations: 5,
  maxQueuedRequests: 256,
  paused: false,
  superSeed: false
}

export function resolveOptions (opts: TorrentOptions): ResolvedOptions {
  const r = { ...DEFAULTS, metainfo: opts.metainfo } as ResolvedOptions
  for (const k of Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>) {
    const v = opts[k]
    if (v !== undefined) (r as unknown as Record<string, unknown>)[k] = v
  }
  return r
}

export interface TorrentProgress {
  infoHash: string
  /** Verified bytes of wanted pieces. */
  bytes: number
  wantedBytes: number
  pieces: number
  wantedPieces: number
  totalPieces: number
  peers: number
  /** Smoothed bytes/s over the last rechoke intervals. */
  downRate: number
  upRate: number
  downloaded: number
  uploaded: number
  done: boolean
  paused: boolean
}

export type TorrentEvent =
  | { type: 'bittorrent:piece', index: number }
  | { type: 'bittorrent:complete' }
  | { type: 'bittorrent:peer', peer: string, state: 'connected' | 'closed' }
  /** Drivers close the transport connection when they see this. */
  | { type: 'bittorrent:disconnect', peer: string, reason: string }
  | { type: 'bittorrent:hashfail', index: number, contributors: string[] }
  | { type: 'bittorrent:ban', peer: string }
  | { type: 'bittorrent:ready' }
