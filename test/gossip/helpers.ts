/** A hand-driven Env for unit tests of the gossip machine: records sends, timers and events. */
import { Rng } from '../../src/overlay/rng.js'
import { Stats } from '../../src/overlay/stats.js'
import type { Env, Logger, OverlayEvent, PeerRef } from '../../src/overlay/types.js'
import type { Signer } from '../../src/overlay/identity.js'
import { GossipMachine } from '../../src/gossip/machine.js'
import type { GossipOptions } from '../../src/gossip/options.js'
import type { GossipMessage } from '../../src/gossip/types.js'

const noop: Logger = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false })

export interface FakeNode {
  machine: GossipMachine
  sent: Array<{ to: string, msg: GossipMessage }>
  timers: Map<string, number>
  events: OverlayEvent[]
  stats: Stats
  clock: { now: number }
  ref: PeerRef
}

/** A hand-driven node; open (unsigned) unless `options.signed` is true, then `signer` is its identity and `id` is ignored. */
export function fakeNode (id: string, options: GossipOptions, seed = 1, signer?: Signer, envExtra: Partial<Env<GossipMessage, any>> = {}): FakeNode {
  const signed = options.signed === true
  if (signed && signer === undefined) throw new Error('a signed fake node needs a signer')
  if (signed && signer !== undefined) id = signer.id
  const sent: FakeNode['sent'] = []
  const timers = new Map<string, number>()
  const events: OverlayEvent[] = []
  const stats = new Stats()
  const clock = { now: 0 }
  const ref = { id }
  const env: Env<GossipMessage, any> = {
    self: ref,
    now: () => clock.now,
    rng: new Rng(seed).fork(id),
    send: (to, msg) => { sent.push({ to: to.id, msg }) },
    setTimer: (key, delay) => { timers.set(key, clock.now + delay) },
    clearTimer: (key) => { timers.delete(key) },
    emit: (e) => { events.push(e) },
    stats,
    log: noop,
    ...(signed ? { signer } : {}),
    ...envExtra
  }
  const machine = new GossipMachine(env, { ...options, signed })
  machine.start()
  return { machine, sent, timers, events, stats, clock, ref }
}

/** Fire a timer now (advancing the clock to it). */
export function fire (n: FakeNode, key: string): void {
  const t = n.timers.get(key)
  if (t === undefined) throw new Error(`timer ${key} is not armed`)
  n.clock.now = Math.max(n.clock.now, t)
  n.timers.delete(key)
  n.machine.onTimer(key)
}

export function take (n: FakeNode): Array<{ to: string, msg: GossipMessage }> {
  return n.sent.splice(0, n.sent.length)
}

export const peersOf = (ids: string[]): PeerRef[] => ids.map(id => ({ id }))
