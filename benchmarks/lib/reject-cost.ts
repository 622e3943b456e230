/**
 * What one received frame costs the libp2p driver's read path (Inbound.deliver: check, decode,
 * count, score, hand to the machine), per kind of frame, in µs: a valid ping, 1-byte garbage dropped by
 * the codec's check (no exception), the same garbage through decode's throw path (the codec without
 * `check`, as before), and a well-formed frame of an unknown type both ways.
 * The peer's score threshold is infinite here, so every frame takes the full path. Interleaved rounds,
 * best of each (the machine is shared).
 */
import { pingCodec } from '../../src/ping/codec.js'
import { PeerGate } from '../../src/runtime/policy/gate.js'
import { PeerPolicy } from '../../src/runtime/policy/peers.js'
import { resolveResourcePolicy } from '../../src/overlay/resources.js'
import { Stats } from '../../src/overlay/stats.js'
import { Inbound } from '../../src/runtime/libp2p/inbound.js'
import { AddressBook } from '../../src/runtime/libp2p/addrs.js'
import type { Codec } from '../../src/overlay/types.js'
import type { PingMessage } from '../../src/ping/codec.js'

function deliverer (codec: Codec<PingMessage>): { deliver: (body: Uint8Array) => void, stats: Stats } {
  const stats = new Stats()
  const policy = resolveResourcePolicy({ score: { threshold: Infinity } })
  const log = Object.assign(() => {}, { enabled: false, error: () => {}, trace: () => {} })
  let n = 0
  const ctx = {
    spec: { name: 'ping', protocol: '/x', codec, create: () => { throw new Error('unused') } },
    stats,
    log,
    book: new AddressBook(),
    peers: new PeerPolicy(policy, new PeerGate(), stats, () => {}),
    running: true,
    current: { onMessage: () => { n++ } },
    guard: (_what: string, fn: () => void) => { fn() }
  }
  const inb = new Inbound<PingMessage>(ctx as any, 1000, () => {}, () => {})
  const deliver = (inb as unknown as { deliver: (id: string, b: Uint8Array) => void }).deliver.bind(inb)
  return { deliver: body => { deliver('peer', body) }, stats }
}

export interface RejectCostRow {
  frame: string
  usPerFrame: number
  xValid: number
  countedAs: string
}

export function rejectCost (frames = 100_000, rounds = 5): RejectCostRow[] {
  const valid = pingCodec.encode({ type: 'ping', seq: 7, payload: new Uint8Array(0) })
  const garbage = Uint8Array.from([0xff])
  const unknown = Uint8Array.from([0x08, 0x05])
  const noCheck: Codec<PingMessage> = { ...pingCodec, check: undefined }
  const cases = [
    { frame: 'valid ping (2 bytes)', body: valid, codec: pingCodec },
    { frame: '1-byte garbage, codec check (no exception)', body: garbage, codec: pingCodec },
    { frame: '1-byte garbage, decode throws (no check)', body: garbage, codec: noCheck },
    { frame: 'unknown type, codec check (no exception)', body: unknown, codec: pingCodec },
    { frame: 'unknown type, decode throws (no check)', body: unknown, codec: noCheck }
  ]
  const best = cases.map(() => Infinity)
  const counted = cases.map(() => '')
  for (let r = 0; r < rounds; r++) {
    cases.forEach((c, i) => {
      const d = deliverer(c.codec)
      const t0 = performance.now()
      for (let k = 0; k < frames; k++) d.deliver(c.body)
      best[i] = Math.min(best[i], (performance.now() - t0) * 1000 / frames)
      counted[i] = [...d.stats.messages].map(([k, m]) => `${k}: ${m.received > 0 ? `received ${m.received}` : `dropped ${m.dropped}`}`).join(', ')
    })
  }
  return cases.map((c, i) => ({ frame: c.frame, usPerFrame: Math.round(best[i] * 1000) / 1000, xValid: Math.round(best[i] / best[0] * 100) / 100, countedAs: counted[i] }))
}

if (process.argv[1]?.endsWith('reject-cost.js') === true) console.table(rejectCost())
