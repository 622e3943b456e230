/** A tiny recording machine for simulator tests: it logs what it receives and when. */
import type { Codec, Env, Machine, OverlaySpec, PeerRef } from '../../src/overlay/index.js'

export interface Blip { type: 'blip', n: number, bytes: number }

export const blipCodec: Codec<Blip> = {
  maxFrameBytes: 1 << 20,
  encode: (m) => new Uint8Array(m.bytes),
  decode: () => { throw new Error('not used') },
  typeOf: () => 'blip',
  sizeOf: (m) => m.bytes
}

export class Recorder implements Machine<Blip> {
  log: Array<{ t: number, from: string, n: number }> = []
  timers: Array<{ t: number, key: string }> = []
  started = 0
  stopped = 0
  unreachable: string[] = []
  constructor (readonly env: Env<Blip>) {}
  start (): void { this.started++ }
  stop (): void { this.stopped++ }
  onMessage (from: PeerRef, msg: Blip): void { this.log.push({ t: this.env.now(), from: from.id, n: msg.n }) }
  onTimer (key: string): void { this.timers.push({ t: this.env.now(), key }) }
  onPeerUnreachable (peer: PeerRef): void { this.unreachable.push(peer.id) }
}

export const recorderSpec: OverlaySpec<Blip, Record<string, never>, Recorder> = {
  name: 'recorder',
  protocol: '/test/recorder/1',
  codec: blipCodec,
  create: (env) => new Recorder(env)
}
