/**
 * In-memory blob storage behind `env.io` in the simulator: per node, named stores of bytes.
 * A write past the end grows the blob (zero-filled), like a sparse file.
 */
import { NotFoundError } from '../overlay/errors.js'
import type { IoRequest, IoResult } from '../overlay/types.js'

export class BlobStore {
  private readonly nodes = new Map<string, Map<string, Uint8Array>>()

  put (nodeId: string, store: string, bytes: Uint8Array): void {
    this.stores(nodeId).set(store, bytes)
  }

  get (nodeId: string, store: string): Uint8Array | undefined {
    return this.nodes.get(nodeId)?.get(store)
  }

  delete (nodeId: string, store?: string): void {
    if (store === undefined) this.nodes.delete(nodeId)
    else this.nodes.get(nodeId)?.delete(store)
  }

  /** Perform one request synchronously; the simulator delivers the result as an event. */
  perform (nodeId: string, req: IoRequest): IoResult {
    const stores = this.stores(nodeId)
    const blob = stores.get(req.store)
    switch (req.op) {
      case 'size':
        if (blob === undefined) return { ok: false, error: new NotFoundError(`no blob ${req.store}`) }
        return { ok: true, size: blob.byteLength }
      case 'read': {
        if (blob === undefined) return { ok: false, error: new NotFoundError(`no blob ${req.store}`) }
        if (req.offset < 0 || req.length < 0 || req.offset + req.length > blob.byteLength) {
          return { ok: false, error: new RangeError(`read [${req.offset}, +${req.length}) beyond ${blob.byteLength} bytes of ${req.store}`) }
        }
        return { ok: true, data: blob.slice(req.offset, req.offset + req.length) }
      }
      case 'write': {
        if (req.offset < 0) return { ok: false, error: new RangeError('negative offset') }
        const end = req.offset + req.data.byteLength
        let target = blob ?? new Uint8Array(0)
        if (end > target.byteLength) {
          const grown = new Uint8Array(end)
          grown.set(target)
          target = grown
        }
        target.set(req.data, req.offset)
        stores.set(req.store, target)
        return { ok: true, size: target.byteLength }
      }
    }
  }

  private stores (nodeId: string): Map<string, Uint8Array> {
    let s = this.nodes.get(nodeId)
    if (s === undefined) { s = new Map(); this.nodes.set(nodeId, s) }
    return s
  }
}
