/**
 * The key/value store and provider records, client side: look up a key's owner list, then store at or
 * read from the owner and, when it does not answer, its successors (replica holders). The owner and
 * replica side is replication.ts.
 */
import { InvalidArgumentError, LimitError, NotFoundError, UnreachableError } from '../overlay/errors.js'
import { hashToId } from '../overlay/ids.js'
import type { ChordContext, LookupOutcome } from './context.js'
import type { ProviderRecord, WireItem } from './messages.js'
import type { NodeInfo } from './node.js'
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
    if (n.peer === m.self.id) { const e = m.kv.applyStore(item, op); next(e === undefined ? null : new LimitError(e)); return }
    const req = m.newReq()
    m.request(n.ref, { t: 'store', req, item, op }, (msg) => {
      if (msg.t !== 'stored') return
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

function fetchOp (m: ChordContext, key: Uint8Array, kind: number, done: Done<WireItem>): () => void {
  if (key.byteLength === 0) { done(new InvalidArgumentError('empty key')); return () => {} }
  return withOwners<WireItem>(m, key, done, (n, next) => {
    const notFound = (): void => { next(new NotFoundError(`no value for key`), undefined, true) }
    if (n.peer === m.self.id) {
      const it = m.kv.readLocal(key, kind)
      if (it === undefined) notFound(); else next(null, toWire(it, m.env.now()))
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
      next(null, msg.item)
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
