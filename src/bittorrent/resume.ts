/**
 * Resume data: the bitfield of verified pieces, persisted through `env.io` so a restart trusts it
 * instead of re-hashing everything (`verify()` re-checks on demand). Format: "BTRS", the 20-byte
 * info hash, then the BEP 3 bitfield; anything else is ignored (start from nothing).
 */
import { Bitfield } from './bitfield.js'
import { equalBytes } from './sha1.js'
import type { Env, IoResult } from '../overlay/types.js'

const MAGIC = [0x42, 0x54, 0x52, 0x53]

export class Resume {
  private loadCb: ((bits: Bitfield | undefined) => void) | undefined
  private seq = 0

  constructor (private readonly env: Env<any>, private readonly store: string, private readonly infoHash: Uint8Array, private readonly pieceCount: number) {}

  private get size (): number { return 24 + Math.ceil(this.pieceCount / 8) }

  load (done: (bits: Bitfield | undefined) => void): void {
    this.loadCb = done
    this.env.io!({ op: 'read', store: this.store, offset: 0, length: this.size, token: 'resume:load' })
  }

  save (have: Bitfield): void {
    const out = new Uint8Array(this.size)
    out.set(MAGIC, 0)
    out.set(this.infoHash, 4)
    out.set(have.bytes, 24)
    this.env.io!({ op: 'write', store: this.store, offset: 0, data: out, token: `resume:save:${this.seq++}` })
  }

  onIo (token: string, result: IoResult): void {
    if (token !== 'resume:load' || this.loadCb === undefined) return
    const cb = this.loadCb
    this.loadCb = undefined
    const d = result.ok ? result.data : undefined
    if (d === undefined || d.length !== this.size || !MAGIC.every((b, i) => d[i] === b) || !equalBytes(d.subarray(4, 24), this.infoHash)) { cb(undefined); return }
    try { cb(new Bitfield(this.pieceCount, d.subarray(24))) } catch { cb(undefined) }
  }
}
