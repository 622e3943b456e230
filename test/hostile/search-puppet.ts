/**
 * A hostile peer for the search overlays' live tests: a real libp2p node (Noise + yamux) whose overlay
 * service speaks the real protocol (the overlay's own protocol id and codec) but whose machine is a
 * puppet: it records what arrives and sends whatever the test crafts, through the same driver.
 */
import type { Libp2p } from '@libp2p/interface'
import type { Env, Machine, OverlaySpec, PeerRef } from '../../src/overlay/types.js'
import { OverlayService, type OverlayComponents } from '../../src/runtime/libp2p/index.js'
import { createNode, type SwarmTransport } from '../../src/runtime/libp2p/swarm.js'

export class Puppet<M> implements Machine<M> {
  readonly inbox: Array<{ from: PeerRef, msg: M }> = []
  /** Called on every message (after it is recorded): the test's scripted reaction. */
  react: ((from: PeerRef, msg: M) => void) | undefined
  constructor (readonly env: Env<M>) {}
  start (): void {}
  stop (): void {}
  onTimer (): void {}
  onMessage (from: PeerRef, msg: M): void { this.inbox.push({ from, msg }); this.react?.(from, msg) }
  send (to: PeerRef, msg: M): void { this.env.send(to, msg) }
}

export type PuppetService<M> = OverlayService<M, Record<string, never>, Puppet<M>>

/** A libp2p node whose `puppet` service speaks `spec`'s protocol with a puppet machine. */
export async function puppetNode<M> (spec: Pick<OverlaySpec<M>, 'name' | 'protocol' | 'codec'>, transport: SwarmTransport, seed: string): Promise<Libp2p<{ puppet: PuppetService<M> }>> {
  const puppetSpec: OverlaySpec<M, Record<string, never>, Puppet<M>> = { name: spec.name, protocol: spec.protocol, codec: spec.codec, create: env => new Puppet(env) }
  return await createNode({ puppet: (components: OverlayComponents) => new OverlayService(components, puppetSpec, {}, { driver: { seed } }) }, { transport, seed })
}
