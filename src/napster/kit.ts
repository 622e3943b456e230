/** Napster's entry in the overlay registry (src/overlays.ts). */
import { napsterNodeOps } from './node-ops.js'
import { napster, napsterServer } from './service.js'
import { simulateSearch } from './sim-search.js'
import { napsterClientSpec, napsterServerSpec } from './spec.js'

export const napsterKit = {
  name: 'napster',
  description: 'Napster: central index server (--opt role=server) or client (search via the server, download peer to peer)',
  specs: [napsterClientSpec, napsterServerSpec],
  services: { napster, napsterServer },
  node: napsterNodeOps,
  simulateSearch
} as const
