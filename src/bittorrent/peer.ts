/** One connection's BEP 3 state, as the torrent machine keeps it. */
import { Bitfield } from './bitfield.js'
import type { Block } from './picker.js'
import type { PeerRef } from '../overlay/types.js'

export class Peer {
  /** We sent our handshake / received theirs. */
  sentHandshake = false
  gotHandshake = false
  /** The first message after the handshake may be a bitfield, nothing later. */
  gotFirst = false
  /** We sent something after our handshake (so a bitfield may no longer go out). */
  sentAfterHandshake = false
  /** We told the peer what we hold (bitfield, or super-seeding offers). */
  announced = false
  amChoking = true
  amInterested = false
  peerChoking = true
  peerInterested = false
  readonly have: Bitfield
  /** Its block requests waiting in our upload queue (bounded by maxQueuedRequests). */
  queued = 0
  /** Pieces the peer has that we want and lack: interest without rescanning the bitfield. */
  useful = 0
  /** Our requests to this peer, by "index:begin". */
  readonly outstanding = new Map<string, Block & { at: number }>()
  /** Requests we gave up on (choke, cancel, snub) whose blocks may still arrive: late, not unsolicited. */
  readonly released = new Set<string>()
  /** Bytes of verified-or-not block payload received / sent, total and since the last rechoke. */
  downloaded = 0
  uploaded = 0
  downWindow = 0
  upWindow = 0
  downRate = 0
  upRate = 0
  lastPieceAt: number
  lastRecvAt: number
  lastSentAt: number
  snubbed = false
  /** Recent download rate from this peer (bytes/s), re-measured every half second, sizes the pipeline. */
  fastRate = 0
  fastWindowStart: number
  fastWindowBytes = 0
  /** Until the first rate measurement the pipeline grows by one per block (slow start). */
  slowStart = 0
  bad = 0
  connectedAt: number
  peerId: Uint8Array | undefined
  /** BEP 10: the peer set the extension bit; its id for ut_metadata once it told us. */
  extended = false
  utMetadata: number | undefined

  constructor (readonly ref: PeerRef, pieceCount: number, now: number, readonly initiated: boolean) {
    this.have = new Bitfield(pieceCount)
    this.lastPieceAt = now
    this.lastRecvAt = now
    this.lastSentAt = now
    this.connectedAt = now
    this.fastWindowStart = now
  }

  get id (): string { return this.ref.id }
  get ready (): boolean { return this.sentHandshake && this.gotHandshake }
}

/** Forget a request but remember it was made, so its block arriving later is not a violation. */
export function rememberReleased (p: Peer, key: string): void {
  if (p.released.size >= 1024) p.released.delete(p.released.values().next().value as string)
  p.released.add(key)
}

export const blockKey = (index: number, begin: number): string => `${index}:${begin}`
