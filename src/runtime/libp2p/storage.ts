/**
 * Blob storage behind `env.io` in the live runtime. Machines name a store (a torrent's content id,
 * a shared file's hash) and read/write byte ranges; the driver performs the request here and hands
 * the result back through `Machine.onIo`, the way a timer fires.
 *
 * Semantics match the simulator's BlobStore so machines behave the same in both runtimes:
 * a missing store is NotFoundError, a read past the end is RangeError, a write past the end grows
 * the blob (zero-filled, like a sparse file) and reports the new size.
 *
 * Node's fs and path are loaded lazily (through a computed specifier bundlers leave alone) so this
 * module, and the runtime index that re-exports it, can be bundled for browsers.
 */
import type * as FsPromises from 'node:fs/promises'
import type * as NodePath from 'node:path'
import { InvalidArgumentError, NotFoundError } from '../../overlay/errors.js'
import type { IoRequest, IoResult } from '../../overlay/types.js'

export interface BlobStorage {
  read (store: string, offset: number, length: number): Promise<Uint8Array>
  /** Returns the blob's size after the write. */
  write (store: string, offset: number, data: Uint8Array): Promise<number>
  size (store: string): Promise<number>
}

/** Run one machine request against a storage; never rejects (errors become `{ ok: false }`). */
export async function performIo (storage: BlobStorage, req: IoRequest): Promise<IoResult> {
  try {
    switch (req.op) {
      case 'read': return { ok: true, data: await storage.read(req.store, req.offset, req.length) }
      case 'write': return { ok: true, size: await storage.write(req.store, req.offset, req.data) }
      case 'size': return { ok: true, size: await storage.size(req.store) }
    }
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err : new Error(String(err)) }
  }
}

function checkRange (offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`bad offset ${offset}`)
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`bad length ${length}`)
}

/** Blobs in memory (tests, demos, browsers). */
export class MemoryBlobStorage implements BlobStorage {
  private readonly blobs = new Map<string, Uint8Array>()

  /** Put a whole blob (e.g. a file a node shares). */
  put (store: string, bytes: Uint8Array): void { this.blobs.set(store, bytes) }
  get (store: string): Uint8Array | undefined { return this.blobs.get(store) }
  delete (store: string): void { this.blobs.delete(store) }

  async read (store: string, offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length)
    const blob = this.blobs.get(store)
    if (blob === undefined) throw new NotFoundError(`no blob ${store}`)
    if (offset + length > blob.byteLength) throw new RangeError(`read [${offset}, +${length}) beyond ${blob.byteLength} bytes of ${store}`)
    return blob.slice(offset, offset + length)
  }

  async write (store: string, offset: number, data: Uint8Array): Promise<number> {
    checkRange(offset, data.byteLength)
    let blob = this.blobs.get(store) ?? new Uint8Array(0)
    const end = offset + data.byteLength
    if (end > blob.byteLength) {
      const grown = new Uint8Array(end)
      grown.set(blob)
      blob = grown
    }
    blob.set(data, offset)
    this.blobs.set(store, blob)
    return blob.byteLength
  }

  async size (store: string): Promise<number> {
    const blob = this.blobs.get(store)
    if (blob === undefined) throw new NotFoundError(`no blob ${store}`)
    return blob.byteLength
  }
}

/** Read handles kept open at most, and how long an unused one stays open. */
const MAX_OPEN_READS = 32
const READ_HANDLE_IDLE_MS = 2000

interface ReadHandle { fh: Promise<FsPromises.FileHandle>, size: number, users: number, timer: ReturnType<typeof setTimeout> | undefined }

/**
 * Blobs as files under a root directory: store name → `<root>/<name>` (names may contain `/` for
 * sub-folders). Names that are absolute, contain NUL or `..`, or otherwise resolve outside the root
 * are refused with InvalidArgumentError, because store names can come from remote peers.
 */
export class FsBlobStorage implements BlobStorage {
  private readonly rootDir: string
  private mods: Promise<{ fs: typeof FsPromises, path: typeof NodePath }> | undefined
  private readonly handles = new Map<string, ReadHandle>()

  constructor (root: string) {
    this.rootDir = root
  }

  private async load (): Promise<{ fs: typeof FsPromises, path: typeof NodePath }> {
    if (this.mods === undefined) {
      const fsName = 'node:fs/promises'
      const pathName = 'node:path'
      this.mods = Promise.all([import(fsName), import(pathName)]).then(([fs, path]) => ({ fs, path }))
    }
    return await this.mods
  }

  /** The absolute file path for a store name; throws InvalidArgumentError on traversal attempts. */
  async pathOf (store: string): Promise<string> {
    const { path: p } = await this.load()
    if (store.length === 0 || store.includes('\0') || p.isAbsolute(store) || /^[a-zA-Z]:/.test(store) || store.split(/[\\/]/).includes('..')) {
      throw new InvalidArgumentError(`refused store name ${JSON.stringify(store)}`)
    }
    const root = p.resolve(this.rootDir)
    const path = p.resolve(root, store)
    const rel = p.relative(root, path)
    if (rel === '' || p.isAbsolute(rel) || rel.split(p.sep).includes('..')) {
      throw new InvalidArgumentError(`store name ${JSON.stringify(store)} leaves the storage root`)
    }
    return path
  }

  async read (store: string, offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length)
    const path = await this.pathOf(store)
    const h = await this.acquire(path, store)
    try {
      const fh = await h.fh
      // the size is cached with the handle; look again only when a read would pass it (a write grew the file)
      if (offset + length > h.size) h.size = (await fh.stat()).size
      if (offset + length > h.size) throw new RangeError(`read [${offset}, +${length}) beyond ${h.size} bytes of ${store}`)
      const out = new Uint8Array(length)
      let done = 0
      while (done < length) {
        const { bytesRead } = await fh.read(out, done, length - done, offset + done)
        if (bytesRead === 0) throw new RangeError(`${store} shrank while reading`)
        done += bytesRead
      }
      return out
    } finally {
      this.release(path, h)
    }
  }

  /**
   * A shared read handle for `path`: a seeder reads the same files block by block, and opening,
   * stat-ing and closing a file for every 16 KiB block cost more than the read itself. (A file
   * replaced behind the storage's back, not rewritten in place, may be read from the old copy
   * until its handle has been idle for READ_HANDLE_IDLE_MS.)
   */
  private async acquire (path: string, store: string): Promise<ReadHandle> {
    let h = this.handles.get(path)
    if (h === undefined) {
      if (this.handles.size >= MAX_OPEN_READS) this.closeIdle()
      const { fs } = await this.load()
      h = this.handles.get(path)
      if (h === undefined) {
        const opened: ReadHandle = { fh: fs.open(path, 'r'), size: -1, users: 0, timer: undefined }
        this.handles.set(path, opened)
        opened.fh.catch(() => { if (this.handles.get(path) === opened) this.handles.delete(path) })
        h = opened
      }
    }
    h.users++
    clearTimeout(h.timer)
    try {
      await h.fh
    } catch (err) {
      h.users--
      throw notFound(err, store)
    }
    return h
  }

  private release (path: string, h: ReadHandle): void {
    if (--h.users > 0) return
    // idle handles close after a while; the timer must not keep a process alive
    h.timer = setTimeout(() => { if (h.users === 0 && this.handles.get(path) === h) this.drop(path, h) }, READ_HANDLE_IDLE_MS)
    ;(h.timer as { unref?: () => void }).unref?.()
  }

  private closeIdle (): void {
    for (const [path, h] of this.handles) if (h.users === 0) this.drop(path, h)
  }

  private drop (path: string, h: ReadHandle): void {
    clearTimeout(h.timer)
    this.handles.delete(path)
    void h.fh.then(async fh => { await fh.close() }).catch(() => {})
  }

  /** Close the cached read handles now (they also close by themselves when idle). */
  async close (): Promise<void> {
    const all = [...this.handles.values()]
    for (const [path, h] of [...this.handles]) { clearTimeout(h.timer); this.handles.delete(path) }
    await Promise.all(all.map(async h => { await h.fh.then(async fh => { await fh.close() }).catch(() => {}) }))
  }

  async write (store: string, offset: number, data: Uint8Array): Promise<number> {
    checkRange(offset, data.byteLength)
    const path = await this.pathOf(store)
    const { fs, path: p } = await this.load()
    await fs.mkdir(p.dirname(path), { recursive: true })
    // Read-write, created when missing, never truncated: several writes to a new blob run at once (a
    // downloader's chunks in flight), and a 'w+' open by one of them would erase what another wrote.
    // ('a+' would force appends.)
    const fh = await fs.open(path, fs.constants.O_RDWR | fs.constants.O_CREAT)
    try {
      let done = 0
      while (done < data.byteLength) {
        const { bytesWritten } = await fh.write(data, done, data.byteLength - done, offset + done)
        done += bytesWritten
      }
      const size = (await fh.stat()).size
      const cached = this.handles.get(path)
      if (cached !== undefined) cached.size = Math.max(cached.size, size)
      return size
    } finally {
      await fh.close()
    }
  }

  async size (store: string): Promise<number> {
    const path = await this.pathOf(store)
    const { fs } = await this.load()
    try {
      return (await fs.stat(path)).size
    } catch (err) {
      throw notFound(err, store)
    }
  }
}

function notFound (err: unknown, store: string): Error {
  if ((err as NodeJS.ErrnoException)?.code === 'ENOENT') return new NotFoundError(`no blob ${store}`)
  return err instanceof Error ? err : new Error(String(err))
}
