/** Chord's entry in the overlay registry (src/overlays.ts). */
import * as options from './options.js'
import { chordNodeOps } from './node-ops.js'
import { chord } from './service.js'
import { simulateSearch } from './sim-search.js'
import { chordSpec } from './spec.js'

export const chordKit = {
  name: 'chord',
  description: 'Chord DHT: lookups, replicated key/value store',
  specs: [chordSpec],
  services: { chord },
  options,
  node: chordNodeOps,
  simulateSearch
} as const
