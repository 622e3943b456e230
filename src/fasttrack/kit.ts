/** FastTrack's entry in the overlay registry (src/overlays.ts). */
import * as options from './options.js'
import { fasttrackNodeOps } from './node-ops.js'
import { fasttrack } from './service.js'
import { simulateSearch } from './sim-search.js'
import { fasttrackSpec } from './spec.js'

export const fasttrackKit = {
  name: 'fasttrack',
  description: 'FastTrack/KaZaA: elected supernodes index their leaves and flood queries among themselves',
  specs: [fasttrackSpec],
  services: { fasttrack },
  options,
  node: fasttrackNodeOps,
  simulateSearch
} as const
