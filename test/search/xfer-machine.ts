/** A minimal machine that only runs the transfer part, for testing it in the simulator. */
import type { Codec, Env, IoResult, Machine, OverlaySpec, PeerRef } from '../../src/overlay/types.js'
import { FileCatalog } from '../../src/search/catalog.js'
import { Transfers, type TransferOptions } from '../../src/search/transfer.js'
import { decodeXfer, encodeXfer, xferSize, type XferMsg } from '../../src/search/transfer-codec.js'

export class XferMachine implements Machine<XferMsg> {
  readonly catalog = new FileCatalog()
  readonly transfers: Transfers
  /** test hook: what happens when the part asks for a push */
  onPush: (() => boolean) | undefined
  constructor (readonly env: Env<XferMsg>, options: TransferOptions) {
    this.transfers = new Transfers(env, (to, m) => { env.send(to, m) }, h => this.catalog.get(h), options)
  }

  start (): void {}
  stop (): void { this.transfers.stop() }
  onMessage (from: PeerRef, msg: XferMsg): void { this.transfers.onMessage(from, msg) }
  onTimer (key: string): void { this.transfers.onTimer(key) }
  onIo (token: string, result: IoResult): void { this.transfers.onIo(token, result) }
  onPeerUnreachable (peer: PeerRef): void { this.transfers.onPeerUnreachable(peer) }
}

export const xferCodec: Codec<XferMsg> = {
  maxFrameBytes: 300_000,
  encode: encodeXfer,
  decode: decodeXfer,
  typeOf: m => m.type,
  sizeOf: xferSize
}

export const xferSpec: OverlaySpec<XferMsg, TransferOptions, XferMachine> = {
  name: 'xfer-test',
  protocol: '/overlaykit/xfer-test/1.0.0',
  codec: xferCodec,
  create: (env, o) => new XferMachine(env, o)
}
