/**
 * An attacker in its own process (so its own CPU does not count against the victim's event loop):
 * `node attacker-process.js '<json AttackOrder>'`. It runs one attack against the victim over TCP,
 * writes JSON lines to stdout — {"event":"started","peers":[...]} once its traffic flows,
 * {"event":"stats",...} at the end — and leaves (exits, closing every connection) when its stdin
 * says "stop" or closes. Used by benchmarks/hostile-load.ts.
 */
import { createInterface } from 'node:readline'
import { multiaddr } from '@multiformats/multiaddr'
import { encodeFrame } from '../../../src/runtime/libp2p/frames.js'
import { pool } from '../../../src/runtime/libp2p/swarm.js'
import { attackerNode, flood, freshIdConnections, GARBAGE_BYTE, openStreams, partialFrames, stopAttackers, type AttackName } from './attacks.js'
import { overlayAttack, type OverlayAttackName } from './overlay-attacks.js'
import type { Libp2p, Stream } from '@libp2p/interface'

export interface AttackOrder {
  attack: AttackName | OverlayAttackName
  /** The victim's TCP multiaddr with /p2p/<id>. */
  victim: string
  protocol: string
  /** Frame size for partial-frame attacks. */
  frameBytes?: number
  /** Attacking peers (identities), connections × streams for partial frames. */
  peers?: number
  streams?: number
  /** Frames per second for paced floods (0 = as fast as the transport takes them). */
  rate?: number
  /** A valid frame body for 'valid-flood'. */
  validFrameHex?: string
  /** Fresh identities for 'fresh-id-connections'. */
  connections?: number
  /** 'chord-stores': which 64 KiB values to store (index i = a value starting with i, big-endian; the victim holds none of their keys). */
  keyIndices?: number[]
  /** Bytes per stored value or update. */
  valueBytes?: number
  /** 'gossip-updates': signing identities (origins), updates per origin. */
  origins?: number
  perOrigin?: number
  /** 'gnutella-queries': queries to flood. */
  count?: number
}

function out (o: Record<string, unknown>): void { process.stdout.write(JSON.stringify(o) + '\n') }

/** Dial with retries: a victim with a per-IP admission rate refuses bursts from one host. */
async function streamsWithRetry (node: Libp2p, to: string, protocol: string, n: number, deadlineMs = 8000): Promise<Stream[]> {
  const end = performance.now() + deadlineMs
  const got: Stream[] = []
  while (got.length < n && performance.now() < end) {
    const { streams } = await openStreams(node, multiaddr(to), protocol, n - got.length)
    got.push(...streams)
    if (got.length < n) await new Promise(resolve => setTimeout(resolve, 200))
  }
  return got
}

/** A paced flood: `rate` frames/s in 10 ms slices until stopped or the stream dies. */
async function pacedFlood (stream: Stream, frame: Uint8Array, rate: number, stopped: () => boolean): Promise<number> {
  let sent = 0
  const t0 = performance.now()
  while (!stopped() && stream.writeStatus === 'writable') {
    const due = Math.floor((performance.now() - t0) * rate / 1000) - sent
    if (due > 0) sent += await flood(stream, frame, due)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  return sent
}

async function main (): Promise<void> {
  const order = JSON.parse(process.argv[2]) as AttackOrder
  let stop = false
  const rl = createInterface({ input: process.stdin })
  const stopped = new Promise<void>(resolve => {
    rl.on('line', l => { if (l.trim() === 'stop') { stop = true; resolve() } })
    rl.on('close', () => { stop = true; resolve() })
  })
  const nodes: Libp2p[] = []
  let sent = 0
  const victim = multiaddr(order.victim)
  switch (order.attack) {
    case 'slow-partial-frames':
    case 'prefix-then-silence': {
      const peers = order.peers ?? 8
      for (let i = 0; i < peers; i++) nodes.push(await attackerNode('tcp'))
      const all = await Promise.all(nodes.map(async n => await streamsWithRetry(n, order.victim, order.protocol, order.streams ?? 16)))
      out({ event: 'started', peers: nodes.map(n => n.peerId.toString()), streams: all.reduce((a, s) => a + s.length, 0) })
      for (const s of all) partialFrames(s, order.frameBytes ?? 1024 * 1024, order.attack === 'prefix-then-silence')
      break
    }
    case 'garbage-flood':
    case 'valid-flood': {
      const node = await attackerNode('tcp')
      nodes.push(node)
      const [s] = await streamsWithRetry(node, order.victim, order.protocol, 1)
      const body = order.attack === 'garbage-flood' ? GARBAGE_BYTE : Uint8Array.from(Buffer.from(order.validFrameHex ?? '', 'hex'))
      out({ event: 'started', peers: [node.peerId.toString()] })
      const frame = encodeFrame(body, Infinity)
      sent = (order.rate ?? 0) > 0 ? await pacedFlood(s, frame, order.rate as number, () => stop) : await flood(s, frame, 5_000_000)
      break
    }
    case 'fresh-id-connections': {
      out({ event: 'started', peers: [] })
      const r = await freshIdConnections('tcp', victim, order.connections ?? 300)
      nodes.push(...r.nodes)
      sent = r.connected
      break
    }
    case 'chord-stores':
    case 'gossip-updates':
    case 'gnutella-queries':
    case 'gnutella-slots': {
      const r = await overlayAttack(order, o => { out(o) }, () => stop)
      nodes.push(...r.nodes)
      sent = r.sent
      break
    }
    case 'stream-flood': {
      const node = await attackerNode('tcp')
      nodes.push(node)
      out({ event: 'started', peers: [node.peerId.toString()] })
      // keep opening streams as they are refused or reset
      await pool(Array.from({ length: 4 }, () => async () => {
        while (!stop) {
          const { streams, refused } = await openStreams(node, victim, order.protocol, 64)
          sent += streams.length
          if (refused === 64) await new Promise(resolve => setTimeout(resolve, 50))
        }
      }), 4)
      break
    }
  }
  // what the attacker's own drivers did (overlay attacks): sends, drops, dial failures
  const drivers = nodes.map(n => (n.services as { puppet?: { driver: { stats: { counters: Map<string, number>, messages: Map<string, { sent: number, dropped: number }> } } } }).puppet?.driver.stats).filter(x => x !== undefined)
  out({ event: 'stats', sent, drivers: drivers.map(st => ({ counters: Object.fromEntries(st.counters), messages: Object.fromEntries([...st.messages].map(([k, m]) => [k, { sent: m.sent, dropped: m.dropped }])) })) })
  await stopped
  await stopAttackers(nodes)
  out({ event: 'left' })
  process.exit(0)
}

main().catch(err => { out({ event: 'error', message: String(err?.stack ?? err) }); process.exit(1) })
