/** The Chord OverlaySpec: protocol id, codec and machine factory (for the simulator and the libp2p driver). */
import type { OverlaySpec } from '../overlay/types.js'
import { chordCodec } from './codec.js'
import { ChordMachine } from './machine.js'
import type { ChordEvent } from './events.js'
import type { ChordMessage } from './messages.js'
import type { ChordOptions } from './options.js'

export const CHORD_PROTOCOL = '/overlaykit/chord/1.0.0'

const specs = new Map<number, OverlaySpec<ChordMessage, ChordOptions, ChordMachine, ChordEvent>>()

/** The spec whose codec matches m-bit ids (the machine's `bits` option must match). */
export function chordSpecFor (bits = 160): OverlaySpec<ChordMessage, ChordOptions, ChordMachine, ChordEvent> {
  let s = specs.get(bits)
  if (s === undefined) {
    s = {
      name: 'chord',
      protocol: CHORD_PROTOCOL,
      codec: chordCodec(bits),
      // options that name their bits pass as they are: a copy per host defeated the machine's sharing of
      // one resolved options object (~300 bytes per host at 10^6 simulated hosts)
      create: (env, options) => new ChordMachine(env, options?.bits !== undefined ? options : { ...options, bits })
    }
    specs.set(bits, s)
  }
  return s
}

/** m = 160, as in the paper. */
export const chordSpec = chordSpecFor(160)
