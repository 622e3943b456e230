/**
 * Structural checks on an update a peer sent, before anything dear (hashing, signature checks): what
 * is malformed is refused as `gossip:invalid`; a payload pushed whole that honest peers would have
 * announced is refused as `gossip:oversize-push` (options.ts `maxPushedBytes`).
 */
import { PENALTY } from '../overlay/penalty.js'
import type { ResolvedOptions } from './options.js'
import { type Update, UpdateKind } from './types.js'

/** Penalty unit for an oversize push: 1 per 8 KiB carried, so a 1 MiB push (128) passes the driver's threshold at once. */
const PUSHED_UNIT_BYTES = 8 * 1024

export function validUpdate (u: Update, o: ResolvedOptions): boolean {
  if (!Number.isSafeInteger(u.seq) || u.seq < 1 || u.origin.length === 0) return false
  if (u.size > o.maxMessageBytes) return false
  if (u.data !== undefined && u.data.byteLength !== u.size) return false
  if (u.data === undefined && (u.hash === undefined || u.hash.byteLength !== 32 || u.size === 0)) return false
  if (u.kind !== UpdateKind.Message && (u.key === undefined || u.lamport === undefined)) return false
  if (u.deps !== undefined && u.deps.length > o.maxGroup) return false
  return true
}

/** A pushed (not fetched) update carrying a payload larger than this node takes inline. */
export function oversizePush (u: Update, o: ResolvedOptions): boolean {
  return u.data !== undefined && u.size > o.maxPushedBytes
}

export function pushPenalty (u: Update): number {
  return PENALTY.refused * Math.ceil(u.size / PUSHED_UNIT_BYTES)
}
