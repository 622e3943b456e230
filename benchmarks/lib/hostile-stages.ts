/**
 * The victim and its honest peers for each kind of hostile-load row (benchmarks/lib/hostile-row.ts):
 * 'driver' attacks hit the driver (ping and chord on the victim); the overlay quota attacks hit an
 * overlay the victim runs beside ping — 'chord' (the victim in a 12-node ring with its 4 honest peers),
 * 'gossip', 'gnutella' (an honest servent as its neighbour, to count what the flood makes it forward),
 * 'gnutella-slots' (an honest servent trying to get a neighbour slot while fake identities hold them).
 * The honest operation measured is always a ping to the victim from the 4 honest peers; each stage
 * adds its own columns and goals.
 */
import { chord, type ChordService } from '../../src/chord/service.js'
import { checkRing } from '../../src/chord/oracle.js'
import { immutableKey } from '../../src/chord/records.js'
import { gossip, type GossipService } from '../../src/gossip/service.js'
import { gnutella, type GnutellaService } from '../../src/gnutella/service.js'
import { hashToId } from '../../src/overlay/ids.js'
import { ping, type PingService } from '../../src/ping/service.js'
import { connectionLimits } from '../../src/runtime/libp2p/limits.js'
import { createNode } from '../../src/runtime/libp2p/swarm.js'
import type { ResourcePolicyInit } from '../../src/overlay/resources.js'
import type { AttackOrder } from '../../test/hostile/helpers/attacker-process.js'
import type { Libp2p } from '@libp2p/interface'

export type StageKind = 'driver' | 'chord' | 'gossip' | 'gnutella' | 'gnutella-slots'

const MIB = 2 ** 20
/** Chord ring size for the 'chord' stage (the victim, its 4 honest pingers, and more members). */
const RING = 12

/** What runAttack needs of a stage. */
export interface Stage {
  victim: Libp2p<{ ping: PingService }>
  honest: Array<Libp2p<{ ping: PingService }>>
  /** The victim's overlay services (for driver:peer-banned and counters). */
  services: Array<{ onEvent: (l: (e: { type: string, [k: string]: unknown }) => void) => unknown, driver: { stats: { get: (k: string) => number } } }>
  /** Order fields computed from the victim's state (chord: which keys it does not hold). */
  order?: Partial<AttackOrder>
  /** The stage's own columns now (called before the attack and after the window). */
  measure?: () => Record<string, number>
  /** After the window, with the attacker still there: wait for what the stage measures (bounded); its columns. */
  after?: (startedAt: number) => Promise<Record<string, unknown>>
  /** Stop nodes of the stage other than the victim and the honest pingers. */
  stop?: () => Promise<void>
  /** Goals on the row's columns: [text, met]. */
  goals?: (row: Record<string, unknown>) => Array<[string, boolean]>
}

export async function makeStage (kind: StageKind, policy: ResourcePolicyInit | undefined, maxConnections: number): Promise<Stage> {
  // the 'node' profile; for the overlay rows with a per-IP rate fit for a dozen honest peers that all
  // dial from 127.0.0.1 (a ring forming at once); the 'driver' rows keep the profile's 5/s
  const perIp = kind === 'driver' ? {} : { inboundConnectionThreshold: 100 }
  const config = { connectionManager: connectionLimits('node', { maxConnections, ...perIp }) }
  const pingSvc = ping({ timeoutMs: 10_000, driver: { resources: policy } })
  const honestPing = (): Libp2p<{ ping: PingService }> extends infer T ? Promise<T> : never => createNode({ ping: ping({ timeoutMs: 10_000 }) }, { transport: 'tcp' }) as any
  const connectAll = async (victim: Libp2p, honest: Libp2p[]): Promise<void> => { for (const h of honest) await h.dial(victim.getMultiaddrs()[0]) }

  switch (kind) {
    case 'driver': {
      const victim = await createNode({ ping: pingSvc, chord: chord({ driver: { resources: policy } }) }, { transport: 'tcp', config })
      const honest = [await honestPing(), await honestPing(), await honestPing(), await honestPing()]
      await connectAll(victim, honest)
      return { victim, honest, services: [victim.services.ping, victim.services.chord] as any }
    }
    case 'chord': {
      // maintenance a little faster than the defaults, so that the ring forms in seconds
      const fast = { stabilizeMs: 250, fixFingersMs: 250 }
      const victim = await createNode({ ping: pingSvc, chord: chord({ ...fast, driver: { resources: policy } }) }, { transport: 'tcp', config })
      const honest: Array<Libp2p<{ ping: PingService, chord: ChordService }>> = []
      for (let i = 0; i < 4; i++) honest.push(await createNode({ ping: ping({ timeoutMs: 10_000 }), chord: chord(fast) }, { transport: 'tcp' }))
      // more ring members, so that the victim (an owner or one of replicas + slack hosts) holds a minority of keys
      const others: Array<Libp2p<{ chord: ChordService }>> = []
      for (let i = 0; i < RING - 5; i++) others.push(await createNode({ chord: chord(fast) }, { transport: 'tcp' }))
      await connectAll(victim, honest)
      for (const h of [...honest, ...others]) await h.services.chord.join(victim.getMultiaddrs()[0])
      const machines = [victim, ...honest, ...others].map(n => n.services.chord.machine)
      const end = performance.now() + 60_000
      while (checkRing(machines).length > 0) {
        if (performance.now() > end) throw new Error(`the ring did not form: ${checkRing(machines).join('; ')}`)
        await new Promise(resolve => setTimeout(resolve, 50))
      }
      // 64 KiB values (index i written at offset 0) whose keys the victim would not hold
      const adm = victim.services.chord.machine.kv.adm
      const keyIndices: number[] = []
      const value = new Uint8Array(64 * 1024)
      for (let i = 0; keyIndices.length < 3000; i++) {
        if (i > 100_000) throw new Error('the victim holds every key: ring too small')
        new DataView(value.buffer).setUint32(0, i)
        if (!adm.shouldHold(hashToId(immutableKey(value), 160))) keyIndices.push(i)
      }
      const stats = victim.services.chord.machine.env.stats
      return {
        victim,
        honest,
        services: [victim.services.ping, victim.services.chord] as any,
        order: { keyIndices, valueBytes: 64 * 1024 },
        stop: async () => { await Promise.all(others.map(async o => { await o.stop() })) },
        measure: () => ({ storedMiB: adm.storedBytes / MIB, notResponsible: stats.get('chord:not-responsible'), peerQuota: stats.get('chord:peer-quota') }),
        goals: r => [['stored < 64 KiB more', (r.storedMiB as number) < 1 / 16]]
      }
    }
    case 'gossip': {
      const victim = await createNode({ ping: pingSvc, gossip: gossip({ driver: { resources: policy } }) }, { transport: 'tcp', config })
      const honest = [await honestPing(), await honestPing(), await honestPing(), await honestPing()]
      await connectAll(victim, honest)
      const g = victim.services.gossip as GossipService
      const quota = g.machine.options.maxStoredBytes / MIB
      return {
        victim,
        honest,
        services: [victim.services.ping, g] as any,
        measure: () => ({ storedMiB: g.machine.store.bytes / MIB, quotaRefused: g.stats.get('gossip:quota-origin') }),
        goals: r => [[`stored ≤ the total quota (${quota} MiB)`, (r.storedMiB as number) <= quota]]
      }
    }
    case 'gnutella':
    case 'gnutella-slots': {
      const victim = await createNode({ ping: pingSvc, gnutella: gnutella({ driver: { resources: policy } }) }, { transport: 'tcp', config })
      const servent = await createNode({ ping: ping({ timeoutMs: 10_000 }), gnutella: gnutella() }, { transport: 'tcp' })
      const honest = [servent, await honestPing(), await honestPing(), await honestPing()] as Array<Libp2p<{ ping: PingService }>>
      await connectAll(victim, honest)
      const v = victim.services.gnutella as GnutellaService
      const b = servent.services.gnutella
      const ref = { id: victim.peerId.toString(), addrs: [victim.getMultiaddrs()[0].toString().replace(/\/p2p\/.*$/, '')] }
      if (kind === 'gnutella') {
        await b.connectServent(ref)
        return {
          victim,
          honest,
          services: [victim.services.ping, v] as any,
          measure: () => ({ forwardedToHonest: b.stats.get('gnutella:queries-seen'), queryRateDrops: v.stats.get('gnutella:query-rate'), evictedAbusive: v.stats.get('gnutella:neighbour-lost:abusive') }),
          goals: r => [['forwarded to a neighbour ≤ burst + rate × 3 s (200 + 150)', (r.forwardedToHonest as number) <= 350]]
        }
      }
      return {
        victim,
        honest,
        services: [victim.services.ping, v] as any,
        order: { peers: 8 },
        measure: () => ({ evictedIdle: v.stats.get('gnutella:neighbour-lost:evicted-idle'), refusedFull: v.stats.get('gnutella:refused-full') }),
        // the honest servent asks for a slot every second until it gets one (bounded)
        after: async (startedAt) => {
          const end = performance.now() + 150_000
          let attempts = 0
          while (performance.now() < end) {
            attempts++
            try {
              await b.connectServent(ref, { timeoutMs: 5000 })
              return { honestSlotMs: Math.round(performance.now() - startedAt), slotAttempts: attempts }
            } catch { await new Promise(resolve => setTimeout(resolve, 1000)) }
          }
          return { honestSlotMs: null, slotAttempts: attempts }
        },
        goals: r => {
          const idle = v.machine.options.idleEvictMs
          return [[`an honest servent gets a slot ≤ idleEvictMs + 10 s (${(idle + 10_000) / 1000} s)`, r.honestSlotMs !== null && (r.honestSlotMs as number) <= idle + 10_000]]
        }
      }
    }
  }
}
