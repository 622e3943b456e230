/**
 * Reading files and folders from disk into `CreateFile`s (CLI and service helpers; Node only,
 * loaded lazily so the rest of the folder stays bundlable).
 */
import type { CreateFile } from '../metainfo.js'
import { InvalidArgumentError } from '../../overlay/errors.js'

/**
 * True in Node (and runtimes that offer its built-ins). Checked before any `node:` import: in a
 * browser even a failed import of one logs a console error, and a disk path means nothing there.
 */
export function hasNodeBuiltins (): boolean {
  return typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string'
}

/** Throws a clear error where a disk path was given outside Node. */
export function requireDisk (what: string): void {
  if (!hasNodeBuiltins()) throw new InvalidArgumentError(`${what} reads and writes files on disk, which only works in Node; in a browser pass bytes, CreateFile[] or a BlobStorage instead`)
}

export interface DiskInput {
  /** Folder that contains the torrent's top-level entry (storage root for seeding in place). */
  root: string
  /** The torrent name: the file's or the folder's base name. */
  name: string
  files: CreateFile[]
  /** True when the input was a folder (multi-file torrent). */
  folder: boolean
}

export async function readDisk (path: string): Promise<DiskInput> {
  requireDisk(`seed("${path}")`)
  const fsName = 'node:fs/promises'
  const pathName = 'node:path'
  const fs = await import(fsName)
  const p = await import(pathName)
  const abs = p.resolve(path)
  const st = await fs.stat(abs)
  const root = p.dirname(abs)
  const name = p.basename(abs)
  if (st.isFile()) return { root, name, files: [{ path: name, data: new Uint8Array(await fs.readFile(abs)) }], folder: false }
  const files: CreateFile[] = []
  const walk = async (dir: string, rel: string[]): Promise<void> => {
    const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a: any, b: any) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const e of entries) {
      if (e.isDirectory()) await walk(p.join(dir, e.name), [...rel, e.name])
      else if (e.isFile()) files.push({ path: [...rel, e.name], data: new Uint8Array(await fs.readFile(p.join(dir, e.name))) })
    }
  }
  await walk(abs, [])
  if (files.length === 0) throw new Error(`no files under ${path}`)
  return { root, name, files, folder: true }
}
