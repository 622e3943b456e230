/** What every part of the torrent machine (handshake.ts, pieces.ts) reads from it. */
import type { Env } from '../overlay/types.js'
import type { Metainfo } from './metainfo.js'
import type { TorrentEvent } from './options.js'
import type { PiecePicker } from './picker.js'
import type { WireMsg } from './wire.js'

export interface TorrentCore {
  readonly env: Env<WireMsg, TorrentEvent>
  readonly meta: Metainfo
  readonly picker: PiecePicker
}
