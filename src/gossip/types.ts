/**
 * Gossip data types: an update (a broadcast, or a write to the replicated map), the digests that
 * anti-entropy exchanges, and the message union the machine speaks.
 */

/** What an update carries. */
export const enum UpdateKind { Message = 0, Put = 1, Delete = 2 }

/** An update is named by its origin and a per-origin sequence number (1, 2, 3, ...). */
export interface UpdateId {
  readonly origin: string
  readonly seq: number
}

/** One causal dependency: every update of `origin` up to `seq` must be delivered first. */
export interface Dep {
  readonly origin: string
  readonly seq: number
}

export interface Update {
  readonly origin: string
  readonly seq: number
  /** The origin's clock (ms) when it was published; the update expires at time + ttl. */
  readonly time: number
  readonly kind: UpdateKind
  /** Broadcast topic ('' for map writes). */
  readonly topic: string
  /** Map key (Put/Delete). */
  readonly key?: string
  /** Lamport timestamp (Put/Delete); ties broken by origin id. */
  readonly lamport?: number
  /** Payload. Absent when the update is only announced (large payloads are pulled by digest). */
  readonly data?: Uint8Array
  /** SHA-256 of the payload; present when `data` is omitted, so the body can be verified. */
  readonly hash?: Uint8Array
  /** Payload length in bytes. */
  readonly size: number
  /** Causal dependencies (causal delivery only). */
  readonly deps?: readonly Dep[]
  /** The origin's Ed25519 signature over everything above (auth.ts); absent on open (unsigned) nodes. */
  readonly sig?: Uint8Array
}

/** What a node has seen from one origin: every seq ≤ watermark, plus the listed higher ones. */
export interface DigestEntry {
  readonly origin: string
  readonly watermark: number
  readonly extra: readonly number[]
}

/**
 * One replicated-map entry as it travels in a map repair: the write as its writer published it
 * (origin incarnation, seq, time, deps, signature), so a receiver verifies it as it would the update.
 */
export interface MapEntryWire {
  readonly key: string
  readonly lamport: number
  /** The writer's peer id (the origin's peer id part). */
  readonly node: string
  readonly value?: Uint8Array
  readonly deleted: boolean
  readonly origin: string
  readonly seq: number
  readonly time: number
  readonly deps?: readonly Dep[]
  readonly sig?: Uint8Array
}

/** A peer-sampling descriptor (Cyclon): a peer and how many shuffles ago it was fresh. */
export interface Descriptor {
  readonly id: string
  readonly addrs?: readonly string[]
  readonly age: number
}

export type GossipMessage =
  /** Rumor mongering contact: push `updates` (hot rumors); `pull` asks for the partner's hot rumors. */
  | { readonly type: 'rumor', readonly updates: readonly Update[], readonly pull: boolean }
  /** Answer to a contact with `pull`: the partner's hot rumors, plus feedback on the pushed ones. */
  | { readonly type: 'reply', readonly updates: readonly Update[], readonly known: readonly UpdateId[], readonly fresh: readonly UpdateId[] }
  /**
   * Feedback on the updates you sent me: which I already knew (a useless contact for you) and which
   * were new to me (a useful one, which resets your counter).
   */
  | { readonly type: 'feedback', readonly known: readonly UpdateId[], readonly fresh: readonly UpdateId[] }
  /** Connection limit reached this round: the contact was refused. */
  | { readonly type: 'busy' }
  /**
   * Anti-entropy opens with checksums only (as in the paper): `sum` hashes my digest, `mapSum` my map.
   * A partner in sync does not answer at all.
   */
  | { readonly type: 'ae', readonly mode: AeMode, readonly sum: number, readonly mapSum: number }
  /** Checksums differ: my digest, and my map entries when the maps differ (unless mode is push). */
  | { readonly type: 'ae-reply', readonly digest: readonly DigestEntry[], readonly mapSum: number, readonly entries?: readonly MapEntryWire[] }
  /**
   * Updates (and map entries) the partner lacks; `digest` asks for what I lack in return (pull legs).
   * An ae-push without a digest ends the exchange.
   */
  | { readonly type: 'ae-push', readonly updates: readonly Update[], readonly entries?: readonly MapEntryWire[], readonly digest?: readonly DigestEntry[] }
  /** Pull an announced large payload. */
  | { readonly type: 'fetch', readonly origin: string, readonly seq: number }
  | { readonly type: 'body', readonly origin: string, readonly seq: number, readonly data?: Uint8Array }
  /** Cyclon shuffle request and answer. */
  | { readonly type: 'shuffle', readonly entries: readonly Descriptor[] }
  | { readonly type: 'shuffle-reply', readonly entries: readonly Descriptor[] }

export type AeMode = 'push' | 'pull' | 'push-pull'
export type RumorMode = 'push' | 'pull' | 'push-pull'
/** When an infected node loses interest: after feedback (useless contacts) or blindly; by counter or coin. */
export type StopRule = 'feedback-counter' | 'feedback-coin' | 'blind-counter' | 'blind-coin'

export function idKey (origin: string, seq: number): string { return `${seq}@${origin}` }
