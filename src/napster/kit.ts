/** Napster's entry in the overlay registry (src/overlays.ts). */
import * as options from './options.js'
import { napsterNodeOps } from './node-ops.js'
import { napster, napsterServer } from './service.js'
import { simulateSearch } from './sim-search.js'
import { napsterClientSpec, napsterServerSpec } from './spec.js'

export const napsterKit = {
  name: 'napster',
  description: 'Napster: central index server (--opt role=server) or client (search via the server, download peer to peer)',
  specs: [napsterClientSpec, napsterServerSpec],
  services: { napster, napsterServer },
  options,
  node: napsterNodeOps,
  simulateSearch
} as const
