// Types for the `bencode` npm package (it ships none). Only what this folder uses.
declare module 'bencode' {
  const bencode: {
    encode (value: unknown): Uint8Array
    decode (data: Uint8Array, encoding?: string): any
    byteLength (value: unknown): number
  }
  export default bencode
}
