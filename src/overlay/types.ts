/**
 * The machine contract: every overlay is a synchronous, deterministic state machine that acts only
 * through its Env. The simulator and the libp2p runtime are two implementations of Env.
 */
import type { Rng } from './rng.js'
import type { Stats } from './stats.js'
import type { Signer } from './identity.js'
import type { ResourcePolicyInit } from './resources.js'

/** A node as overlays see it: a stable peer id string, plus optional dialable addresses. */
export interface PeerRef {
  readonly id: string
  readonly addrs?: readonly string[]
}

/** Any event a machine emits; `type` names it (e.g. 'chord:lookup', 'gossip:deliver'). */
export interface OverlayEvent {
  readonly type: string
  readonly [key: string]: unknown
}

/** Minimal logger, call-compatible with @libp2p/logger's Logger. */
export interface Logger {
  (formatter: any, ...args: any[]): void
  error(formatter: any, ...args: any[]): void
  trace(formatter: any, ...args: any[]): void
  enabled: boolean
}

/**
 * Slow local I/O (file pieces, shared files). A machine asks with a token and receives the result
 * later in `onIo`, the way a timer fires. The live runtime does real async file I/O; the simulator
 * completes from memory. `store` names a blob the driver's BlobStorage knows (e.g. a file path or a
 * torrent's content id).
 */
export type IoRequest =
  | { readonly op: 'read', readonly store: string, readonly offset: number, readonly length: number, readonly token: string }
  | { readonly op: 'write', readonly store: string, readonly offset: number, readonly data: Uint8Array, readonly token: string }
  | { readonly op: 'size', readonly store: string, readonly token: string }

export type IoResult =
  | { readonly ok: true, readonly data?: Uint8Array, readonly size?: number }
  | { readonly ok: false, readonly error: Error }

export interface Env<M, E extends OverlayEvent = OverlayEvent> {
  /** This node. */
  readonly self: PeerRef
  /** Milliseconds; virtual in the simulator, wall-clock-derived in the live runtime. */
  now (): number
  /** Seeded and forked per node. The only randomness a machine may use. */
  readonly rng: Rng
  /** Send a message. May be lost; never throws for a dead or unknown peer. */
  send (to: PeerRef, msg: M): void
  /** Arm (or re-arm, replacing) the timer `key`; `onTimer(key)` fires after `delayMs`. */
  setTimer (key: string, delayMs: number): void
  clearTimer (key: string): void
  /** Typed events for the public API and for metrics. */
  emit (event: E): void
  /** Slow local I/O; completion arrives through `Machine.onIo`. Absent where the driver has no storage. */
  io? (request: IoRequest): void
  /**
   * Check that `peerId`'s key signed `data`, off the event loop (the live runtime on Node: libuv's
   * thread pool, so a node verifying many updates stays responsive and uses a second core). The answer
   * arrives later through `Machine.onVerified(token, ok)`, never synchronously. Absent where checks
   * are synchronous (the simulator, whose traces must not depend on thread timing; browsers): the
   * machine calls `verifySignature` itself.
   */
  verify? (peerId: string, data: Uint8Array, sig: Uint8Array, token: string): void
  /** Per-node counters and histograms (messages by type, drops, custom). */
  readonly stats: Stats
  readonly log: Logger
  /**
   * This node's identity key, for data it authors (signed gossip updates, signed records). Absent where
   * the driver runs unsigned (a simulator run with signing switched off).
   */
  readonly signer?: Signer
  /**
   * 32 bytes from the platform's CSPRNG, drawn when a live driver builds this Env (fresh at every
   * start), for values other peers must not predict (request ids). Absent in the simulator, whose runs
   * reproduce from a seed; `rng` is no substitute: its seed may be given, and it is not a CSPRNG.
   */
  readonly secret?: Uint8Array
  /**
   * A peer misbehaved: the machine dropped what it sent. Feeds the driver's peer score (see `refuse` in
   * penalty.ts, which also counts it); `weight` from PENALTY. Absent in drivers without scoring.
   */
  penalize? (peer: PeerRef, reason: string, weight: number): void
}

export interface Machine<M> {
  start (): void
  stop (): void
  onMessage (from: PeerRef, msg: M): void
  onTimer (key: string): void
  /** Dial failed or the connection closed. The simulator calls it only when configured to. */
  onPeerUnreachable? (peer: PeerRef): void
  /** A peer connected to us (live) or was introduced (sim). Optional. */
  onPeerConnected? (peer: PeerRef): void
  onIo? (token: string, result: IoResult): void
  /** The answer to an `env.verify` request. */
  onVerified? (token: string, ok: boolean): void
}

/** What `Codec.check` says of a frame. */
export type CheckResult = 'ok' | 'undecodable' | 'unknown-type'

/** Encodes one overlay's message union to bytes and back, with hard limits. */
export interface Codec<M> {
  /** Largest frame this codec accepts or produces, in bytes. */
  readonly maxFrameBytes: number
  encode (msg: M): Uint8Array
  /** Throws DecodeError (never anything else) on bad input. */
  decode (bytes: Uint8Array): M
  /**
   * Optional cheap check that never throws: 'undecodable' or 'unknown-type' means decode would throw
   * (a DecodeError or an UnknownTypeError), and a driver drops the frame under that name without
   * calling decode, so rejecting garbage costs no exception. 'ok' does not promise that decode succeeds.
   */
  check? (bytes: Uint8Array): CheckResult
  /** Message type name, for per-type stats ("find_successor", "query_hit", ...). */
  typeOf (msg: M): string
  /** Size on the wire; defaults to encode(msg).byteLength. Drivers use it for bandwidth and stats. */
  sizeOf? (msg: M): number
}

/**
 * Everything a driver needs to run an overlay: its protocol id, its codec and a factory for its machine.
 * `O` is the overlay's options type.
 */
export interface OverlaySpec<M, O = unknown, Mach extends Machine<M> = Machine<M>, E extends OverlayEvent = OverlayEvent> {
  /** Short name, e.g. 'chord'. */
  readonly name: string
  /** libp2p protocol id, e.g. '/overlaykit/chord/1.0.0'. */
  readonly protocol: string
  readonly codec: Codec<M>
  /** This overlay's own resource defaults over RESOURCE_DEFAULTS (e.g. higher rates for bulk data); the application's override them. */
  readonly resources?: ResourcePolicyInit
  create (env: Env<M, E>, options: O): Mach
}
