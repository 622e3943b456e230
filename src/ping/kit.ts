/** ping's entry in the overlay registry (src/overlays.ts): the reference protocol. */
import * as options from './options.js'
import { pingNodeOps } from './node-ops.js'
import { ping } from './service.js'
import { pingSpec } from './spec.js'

export const pingKit = {
  name: 'ping',
  description: 'reference ping/echo protocol',
  specs: [pingSpec],
  services: { ping },
  options,
  node: pingNodeOps
} as const
