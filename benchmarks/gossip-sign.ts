/**
 * gossip-sign — what signed gossip costs, for the `signed` option's documentation: signatures and
 * verifications per second (one core, the same code path as the machine: signedBytes + Ed25519 through
 * the libp2p key), and the bytes a signature adds to an update on the wire (the gossip codec's size of
 * a one-update rumor frame, signed vs unsigned, same origin).
 */
import type { Benchmark } from './lib/types.js'
import { signUpdate, verifyUpdate } from '../src/gossip/auth.js'
import { gossipCodec } from '../src/gossip/codec.js'
import { type Update, UpdateKind } from '../src/gossip/types.js'
import { simIdentity } from '../src/sim/identity.js'
import os from 'node:os'

const bench: Benchmark = {
  name: 'gossip-sign',
  description: 'cost of signed gossip updates: signatures/s, verifications/s, bytes per update',
  async run (ctx) {
    const n = ctx.quick ? 500 : 5000
    const signer = simIdentity(`gossip-sign/${ctx.seed}`, 0)
    const rows: Array<Record<string, unknown>> = []
    const load0 = os.loadavg()[0]
    for (const payload of [64, 1024, 16 * 1024]) {
      const base: Update = { origin: `${signer.id}/mabc`, seq: 1, time: 1.7e12, kind: UpdateKind.Message, topic: 'bench', size: payload, data: new Uint8Array(payload).fill(7) }
      let t = performance.now()
      const signed: Update[] = []
      for (let i = 0; i < n; i++) signed.push(signUpdate(signer, { ...base, seq: i + 1 }))
      const signUs = (performance.now() - t) * 1000 / n
      t = performance.now()
      let ok = 0
      for (const u of signed) if (verifyUpdate(u)) ok++
      const verifyUs = (performance.now() - t) * 1000 / n
      if (ok !== n) throw new Error(`${n - ok} signatures did not verify`)
      const size = (u: Update): number => gossipCodec.encode({ type: 'rumor', updates: [u], pull: false }).byteLength
      rows.push({
        payloadBytes: payload,
        signaturesPerSec: Math.round(1e6 / signUs),
        verificationsPerSec: Math.round(1e6 / verifyUs),
        signUs: +signUs.toFixed(1),
        verifyUs: +verifyUs.toFixed(1),
        frameBytesUnsigned: size(base),
        frameBytesSigned: size(signed[0]),
        bytesPerUpdate: size(signed[0]) - size(base)
      })
    }
    const load1 = os.loadavg()[0]
    return {
      params: { updatesPerRow: n, key: 'Ed25519 (libp2p key, node:crypto)', seed: ctx.seed, node: process.version, loadAverage: { start: load0, end: load1 }, cores: os.cpus().length },
      rows,
      notes: [
        'One core, one after the other: sign n updates (signedBytes = a JSON header of every field + SHA-256 of the payload, then Ed25519), then verify them (peer id → public key is cached after the first).',
        'A node verifies each update it has not seen once (duplicates are recognised before verification), so a node\'s verification load is its rate of new updates; the origin signs once per publication.',
        `Load average (1 min) ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end, on ${os.cpus().length} cores shared with other sessions: the rates scale with the share of a core this process got.`
      ]
    }
  }
}

export default bench
