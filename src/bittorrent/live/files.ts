/**
 * Reading files and folders from disk into `CreateFile`s (CLI and service helpers; Node only,
 * loaded lazily so the rest of the folder stays bundlable).
 */
import type { CreateFile } from '../metainfo.js'

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
