/**
 * A BlobStorage in IndexedDB, for pages: what a torrent downloads (and its resume data) outlives the
 * page, and content is not held in one buffer in memory.
 *
 * ```ts
 * const storage = new IdbBlobStorage()
 * const t = await node.services.bittorrent.download(torrentFile, { storage, peers: [seedAddr] })
 * await t.done
 * const bytes = await storage.read(t.metainfo.name, 0, t.metainfo.length)
 * ```
 *
 * Semantics match MemoryBlobStorage (runtime/libp2p/storage.ts): a missing blob is NotFoundError, a
 * read past the end RangeError, a write past the end grows the blob (zero-filled). Each blob is cut
 * into records of `chunkBytes`, keyed [blob, chunk index], plus one size record, so a 16 KiB block
 * write touches one or two records instead of rewriting the blob. A missing chunk reads as zeros.
 * Each call is one IndexedDB transaction; transactions over the same stores run in the order they
 * were created, so a read issued after a write sees it.
 */
import { NotFoundError } from '../overlay/errors.js'
import type { BlobStorage } from '../runtime/libp2p/storage.js'

export interface IdbStorageOptions {
  /** IndexedDB database name (one per app or per user profile). @default 'overlaykit-blobs' */
  database?: string
  /** Bytes per record; keep it for the life of a database (records are not re-cut). @default 65536 */
  chunkBytes?: number
  /** The IndexedDB factory (e.g. a worker's, or a test double). @default globalThis.indexedDB */
  indexedDB?: IDBFactory
}

const CHUNKS = 'chunks'
const SIZES = 'sizes'

function checkRange (offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`bad offset ${offset}`)
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`bad length ${length}`)
}

function idbError (tx: IDBTransaction, what: string): Error {
  return tx.error ?? new Error(`IndexedDB ${what} aborted`)
}

export class IdbBlobStorage implements BlobStorage {
  readonly database: string
  readonly chunkBytes: number
  private readonly factory: IDBFactory
  private db: Promise<IDBDatabase> | undefined

  constructor (o: IdbStorageOptions = {}) {
    this.database = o.database ?? 'overlaykit-blobs'
    this.chunkBytes = o.chunkBytes ?? 65536
    if (!Number.isSafeInteger(this.chunkBytes) || this.chunkBytes <= 0) throw new RangeError(`bad chunkBytes ${this.chunkBytes}`)
    const factory = o.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB
    if (factory === undefined) throw new Error('IdbBlobStorage: no IndexedDB here (pass options.indexedDB)')
    this.factory = factory
  }

  private async open (): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = this.factory.open(this.database, 1)
      req.onupgradeneeded = () => {
        const db = req.result
        if (!db.objectStoreNames.contains(CHUNKS)) db.createObjectStore(CHUNKS)
        if (!db.objectStoreNames.contains(SIZES)) db.createObjectStore(SIZES)
      }
      req.onsuccess = () => { resolve(req.result) }
      req.onerror = () => { reject(req.error ?? new Error(`cannot open IndexedDB ${this.database}`)) }
      req.onblocked = () => { reject(new Error(`IndexedDB ${this.database} is blocked by another connection`)) }
    })
    return await this.db
  }

  async read (store: string, offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length)
    const db = await this.open()
    const cs = this.chunkBytes
    return await new Promise<Uint8Array>((resolve, reject) => {
      const tx = db.transaction([SIZES, CHUNKS], 'readonly')
      const out = new Uint8Array(length)
      let failure: Error | undefined
      tx.oncomplete = () => { if (failure !== undefined) reject(failure); else resolve(out) }
      tx.onerror = tx.onabort = () => { reject(failure ?? idbError(tx, 'read')) }
      const sizeReq = tx.objectStore(SIZES).get(store)
      sizeReq.onsuccess = () => {
        const size = sizeReq.result as number | undefined
        if (size === undefined) { failure = new NotFoundError(`no blob ${store}`); return }
        if (offset + length > size) { failure = new RangeError(`read [${offset}, +${length}) beyond ${size} bytes of ${store}`); return }
        if (length === 0) return
        const first = Math.floor(offset / cs)
        const last = Math.floor((offset + length - 1) / cs)
        const cursorReq = tx.objectStore(CHUNKS).openCursor(IDBKeyRange.bound([store, first], [store, last]))
        cursorReq.onsuccess = () => {
          const cursor = cursorReq.result
          if (cursor === null) return
          const index = (cursor.key as [string, number])[1]
          const chunk = cursor.value as Uint8Array
          // the part of this chunk inside [offset, offset + length)
          const from = Math.max(offset, index * cs)
          const to = Math.min(offset + length, index * cs + chunk.length)
          if (to > from) out.set(chunk.subarray(from - index * cs, to - index * cs), from - offset)
          cursor.continue()
        }
      }
    })
  }

  async write (store: string, offset: number, data: Uint8Array): Promise<number> {
    checkRange(offset, data.byteLength)
    const db = await this.open()
    const cs = this.chunkBytes
    const end = offset + data.byteLength
    return await new Promise<number>((resolve, reject) => {
      const tx = db.transaction([SIZES, CHUNKS], 'readwrite')
      let size = 0
      tx.oncomplete = () => { resolve(size) }
      tx.onerror = tx.onabort = () => { reject(idbError(tx, 'write')) }
      const sizes = tx.objectStore(SIZES)
      const chunks = tx.objectStore(CHUNKS)
      const sizeReq = sizes.get(store)
      sizeReq.onsuccess = () => {
        size = Math.max((sizeReq.result as number | undefined) ?? 0, end)
        sizes.put(size, store)
        if (data.byteLength === 0) return
        for (let index = Math.floor(offset / cs); index * cs < end; index++) {
          const from = Math.max(offset, index * cs)
          const to = Math.min(end, (index + 1) * cs)
          const part = data.subarray(from - offset, to - offset)
          const key = [store, index]
          // records are fresh chunk-sized copies: storing a view would clone its whole underlying buffer
          if (to - from === cs) { chunks.put(part.slice(), key); continue }
          const get = chunks.get(key)
          get.onsuccess = () => {
            const old = get.result as Uint8Array | undefined
            const chunk = new Uint8Array(cs)
            if (old !== undefined) chunk.set(old.subarray(0, cs))
            chunk.set(part, from - index * cs)
            chunks.put(chunk, key)
          }
        }
      }
    })
  }

  async size (store: string): Promise<number> {
    const db = await this.open()
    return await new Promise<number>((resolve, reject) => {
      const tx = db.transaction(SIZES, 'readonly')
      const req = tx.objectStore(SIZES).get(store)
      tx.oncomplete = () => {
        const size = req.result as number | undefined
        if (size === undefined) reject(new NotFoundError(`no blob ${store}`)); else resolve(size)
      }
      tx.onerror = tx.onabort = () => { reject(idbError(tx, 'size')) }
    })
  }

  /** Remove one blob. */
  async delete (store: string): Promise<void> {
    const db = await this.open()
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction([SIZES, CHUNKS], 'readwrite')
      tx.oncomplete = () => { resolve() }
      tx.onerror = tx.onabort = () => { reject(idbError(tx, 'delete')) }
      tx.objectStore(SIZES).delete(store)
      tx.objectStore(CHUNKS).delete(IDBKeyRange.bound([store, 0], [store, Number.MAX_SAFE_INTEGER]))
    })
  }

  /** Close the database connection (a later call opens it again). */
  close (): void {
    const db = this.db
    this.db = undefined
    void db?.then(d => { d.close() }, () => {})
  }
}
