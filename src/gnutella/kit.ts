/** Gnutella's entry in the overlay registry (src/overlays.ts). */
import * as options from './options.js'
import { gnutellaNodeOps } from './node-ops.js'
import { gnutella } from './service.js'
import { simulateSearch } from './sim-search.js'
import { gnutellaSpec } from './spec.js'

export const gnutellaKit = {
  name: 'gnutella',
  description: 'Gnutella 0.4 servent: flooding search over neighbours, direct download (push when firewalled)',
  specs: [gnutellaSpec],
  services: { gnutella },
  options,
  node: gnutellaNodeOps,
  simulateSearch
} as const
