/**
 * The one Env builder of the live runtime, shared by the libp2p message driver and the byte-stream
 * driver (BitTorrent's peer wire): the same wall clock, the same seeding, real timers over a
 * TimerTable, async I/O over a BlobStorage completing into the machine, the node's Signer, a fresh
 * secret (`env.secret`, from the CSPRNG) and the driver's peer score behind `penalize`. Drivers
 * differ only in how they send and whom they tell.
 */
import { Rng } from '../overlay/rng.js'
import { TimerTable } from '../overlay/timers.js'
import { performIo, type BlobStorage } from './libp2p/storage.js'
import { canVerifyOffLoop, verifySignatureOffLoop, type Signer } from '../overlay/identity.js'
import type { Stats } from '../overlay/stats.js'
import type { Env, IoRequest, IoResult, Logger, OverlayEvent, PeerRef } from '../overlay/types.js'

/** Live time for machines: milliseconds since the epoch, monotonic within the process. */
export function liveNow (): number { return performance.timeOrigin + performance.now() }

/** A fresh seed from the platform's CSPRNG, for drivers not given one. */
export function randomSeed (): string {
  return String(crypto.getRandomValues(new Uint32Array(1))[0])
}

/** setTimeout fires at once for delays over 2^31-1 ms (~24.8 days): chain shorter ones instead. */
const MAX_TIMEOUT = 2 ** 31 - 1
export interface TimerHandle { t: ReturnType<typeof setTimeout> }
function longTimeout (ms: number, fire: () => void): TimerHandle {
  const h: TimerHandle = { t: undefined as unknown as ReturnType<typeof setTimeout> }
  const due = performance.now() + ms
  const arm = (left: number): void => {
    h.t = setTimeout(left > MAX_TIMEOUT ? () => { arm(due - performance.now()) } : fire, Math.min(Math.max(0, left), MAX_TIMEOUT))
  }
  arm(ms)
  return h
}

/** Real timers for one machine; `onFire` runs the machine's onTimer (guarded by the caller). */
export function liveTimers (onFire: (key: string) => void): TimerTable<TimerHandle> {
  return new TimerTable<TimerHandle>({ schedule: (ms, fire) => longTimeout(ms, fire), cancel: (h) => { clearTimeout(h.t) } }, onFire)
}

export interface EnvParts<M> {
  self: () => PeerRef
  /** The machine's Rng, already forked for it (see `seedRng`). */
  rng: Rng
  send: (to: PeerRef, msg: M) => void
  timers: TimerTable<TimerHandle>
  /** False once the machine is stopped: timers are no longer armed. */
  active: () => boolean
  emit: (event: OverlayEvent) => void
  stats: Stats
  log: Logger
  /** Storage behind `env.io`; `complete` delivers a result (the driver checks it is still running). */
  storage?: BlobStorage
  complete?: (req: IoRequest, result: IoResult) => void
  /** Track an I/O in flight (so stop can wait for the last writes). */
  track?: (p: Promise<void>) => void
  signer?: Signer
  penalize?: (peer: PeerRef, reason: string, weight: number) => void
  /** Delivers the answer to `env.verify` (the driver checks it is still running); without it, no `env.verify`. */
  verified?: (token: string, ok: boolean) => void
}

/** The Rng a live machine gets: seeded from `seed` (or the CSPRNG) and forked by `label`. */
export function seedRng (seed: number | string | undefined, label: string): Rng {
  return new Rng(String(seed ?? randomSeed())).fork(label)
}

export function buildEnv<M> (p: EnvParts<M>): Env<M> {
  const env: Env<M> = {
    get self () { return p.self() },
    now: liveNow,
    rng: p.rng,
    send: p.send,
    setTimer: (key, ms) => { if (p.active()) p.timers.set(key, ms) },
    clearTimer: (key) => { p.timers.clear(key) },
    emit: p.emit,
    stats: p.stats,
    log: p.log,
    ...(p.signer !== undefined ? { signer: p.signer } : {}),
    secret: crypto.getRandomValues(new Uint8Array(32)),
    ...(p.penalize !== undefined ? { penalize: p.penalize } : {})
  }
  const { storage, complete } = p
  if (storage !== undefined && complete !== undefined) {
    env.io = (req) => {
      const io = performIo(storage, req).then(result => { complete(req, result) })
      p.track?.(io)
    }
  }
  const { verified } = p
  if (verified !== undefined && canVerifyOffLoop) {
    env.verify = (peerId, data, sig, token) => { verifySignatureOffLoop(peerId, data, sig, ok => { verified(token, ok) }) }
  }
  return env
}
