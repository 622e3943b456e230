/**
 * The torrent side of the byte-stream driver (src/runtime/bytestream/host.ts): BEP 3 framing and
 * codec as a ByteProtocol, and TorrentHost, which runs torrent machines (and magnet metadata
 * fetchers) under their info hashes over any WireTransport — a libp2p stream (service.ts) or a plain
 * TCP socket (runtime/bytestream/tcp-endpoint.ts) — and hashes finished pieces off the event loop.
 */
import { ByteStreamHost, HostedMachine, type ByteProtocol, type ByteStreamHostOptions, type StreamMachine } from '../../runtime/bytestream/host.js'
import { TorrentMachine, type TorrentEvent, type TorrentOptions } from '../machine.js'
import type { PieceHasher } from '../options.js'
import { decodeWire, encodeWire, pieceHeader, WireParser, type WireMsg } from '../wire.js'
import { toHex, type Sha1 } from '../sha1.js'
import type { BlobStorage } from '../../runtime/libp2p/storage.js'
import type { Env } from '../../overlay/types.js'

export type { ConnSink, WireConn, WireTransport } from '../../runtime/bytestream/host.js'

/** BEP 3 on a byte stream: handshake then length-prefixed frames; pieces written as header + block. */
export const peerWire: ByteProtocol<WireMsg> = {
  parser: () => new WireParser(),
  decode: decodeWire,
  typeOf: (msg) => msg.type,
  // the hot path: a piece's header and block go to the connection's batch without being joined first
  encode: (msg) => msg.type === 'piece' ? [pieceHeader(msg.index, msg.begin, msg.block.length), msg.block] : encodeWire(msg),
  lazy: (msg) => msg.type === 'have',
  bindKey: (msg) => msg.type === 'handshake' ? toHex(msg.infoHash) : undefined,
  opens: (msg) => msg.type === 'handshake',
  disconnectOf: (e) => e.type === 'bittorrent:disconnect' ? e.peer as string : undefined
}

/** What the host runs per info hash: a torrent machine, or a metadata fetcher for a magnet link. */
export type WireMachine = StreamMachine<WireMsg>

/** A torrent machine running in the host. */
export type HostedTorrent<Mach extends WireMachine = TorrentMachine> = HostedMachine<WireMsg, Mach, TorrentEvent>

/** SHA-1 through WebCrypto (a thread of its own in Node and browsers), or undefined where there is none. */
function webCryptoSha1 (): ((parts: readonly Uint8Array[]) => Promise<Uint8Array>) | undefined {
  const subtle = (globalThis as { crypto?: { subtle?: { digest: (alg: string, data: Uint8Array) => Promise<ArrayBuffer> } } }).crypto?.subtle
  if (subtle === undefined) return undefined
  return async (parts) => {
    let data: Uint8Array
    if (parts.length === 1) data = parts[0]
    else {
      let n = 0
      for (const p of parts) n += p.length
      data = new Uint8Array(n)
      let off = 0
      for (const p of parts) { data.set(p, off); off += p.length }
    }
    return new Uint8Array(await subtle.digest('SHA-1', data))
  }
}

export interface HostOptions extends ByteStreamHostOptions {
  /** @default @noble/hashes sha1 */
  sha1?: Sha1
  /** Hash finished pieces asynchronously (off the event loop). @default WebCrypto's SHA-1 when the runtime has it and no `sha1` is given */
  hashAsync?: ((parts: readonly Uint8Array[]) => Promise<Uint8Array>) | false
}

export class TorrentHost extends ByteStreamHost<WireMsg> {
  readonly sha1: Sha1 | undefined
  readonly hashAsync: ((parts: readonly Uint8Array[]) => Promise<Uint8Array>) | undefined

  constructor (opts: HostOptions) {
    super(peerWire, opts)
    this.sha1 = opts.sha1
    // WebCrypto unless a synchronous SHA-1 was given: in Node the native hash on the event loop costs
    // less than WebCrypto's job (its input copy and dispatch block the loop about as long); in
    // browsers WebCrypto runs apart from the page, where the fallback is SHA-1 in JavaScript
    this.hashAsync = opts.hashAsync === false ? undefined : opts.hashAsync ?? (opts.sha1 === undefined ? webCryptoSha1() : undefined)
  }

  /** Torrents (and metadata fetchers) by info hash. */
  get torrents (): Map<string, HostedTorrent<any>> { return this.machines as Map<string, HostedTorrent<any>> }

  /** Run a torrent; `storage` overrides the host's for this torrent (e.g. the folder of files being seeded). */
  add (options: TorrentOptions, storage?: BlobStorage): HostedTorrent {
    const hashAsync = this.hashAsync
    let hosted: HostedTorrent | undefined
    // pieces are hashed on another thread; the digest comes back into the machine like an io result
    const hashPiece: PieceHasher | undefined = hashAsync === undefined
      ? undefined
      : (parts, done) => { hashAsync(parts).then(d => { hosted?.callback(() => { done(d) }) }, () => { hosted?.callback(() => { done(undefined) }) }) }
    hosted = this.addMachine(options.metainfo.infoHash, env => new TorrentMachine(env, { sha1: this.sha1, hashPiece, ...options }), storage) as HostedTorrent
    return hosted
  }

  override addMachine<Mach extends WireMachine> (infoHash: string, create: (env: Env<WireMsg, any>) => Mach, storage?: BlobStorage): HostedTorrent<Mach> {
    if (this.machines.has(infoHash)) throw new Error(`torrent ${infoHash} is already running`)
    return super.addMachine(infoHash, create, storage) as HostedTorrent<Mach>
  }
}
