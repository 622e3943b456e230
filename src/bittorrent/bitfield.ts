/** A piece bitfield in BEP 3 wire order: piece 0 is the high bit of byte 0; spare bits are zero. */
import { DecodeError } from '../overlay/errors.js'

export class Bitfield {
  readonly bytes: Uint8Array
  private ones = 0

  constructor (readonly length: number, bytes?: Uint8Array) {
    this.bytes = new Uint8Array(Math.ceil(length / 8))
    if (bytes !== undefined) {
      if (bytes.length !== this.bytes.length) throw new DecodeError(`bitfield: ${bytes.length} bytes for ${length} pieces`)
      const spare = this.bytes.length * 8 - length
      if (spare > 0 && (bytes[bytes.length - 1] & ((1 << spare) - 1)) !== 0) throw new DecodeError('bitfield: spare bits set')
      this.bytes.set(bytes)
      for (let i = 0; i < length; i++) if (this.get(i)) this.ones++
    }
  }

  get (i: number): boolean { return (this.bytes[i >> 3] & (0x80 >> (i & 7))) !== 0 }

  set (i: number, v = true): void {
    if (i < 0 || i >= this.length) return
    const had = this.get(i)
    if (v && !had) { this.bytes[i >> 3] |= 0x80 >> (i & 7); this.ones++ } else if (!v && had) { this.bytes[i >> 3] &= ~(0x80 >> (i & 7)); this.ones-- }
  }

  get count (): number { return this.ones }
  get complete (): boolean { return this.ones === this.length }

  setAll (): void { for (let i = 0; i < this.length; i++) this.set(i) }

  copy (): Bitfield { return new Bitfield(this.length, this.bytes) }
}
