/**
 * Node-only helpers for sharing real files on disk (not exported from index.ts so browser bundles
 * stay free of node:fs): hash a file by streaming it through SHA-256.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { sha256 } from '@noble/hashes/sha2.js'
import type { SharedFile } from '../overlay/capabilities.js'
import { toHex } from '../overlay/ids.js'
import { keywordsOf } from './keywords.js'

/** Name (basename unless given), size and SHA-256 of a file on disk; `store` is its path. */
export async function describeFile (path: string, name = basename(path)): Promise<SharedFile & { store: string }> {
  const st = await stat(path)
  if (!st.isFile()) throw new Error(`${path} is not a regular file`)
  const h = sha256.create()
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Uint8Array)
  return { name, size: st.size, hash: toHex(h.digest()), keywords: keywordsOf(name), store: path }
}
