/**
 * A hostile gossip peer: an open gossip node (it verifies nothing, so it keeps whatever honest nodes
 * push to it) that speaks the real protocol — its frames go through the real codec and driver — but
 * sends what the test crafts. Works over libp2p (the node's machine sends through the driver) and in
 * the simulator (the same machine over the simulated network).
 */
import type { Signer } from '../../src/overlay/identity.js'
import { signUpdate } from '../../src/gossip/auth.js'
import type { GossipMachine } from '../../src/gossip/machine.js'
import { idKey, type GossipMessage, type Update, UpdateKind } from '../../src/gossip/types.js'
import type { PeerRef } from '../../src/overlay/types.js'
import { simIdentity } from '../../src/sim/identity.js'

const enc = new TextEncoder()

/** Identities the attacker owns (derived, so runs are reproducible). */
export function attackerKeys (n: number, tag = 'attacker'): Signer[] {
  return Array.from({ length: n }, (_, i) => simIdentity(tag, i))
}

export class Attacker {
  constructor (readonly machine: GossipMachine) {}

  send (to: PeerRef, msg: GossipMessage): void { this.machine.env.send(to, msg) }

  rumor (to: PeerRef, updates: Update[]): void { this.send(to, { type: 'rumor', updates, pull: false }) }

  /** A stored copy (with its signature) of an update the attacker was pushed by honest nodes. */
  captured (id: string): Update | undefined { return this.machine.store.get(id)?.u }

  now (): number { return this.machine.env.now() }
}

/** A broadcast update, signed by `by` (which may not own `origin`: that is the forgery). */
export function craft (p: { origin: string, seq: number, time: number, text?: string, data?: Uint8Array, topic?: string, by?: Signer }): Update {
  const data = p.data ?? enc.encode(p.text ?? 'forged')
  const u: Update = { origin: p.origin, seq: p.seq, time: p.time, kind: UpdateKind.Message, topic: p.topic ?? 't', size: data.byteLength, data }
  return p.by !== undefined ? signUpdate(p.by, u) : u
}

/** A map write of `key`, signed by `by`, from origin `<by>/x` unless given. */
export function craftPut (p: { by: Signer, key: string, value: string, lamport: number, time: number, seq?: number, origin?: string }): Update {
  const data = enc.encode(p.value)
  return signUpdate(p.by, {
    origin: p.origin ?? `${p.by.id}/x`, seq: p.seq ?? 1, time: p.time, kind: UpdateKind.Put, topic: '', key: p.key, lamport: p.lamport, size: data.byteLength, data
  })
}

/** origin + seq of an update id `<seq>@<origin>`. */
export function parseId (id: string): { origin: string, seq: number } {
  const at = id.indexOf('@')
  return { seq: Number(id.slice(0, at)), origin: id.slice(at + 1) }
}

export { idKey }
