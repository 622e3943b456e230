/**
 * Updates waiting for their signature to be checked off the event loop (`env.verify`: libuv's
 * thread pool in the live runtime on Node). In a process that runs many nodes, or on a busy node,
 * checking every new update's Ed25519 signature on the event loop was the largest cost of signed
 * gossip; off the loop, the loop only hands the check over and takes the answer back.
 *
 * Nothing is stored, delivered or forwarded before its signature checked out: an update that passed
 * the cheap checks waits here, and the machine admits it when the answer comes. While one copy
 * waits, another copy of the same update is not checked again — but only when it is byte-for-byte
 * what the waiting copy claims (same signed fields, same payload hash, same signature). A copy that
 * differs is checked on its own, so a forgery that arrives first cannot make the real update look like
 * a duplicate and silence it. Bounded: past `max` waiting checks the machine verifies synchronously
 * (costs loop time, loses nothing), and at most MAX_COPIES differing copies of one update wait.
 */
import type { PeerRef } from '../overlay/types.js'
import { originPeer, signedBytes } from './auth.js'
import type { Via } from './context.js'
import { equalBytes } from './fetch.js'
import { idKey, type Update } from './types.js'

/** Differing copies of one update checked at once; more are verified synchronously. */
const MAX_COPIES = 4

/** One copy waiting for its answer. */
export interface Waiting { readonly token: string, readonly id: string, readonly from: PeerRef, readonly u: Update, readonly via: Via, readonly bytes: Uint8Array }

export type Offer = 'waiting' | 'duplicate' | 'verify-here'

export class PendingChecks {
  private readonly byToken = new Map<string, Waiting>()
  private readonly byId = new Map<string, Waiting[]>()
  private next = 0

  constructor (private readonly verify: (peerId: string, data: Uint8Array, sig: Uint8Array, token: string) => void, private readonly max: number) {}

  get size (): number { return this.byToken.size }

  /** Is a copy of this update waiting (so it is not new to a peer that offers it)? */
  has (origin: string, seq: number): boolean { return this.byId.has(idKey(origin, seq)) }

  /** Hand a signed update's check to the driver; 'verify-here' when the bound says check it now. */
  offer (from: PeerRef, u: Update, via: Via): Offer {
    const sig = u.sig as Uint8Array
    const id = idKey(u.origin, u.seq)
    const bytes = signedBytes(u)
    const copies = this.byId.get(id)
    if (copies?.some(c => equalBytes(c.bytes, bytes) && equalBytes(c.u.sig as Uint8Array, sig)) === true) return 'duplicate'
    if (this.byToken.size >= this.max || (copies?.length ?? 0) >= MAX_COPIES) return 'verify-here'
    const token = `v${++this.next}`
    const w: Waiting = { token, id, from, u, via, bytes }
    this.byToken.set(token, w)
    if (copies === undefined) this.byId.set(id, [w]); else copies.push(w)
    this.verify(originPeer(u.origin), bytes, sig, token)
    return 'waiting'
  }

  /** The answer for `token`: the copy it was for (now no longer waiting), or undefined when unknown. */
  settle (token: string): Waiting | undefined {
    const w = this.byToken.get(token)
    if (w === undefined) return undefined
    this.byToken.delete(token)
    const copies = this.byId.get(w.id) as Waiting[]
    if (copies.length === 1) this.byId.delete(w.id); else copies.splice(copies.indexOf(w), 1)
    return w
  }

  /** Forget everything waiting (the machine stopped; late answers are then unknown tokens). */
  clear (): void {
    this.byToken.clear()
    this.byId.clear()
  }
}
