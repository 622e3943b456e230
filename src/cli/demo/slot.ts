/**
 * One swarm for the whole demo, one overlay at a time: every node carries an `ActSlot` libp2p service
 * that builds the current act's services on demand (with the node's own libp2p components), starts
 * them, and stops them when the act is over.
 *
 * Why: a fresh swarm per act redid most Noise handshakes (each one ~20–40 ms of CPU): about 560
 * connections per run, of which Chord alone opens ~220 and leaves the swarm almost fully meshed; on
 * one swarm the later acts reuse those connections. Why not every overlay's service at once: all six
 * overlays' maintenance on every node kept 2 cores so busy that every overlay got slower and less
 * reliable. Only one act's services run at a time, so each act sees what it saw on its own swarm,
 * except that its nodes are already connected.
 */
import type { Startable } from '@libp2p/interface'
import { logger } from '@libp2p/logger'

const log = logger('overlaykit:demo:slot')

export type ServiceFactory = (components: any) => unknown

function startable (s: unknown): Partial<Startable> {
  return (s !== null && typeof s === 'object' ? s : {}) as Partial<Startable>
}

export class ActSlot implements Startable {
  private current: Record<string, unknown> = {}

  constructor (private readonly components: unknown) {}

  /** Build and start an act's services (after stopping the previous act's, if still running). */
  async activate (factories: Record<string, ServiceFactory>): Promise<Record<string, unknown>> {
    await this.deactivate()
    const built: Record<string, unknown> = {}
    for (const [name, factory] of Object.entries(factories)) built[name] = factory(this.components)
    // the same lifecycle libp2p gives a service at node start
    const all = Object.values(built).map(startable)
    for (const s of all) await s.beforeStart?.()
    for (const s of all) await s.start?.()
    for (const s of all) await s.afterStart?.()
    this.current = built
    return built
  }

  /** Stop the current act's services; the node and its connections stay up. */
  async deactivate (): Promise<void> {
    const all = Object.values(this.current).map(startable)
    this.current = {}
    for (const s of all) await s.beforeStop?.()
    // a service that fails to stop cleanly must not keep the next act from starting
    await Promise.all(all.map(async s => { try { await s.stop?.() } catch (err) { log.error('stop failed - %e', err) } }))
    for (const s of all) await s.afterStop?.()
  }

  async start (): Promise<void> {}

  async stop (): Promise<void> { await this.deactivate() }
}

export function actSlot (): (components: unknown) => ActSlot {
  return (components) => new ActSlot(components)
}
