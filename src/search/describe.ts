/** Describe in-memory content as a SharedFile (browser, simulator, tests). */
import { sha256Bytes, toHex } from '../overlay/ids.js'
import type { SharedFile } from '../overlay/capabilities.js'
import { keywordsOf } from './keywords.js'

export function describeBytes (name: string, bytes: Uint8Array): SharedFile {
  return { name, size: bytes.byteLength, hash: toHex(sha256Bytes(bytes)), keywords: keywordsOf(name) }
}
