/**
 * The key/value store and provider records, client side: look up a key's owner list, then store at or
 * read from the owner and, when it does not answer, its successors (replica holders). The owner and
 * replica side is replication.ts.
 */
import { InvalidArgumentError, LimitError, NotFoundError, UnreachableError } from '../overlay/errors.js'
import { hashToId } from '../overlay/ids.js'
import type { PeerRef } from '../overlay/types.js'
import type { ChordContext, LookupOutcome } from './context.js'
import type { ProviderRecord, WireItem } from './messages.js'
import type { NodeInfo } from './node.js'
import { decodeSigned, encodeSigned, immutableKey, signedKey, signRecord } from './records.js'
import { bytesEqual, KIND_PROVIDERS, KIND_VALUE, toWire } from './store.js'

export function keyRingId (m: Pick<ChordContext, 'bits'>, key: Uint8Array): bigint { return hashToId(key, m.bits) }

// ---- client side -----------------------------------------------------------------------------------

export interface KvCost { lookup: LookupOutcome | undefined, timeouts: number, messages: number }
type Done<T> = (err: Error | null, value?: T, cost?: KvCost) => void

function asBytes (key: Uint8Array | string): Uint8Array {
  return typeof key === 'string' ? new TextEncoder().encode(key) : key
}

/** Look up the owner list of a key, then run `visit` on the owner and (on failure) its successors. */
function withOwners<T> (m: ChordContext, key: Uint8Array, done: Done<T>,
  visit: (n: NodeInfo, next: (err: Error | null, value?: T, retry?: boolean) => void) => void): () => void {
  let cancelled = false
  const cancelLookup = m.lookup({ key: keyRingId(m, key) }, (err, res) => {
    if (cancelled) return
    if (err != null || res === undefined) { done(err ?? new UnreachableError('lookup failed')); return }
    const cost: KvCost = { lookup: res, timeouts: 0, messages: res.messages }
    const list = res.owners.slice(0, Math.max(1, m.o.replicas))
    let i = 0
    let lastErr: Error = new UnreachableError('no replica answered')
    const tryNext = (): void => {
      if (cancelled) return
      const n = list[i++]
      if (n === undefined) { done(lastErr, undefined, cost); return }
      cost.messages++
      visit(n, (e, v, retry) => {
        if (cancelled) return
        if (e == null) { done(null, v, cost); return }
        lastErr = e
        if (e instanceof UnreachableError) cost.timeouts++
        if (retry === true) tryNext(); else done(e, undefined, cost)
      })
    }
    tryNext()
  })
  return () => { cancelled = true; cancelLookup() }
}

function storeOp (m: ChordContext, item: WireItem, op: 'put' | 'delete' | 'provide', done: Done<void>): () => void {
  return withOwners<void>(m, item.key, done, (n, next) => {
    if (n.peer === m.self.id) { const e = m.kv.applyStore(m.self, item, op); next(e === undefined ? null : new LimitError(e)); return }
    const req = m.newReq()
    m.request(n.ref, { t: 'store', req, item, op }, (msg) => {
      if (msg.t !== 'stored') return
      // a host that does not see itself among the key's holders (its view lags): try the next one
      if (!msg.ok && msg.error === 'refused: not-responsible') { next(new LimitError(msg.error), undefined, true); return }
      next(msg.ok ? null : new LimitError(msg.error ?? 'store refused'))
    }, () => { next(new UnreachableError(`owner ${n.peer} did not answer`), undefined, true) })
  })
}

export function put (m: ChordContext, key: Uint8Array | string, value: Uint8Array, done: Done<void>): () => void {
  if (value.byteLength > m.o.maxValueBytes) { done(new LimitError(`value of ${value.byteLength} bytes exceeds ${m.o.maxValueBytes}`)); return () => {} }
  return storeOp(m, { key: asBytes(key), kind: KIND_VALUE, version: 0, value, deleted: false, providers: [] }, 'put', done)
}

export function del (m: ChordContext, key: Uint8Array | string, done: Done<void>): () => void {
  return storeOp(m, { key: asBytes(key), kind: KIND_VALUE, version: 0, deleted: true, providers: [] }, 'delete', done)
}

export function provide (m: ChordContext, key: Uint8Array, done: Done<void>): () => void {
  const rec: ProviderRecord = { peer: m.self.id, addrs: [...(m.self.addrs ?? [])], expires: m.env.now() + m.o.providerTtlMs }
  return storeOp(m, { key, kind: KIND_PROVIDERS, version: 0, deleted: false, providers: [rec] }, 'provide', done)
}

function fetchOp (m: ChordContext, key: Uint8Array, kind: number, done: Done<WireItem>, unwrap = true): () => void {
  if (key.byteLength === 0) { done(new InvalidArgumentError('empty key')); return () => {} }
  return withOwners<WireItem>(m, key, done, (n, next) => {
    const notFound = (): void => { next(new NotFoundError(`no value for key`), undefined, true) }
    // every reader validates a namespaced record (and unwraps it); an invalid one counts, the next replica is asked
    const checked = (from: PeerRef, item: WireItem): void => {
      if (item.value === undefined || kind !== KIND_VALUE) { next(null, item); return }
      const value = m.kv.readValue(from, key, item.value)
      if (value === undefined) notFound(); else next(null, value === item.value || !unwrap ? item : { ...item, value })
    }
    if (n.peer === m.self.id) {
      const it = m.kv.readLocal(key, kind)
      if (it === undefined) notFound(); else checked(m.self, toWire(it, m.env.now()))
      return
    }
    const req = m.newReq()
    m.request(n.ref, { t: 'fetch', req, key, kind }, (msg) => {
      if (msg.t !== 'fetched') return
      // never accept an answer for another key
      if (!msg.found || msg.item === undefined || !bytesEqual(msg.key, key) || !bytesEqual(msg.item.key, key) || msg.item.kind !== kind) {
        if (msg.found) m.env.stats.inc('chord:wrong-key')
        notFound(); return
      }
      checked(n.ref, msg.item)
    }, () => { next(new UnreachableError(`replica ${n.peer} did not answer`), undefined, true) })
  })
}

export function get (m: ChordContext, key: Uint8Array | string, done: Done<Uint8Array>): () => void {
  return fetchOp(m, asBytes(key), KIND_VALUE, (err, item, cost) => {
    if (err != null || item === undefined || item.deleted || item.value === undefined) { done(err ?? new NotFoundError('no value for key'), undefined, cost); return }
    done(null, item.value, cost)
  })
}

export function findProviders (m: ChordContext, key: Uint8Array, done: Done<ProviderRecord[]>): () => void {
  return fetchOp(m, key, KIND_PROVIDERS, (err, item, cost) => {
    if (err instanceof NotFoundError) { done(null, [], cost); return }
    if (err != null || item === undefined) { done(err ?? new NotFoundError(), undefined, cost); return }
    const now = m.env.now()
    done(null, item.providers.filter(p => p.expires > now), cost)
  })
}

// ---- validated records ------------------------------------------------------------------------------

/** Store an immutable value under `/imm/` ‖ SHA-256(value); the callback gets the key. */
export function putImmutable (m: ChordContext, value: Uint8Array, done: Done<Uint8Array>): () => void {
  const key = immutableKey(value)
  return put(m, key, value, (err, _v, cost) => { done(err, err == null ? key : undefined, cost) })
}

export interface PutSignedOptions {
  /** Sequence number; unset, one more than the highest found on the network (0 for a new name). */
  seq?: number
  /** Compare-and-swap: refuse unless the storing node holds this seq. */
  cas?: number
}

/**
 * Store `value` under this node's key and `name` (BEP 44's salt): key `/signed/` ‖ SHA-256(peer id ‖
 * name), signed with `env.signer`. Without `seq`, the current record is read first and its seq + 1 used
 * (and required by compare-and-swap, so two writers cannot both win the same seq). The callback gets the key.
 */
export function putSigned (m: ChordContext, name: Uint8Array | string, value: Uint8Array, done: Done<Uint8Array>, options: PutSignedOptions = {}): () => void {
  const signer = m.env.signer
  if (signer === undefined) { done(new InvalidArgumentError('putSigned needs a node identity (env.signer)')); return () => {} }
  const key = signedKey(signer.id, name)
  const write = (seq: number, cas: number | undefined): () => void => {
    const rec = encodeSigned(signRecord(signer, asBytes(name), seq, value, cas))
    return put(m, key, rec, (err, _v, cost) => { done(err, err == null ? key : undefined, cost) })
  }
  if (options.seq !== undefined) return write(options.seq, options.cas)
  let cancel = (): void => {}
  cancel = fetchOp(m, key, KIND_VALUE, (err, item) => {
    if (err != null && !(err instanceof NotFoundError)) { done(err); return }
    // the seq comes from the verified record itself, never from the version a replica claims
    const cur = item?.value === undefined ? undefined : decodeSigned(item.value)?.seq
    cancel = write(cur === undefined ? 0 : cur + 1, cur)
  }, false)
  return () => { cancel() }
}

/** Read `author`'s record under `name`; verified (signature, key) before it is returned. */
export function getSigned (m: ChordContext, author: string, name: Uint8Array | string, done: Done<Uint8Array>): () => void {
  return get(m, signedKey(author, name), done)
}
