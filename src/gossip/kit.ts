/** gossip's entry in the overlay registry (src/overlays.ts). */
import * as options from './options.js'
import { gossipNodeOps } from './node-ops.js'
import { gossip } from './service.js'
import { gossipSpec } from './spec.js'

export const gossipKit = {
  name: 'gossip',
  description: 'epidemic broadcast (rumour mongering + anti-entropy) and a replicated map',
  specs: [gossipSpec],
  services: { gossip },
  options,
  node: gossipNodeOps
} as const
