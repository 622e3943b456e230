/**
 * What a peer shares: a catalog of files, each with a name, a size, a SHA-256 content hash, keywords
 * from the name, and the `store` its bytes live in (a path on disk for the Node file storage, a blob
 * name for in-memory storage or the simulator). Numeric `index` values are stable per catalog, for
 * wire formats that name a file by index (Gnutella's QueryHit/Push file index, OpenNap's browse).
 */
import type { SharedFile } from '../overlay/capabilities.js'
import { InvalidArgumentError, LimitError } from '../overlay/errors.js'
import { KeywordIndex, keywordsOf } from './keywords.js'

export interface CatalogEntry extends SharedFile {
  keywords: string[]
  /** Where the bytes are: the io store name. */
  store: string
  /** Stable per-catalog number (never reused), 32-bit. */
  index: number
}

const HASH_RE = /^[0-9a-f]{64}$/

/** Throws InvalidArgumentError unless the file description is sane (used on local shares and remote announcements alike). */
export function validateSharedFile (file: SharedFile, maxNameBytes = 255): void {
  if (typeof file.name !== 'string' || file.name.length === 0 || file.name.length > maxNameBytes) throw new InvalidArgumentError('file name must be 1..255 characters')
  if (!Number.isSafeInteger(file.size) || file.size < 0) throw new InvalidArgumentError('file size must be a non-negative integer')
  if (typeof file.hash !== 'string' || !HASH_RE.test(file.hash)) throw new InvalidArgumentError('file hash must be 64 lowercase hex digits (SHA-256)')
}

export class FileCatalog {
  private readonly index = new KeywordIndex<string, CatalogEntry>()
  private readonly byIndex = new Map<number, CatalogEntry>()
  private nextIndex = 1

  /** @param maxFiles hard bound on how many files one catalog holds. @default 100000 */
  constructor (readonly maxFiles = 100_000) {}

  get size (): number { return this.index.size }

  /** Add (or replace, keeping its index) a file. Returns the entry. */
  add (file: SharedFile, store: string): CatalogEntry {
    validateSharedFile(file)
    const old = this.index.get(file.hash)
    if (old === undefined && this.index.size >= this.maxFiles) throw new LimitError(`catalog holds at most ${this.maxFiles} files`)
    const entry: CatalogEntry = {
      name: file.name,
      size: file.size,
      hash: file.hash,
      keywords: file.keywords !== undefined && file.keywords.length > 0 ? file.keywords.slice(0, 16) : keywordsOf(file.name),
      store,
      index: old?.index ?? (this.nextIndex++ >>> 0)
    }
    this.index.add(file.hash, entry)
    this.byIndex.set(entry.index, entry)
    return entry
  }

  remove (hash: string): CatalogEntry | undefined {
    const e = this.index.get(hash)
    if (e === undefined) return undefined
    this.index.remove(hash)
    this.byIndex.delete(e.index)
    return e
  }

  get (hash: string): CatalogEntry | undefined { return this.index.get(hash) }
  getByIndex (index: number): CatalogEntry | undefined { return this.byIndex.get(index) }
  list (): CatalogEntry[] { return [...this.index.values()] }

  /** Files matching every keyword of the query text (or keyword list), at most `limit`. */
  search (query: string | readonly string[], limit = 100): CatalogEntry[] {
    const kws = typeof query === 'string' ? keywordsOf(query) : query
    return this.index.search(kws, limit)
  }
}
