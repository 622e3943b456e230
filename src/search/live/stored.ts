/**
 * Sharing what is already in a node's storage (files under an FsBlobStorage root, blobs in a
 * MemoryBlobStorage): hash it by reading through the storage in chunks, so the same code serves Node
 * and the browser.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import type { SharedFile } from '../../overlay/capabilities.js'
import { OverlayError } from '../../overlay/errors.js'
import { toHex } from '../../overlay/ids.js'
import type { BlobStorage } from '../../runtime/libp2p/storage.js'
import { describeBytes } from '../describe.js'
import { keywordsOf } from '../keywords.js'

/** Describe the blob `store` (name defaults to its last path segment). */
export async function describeStored (storage: BlobStorage | undefined, store: string, name?: string): Promise<SharedFile & { store: string }> {
  if (storage === undefined) throw new OverlayError('ERR_NO_STORAGE', 'this node has no storage: pass driver: { storage } in the service init')
  const size = await storage.size(store)
  const h = sha256.create()
  const chunk = 1 << 20
  for (let at = 0; at < size; at += chunk) h.update(await storage.read(store, at, Math.min(chunk, size - at)))
  const n = name ?? store.split('/').at(-1) ?? store
  return { name: n, size, hash: toHex(h.digest()), keywords: keywordsOf(n), store }
}

/** Put `bytes` into the storage under `share/<hash>` and describe them, ready to share (browser and Node alike). */
export async function storeBytes (storage: BlobStorage | undefined, name: string, bytes: Uint8Array): Promise<SharedFile & { store: string }> {
  if (storage === undefined) throw new OverlayError('ERR_NO_STORAGE', 'this node has no storage: pass driver: { storage } in the service init')
  const d = describeBytes(name, bytes)
  const store = `share/${d.hash}`
  await storage.write(store, 0, bytes)
  return { ...d, store }
}
