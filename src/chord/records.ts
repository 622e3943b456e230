/**
 * Validated records, the libp2p way (kad-dht's `validators` / `selectors`): a key `/<namespace>/<rest>`
 * belongs to a namespace whose validator says whether a record may be stored under the key and whose
 * selector picks the best of several valid records. Every storing node (owner and replicas) and every
 * reader validates; a record that fails is dropped and counted, and its sender penalised.
 *
 * Built in:
 * - `imm` (immutable): key = `/imm/` ‖ SHA-256(value). Anyone may store it, nobody can change it.
 * - `signed` (mutable, after BEP 44): key = `/signed/` ‖ SHA-256(utf8(author peer id) ‖ salt). The record
 *   carries the author, the salt, a sequence number, the value and the author's Ed25519 signature over
 *   a domain tag, the salt, the sequence number and the value (BEP 44's `salt`/`seq`/`v`). A storing node
 *   keeps the highest seq (an equal seq only with the same value) and refuses a write whose optional
 *   `cas` (expected current seq, outside the signature as in BEP 44) does not match what it holds.
 *
 * Keys outside every namespace have no validator: they are refused unless the node is configured `open`.
 * Parsing never throws: a malformed record is simply invalid.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { SIGNATURE_BYTES, verifySignature, type Signer } from '../overlay/identity.js'
import { InvalidArgumentError } from '../overlay/errors.js'
import { utf8 } from '../overlay/ids.js'
import { bytesEqual } from './store.js'

/** A namespace's rules. Validation is synchronous and must not throw. */
export interface RecordNamespace {
  /** Is `record` a valid record for `key` (the whole key, prefix included)? Returns a refusal reason or undefined. */
  validate: (key: Uint8Array, record: Uint8Array) => string | undefined
  /** The best of several valid records for `key` (kad-dht's selector): its index. */
  select: (key: Uint8Array, records: Uint8Array[]) => number
  /**
   * A write (not a replica copy) of `incoming` where `current` is held: a refusal reason (e.g. 'cas-mismatch',
   * 'stale') or undefined. Unset: a write the selector does not prefer is refused as 'stale'.
   */
  checkWrite?: (key: Uint8Array, current: Uint8Array, incoming: Uint8Array) => string | undefined
  /** The replication version of a valid record (replicas compare digests by it). @default 1 */
  version?: (record: Uint8Array) => number
  /** What `get` returns for a valid record. @default the record itself */
  unwrap?: (record: Uint8Array) => Uint8Array
}

const SLASH = 0x2f
/** Longest namespace name. */
const MAX_NAME = 32

/** The namespace name of `/name/rest`, or undefined for a key outside every namespace. */
export function namespaceOf (key: Uint8Array): string | undefined {
  if (key.byteLength < 3 || key[0] !== SLASH) return undefined
  for (let i = 1; i < key.byteLength && i <= MAX_NAME + 1; i++) {
    if (key[i] === SLASH) return i === 1 ? undefined : new TextDecoder().decode(key.subarray(1, i))
  }
  return undefined
}

/** `/name/` ‖ rest. */
export function namespacedKey (name: string, rest: Uint8Array): Uint8Array {
  const p = utf8(`/${name}/`)
  const k = new Uint8Array(p.byteLength + rest.byteLength)
  k.set(p, 0); k.set(rest, p.byteLength)
  return k
}

function restOf (key: Uint8Array, name: string): Uint8Array { return key.subarray(name.length + 2) }

// ---- immutable --------------------------------------------------------------------------------------

export const IMMUTABLE = 'imm'

export function immutableKey (value: Uint8Array): Uint8Array { return namespacedKey(IMMUTABLE, sha256(value)) }

export const immutableNamespace: RecordNamespace = {
  validate: (key, record) => bytesEqual(restOf(key, IMMUTABLE), sha256(record)) ? undefined : 'hash-mismatch',
  select: () => 0,
  checkWrite: () => undefined
}

// ---- signed (BEP 44-style mutable) ------------------------------------------------------------------

export const SIGNED = 'signed'
const MAX_SALT = 64
const MAX_AUTHOR = 128
const MAGIC = 0x53 // 'S', format 1
const DOMAIN = utf8('overlaykit/chord/signed-record/1\n')

export interface SignedRecord {
  /** The author's peer id (its key is embedded: Ed25519 ids). */
  author: string
  salt: Uint8Array
  /** Sequence number, a safe integer ≥ 0; the highest valid one wins. */
  seq: number
  value: Uint8Array
  sig: Uint8Array
  /** Compare-and-swap: the seq the writer expects the storing node to hold (not signed, as in BEP 44). */
  cas?: number
}

export function signedKey (author: string, salt: Uint8Array | string = new Uint8Array(0)): Uint8Array {
  const a = utf8(author)
  const s = typeof salt === 'string' ? utf8(salt) : salt
  const d = new Uint8Array(a.byteLength + s.byteLength)
  d.set(a, 0); d.set(s, a.byteLength)
  return namespacedKey(SIGNED, sha256(d))
}

/** What the author signs: a domain tag, then BEP 44's `4:salt…3:seqi…e1:v…` (salt omitted when empty). */
function signedData (salt: Uint8Array, seq: number, value: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [DOMAIN]
  if (salt.byteLength > 0) parts.push(utf8(`4:salt${salt.byteLength}:`), salt)
  parts.push(utf8(`3:seqi${seq}e1:v${value.byteLength}:`), value)
  let n = 0
  for (const p of parts) n += p.byteLength
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.byteLength }
  return out
}

export function signRecord (signer: Signer, salt: Uint8Array | string, seq: number, value: Uint8Array, cas?: number): SignedRecord {
  const s = typeof salt === 'string' ? utf8(salt) : salt
  return { author: signer.id, salt: s, seq, value, sig: signer.sign(signedData(s, seq, value)), cas }
}

/** [magic][u8 author len][author][u8 salt len][salt][f64 seq][f64 cas or −1][u32 value len][value][sig 64]. */
export function encodeSigned (r: SignedRecord): Uint8Array {
  const a = utf8(r.author)
  const out = new Uint8Array(1 + 1 + a.byteLength + 1 + r.salt.byteLength + 8 + 8 + 4 + r.value.byteLength + SIGNATURE_BYTES)
  const dv = new DataView(out.buffer)
  let o = 0
  out[o++] = MAGIC
  out[o++] = a.byteLength; out.set(a, o); o += a.byteLength
  out[o++] = r.salt.byteLength; out.set(r.salt, o); o += r.salt.byteLength
  dv.setFloat64(o, r.seq); o += 8
  dv.setFloat64(o, r.cas ?? -1); o += 8
  dv.setUint32(o, r.value.byteLength); o += 4
  out.set(r.value, o); o += r.value.byteLength
  out.set(r.sig, o)
  return out
}

/** Parse without throwing; undefined for anything malformed. */
export function decodeSigned (b: Uint8Array): SignedRecord | undefined {
  if (b.byteLength < 1 + 1 + 1 + 8 + 8 + 4 + SIGNATURE_BYTES || b[0] !== MAGIC) return undefined
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength)
  let o = 1
  const al = b[o++]
  if (al === 0 || al > MAX_AUTHOR || o + al + 1 > b.byteLength) return undefined
  const author = new TextDecoder().decode(b.subarray(o, o + al)); o += al
  const sl = b[o++]
  if (sl > MAX_SALT || o + sl + 20 > b.byteLength) return undefined
  const salt = b.subarray(o, o + sl); o += sl
  const seq = dv.getFloat64(o); o += 8
  const cas = dv.getFloat64(o); o += 8
  const vl = dv.getUint32(o); o += 4
  if (!Number.isSafeInteger(seq) || seq < 0 || (cas !== -1 && (!Number.isSafeInteger(cas) || cas < 0))) return undefined
  if (o + vl + SIGNATURE_BYTES !== b.byteLength) return undefined
  const value = b.subarray(o, o + vl); o += vl
  return { author, salt, seq, value, sig: b.subarray(o), cas: cas === -1 ? undefined : cas }
}

/** Record checks on signed records are memoised by content: replicas and readers see the same bytes often. */
const verified = new WeakMap<Uint8Array, boolean>()

export const signedNamespace: RecordNamespace = {
  validate (key, record) {
    const r = decodeSigned(record)
    if (r === undefined) return 'malformed-record'
    if (!bytesEqual(key, signedKey(r.author, r.salt))) return 'key-mismatch'
    let ok = verified.get(record)
    if (ok === undefined) { ok = verifySignature(r.author, signedData(r.salt, r.seq, r.value), r.sig); verified.set(record, ok) }
    return ok ? undefined : 'bad-signature'
  },
  select (_key, records) {
    let best = 0; let bestSeq = -1
    records.forEach((rec, i) => { const s = decodeSigned(rec)?.seq ?? -1; if (s > bestSeq) { best = i; bestSeq = s } })
    return best
  },
  checkWrite (_key, current, incoming) {
    const c = decodeSigned(current); const n = decodeSigned(incoming)
    if (c === undefined || n === undefined) return undefined
    if (n.cas !== undefined && n.cas !== c.seq) return 'cas-mismatch'
    if (n.seq < c.seq || (n.seq === c.seq && !bytesEqual(n.value, c.value))) return 'stale'
    return undefined
  },
  // seq + 1: a replica holding nothing (version 0) always wants seq 0
  version: (record) => (decodeSigned(record)?.seq ?? -1) + 1,
  unwrap: (record) => decodeSigned(record)?.value ?? new Uint8Array(0)
}

/** The namespaces a node knows: the built-ins plus the application's. */
export class Namespaces {
  private readonly map = new Map<string, RecordNamespace>()

  constructor (app: Record<string, RecordNamespace>) {
    this.map.set(IMMUTABLE, immutableNamespace)
    this.map.set(SIGNED, signedNamespace)
    for (const [name, ns] of Object.entries(app)) this.register(name, ns)
  }

  register (name: string, ns: RecordNamespace): void {
    if (name.length === 0 || name.length > MAX_NAME || name.includes('/')) throw new InvalidArgumentError(`bad namespace name '${name}'`)
    this.map.set(name, ns)
  }

  /** The namespace of a key, or undefined when it has none (an unvalidated key). */
  of (key: Uint8Array): RecordNamespace | undefined {
    const name = namespaceOf(key)
    return name === undefined ? undefined : this.map.get(name)
  }

  /** A valid record's replication version (derived from the record, never taken from a peer). */
  version (ns: RecordNamespace, record: Uint8Array): number { return ns.version?.(record) ?? 1 }
}
