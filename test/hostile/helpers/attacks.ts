/**
 * Hostile peers for the driver's defences: real libp2p nodes (Noise + yamux, memory or TCP) that open
 * raw streams on a victim's overlay protocol and misbehave there. Shared by test/hostile/driver*.spec.ts
 * and benchmarks/hostile-load.ts. Every attack returns once its bytes are handed to the streams; the
 * caller polls the victim for the outcome (no sleeps).
 */
import { encodeFrame } from '../../../src/runtime/libp2p/frames.js'
import { createNode, pool, type SwarmTransport } from '../../../src/runtime/libp2p/swarm.js'
import type { Libp2p, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export type AttackName = 'slow-partial-frames' | 'prefix-then-silence' | 'garbage-flood' | 'valid-flood' | 'fresh-id-connections' | 'stream-flood'

/** A bare libp2p node (no overlay) to attack from. */
export async function attackerNode (transport: SwarmTransport, seed?: string, index = 0): Promise<Libp2p> {
  return await createNode({}, { transport, ...(seed !== undefined ? { seed, index } : {}) })
}

/** Open `n` raw streams on `protocol`; streams the victim refuses are counted, not thrown. */
export async function openStreams (from: Libp2p, to: Multiaddr, protocol: string, n: number): Promise<{ streams: Stream[], refused: number }> {
  const streams: Stream[] = []
  let refused = 0
  await pool(Array.from({ length: n }, () => async () => {
    try { streams.push(await from.dialProtocol(to, protocol, { signal: AbortSignal.timeout(10_000) })) } catch { refused++ }
  }), 8)
  return { streams, refused }
}

/** The unsigned-varint length prefix of a frame of `len` bytes. */
export function lengthPrefix (len: number): Uint8Array {
  const out: number[] = []
  let v = len
  while (v >= 0x80) { out.push((v & 0x7f) | 0x80); v = Math.floor(v / 128) }
  out.push(v)
  return Uint8Array.from(out)
}

/**
 * Slow partial frames: on each stream, announce a frame of `frameBytes` and send all but its last
 * byte, then nothing. `prefixOnly`: the length prefix alone, then silence.
 */
export function partialFrames (streams: Stream[], frameBytes: number, prefixOnly = false): void {
  const prefix = lengthPrefix(frameBytes)
  for (const s of streams) {
    if (s.writeStatus !== 'writable') continue
    if (prefixOnly) { s.send(prefix); continue }
    const body = new Uint8Array(prefix.byteLength + frameBytes - 1)
    body.set(prefix, 0)
    s.send(body)
  }
}

/**
 * A flood of `count` copies of `frame` (already framed) on one stream, written in batches that
 * wait for drain: as fast as the transport takes them. Resolves when all are written or the stream
 * is gone (the victim cut it); returns how many were written.
 */
export async function flood (stream: Stream, frame: Uint8Array, count: number, batchFrames = 256): Promise<number> {
  const batch = new Uint8Array(frame.byteLength * batchFrames)
  for (let i = 0; i < batchFrames; i++) batch.set(frame, i * frame.byteLength)
  let sent = 0
  try {
    while (sent < count && stream.writeStatus === 'writable') {
      const n = Math.min(batchFrames, count - sent)
      const more = stream.send(n === batchFrames ? batch : batch.subarray(0, n * frame.byteLength))
      sent += n
      if (!more) await stream.onDrain({ signal: AbortSignal.timeout(5000) })
    }
  } catch { /* the victim reset the stream: the attack is over */ }
  return sent
}

/**
 * `n` fresh identities each dialling `to` once (bounded concurrency); resolves with the nodes (the
 * caller stops them) and how many dials succeeded.
 */
export async function freshIdConnections (transport: SwarmTransport, to: Multiaddr, n: number, concurrency = 16): Promise<{ nodes: Libp2p[], connected: number }> {
  const nodes: Libp2p[] = []
  let connected = 0
  await pool(Array.from({ length: n }, () => async () => {
    const node = await createNode({}, { transport })
    nodes.push(node)
    try { await node.dial(to, { signal: AbortSignal.timeout(10_000) }); connected++ } catch { /* refused */ }
  }), concurrency)
  return { nodes, connected }
}

/** Stop attacker nodes quickly (abort their connections first). */
export async function stopAttackers (nodes: Libp2p[]): Promise<void> {
  await Promise.all(nodes.map(async n => {
    for (const c of n.getConnections()) c.abort(new Error('attacker leaves'))
    await n.stop()
  }))
}

/** A garbage body the codec rejects (checked by the caller against the codec). */
export const GARBAGE_BYTE = Uint8Array.from([0xff])
