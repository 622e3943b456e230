/** An Env wrapper that stamps this node's addresses on the messages that introduce it. */
import type { Env } from '../overlay/index.js'
import type { FastTrackEvent } from './events.js'
import { INTRO_TYPES, type FastTrackMsg, type FtMessage } from './messages.js'

/** Wrap an Env so introduction messages carry this node's addresses (read at send time: listen addresses may change). */
export function stampAddresses (env: Env<FastTrackMsg, FastTrackEvent>): Env<FastTrackMsg, FastTrackEvent> {
  const io = env.io
  return {
    get self () { return env.self },
    now: () => env.now(),
    rng: env.rng,
    stats: env.stats,
    log: env.log,
    send: (to, m) => {
      const addrs = env.self.addrs
      if (addrs !== undefined && addrs.length > 0 && INTRO_TYPES.has(m.type)) env.send(to, { ...(m as FtMessage), addrs })
      else env.send(to, m)
    },
    setTimer: (key, delayMs) => { env.setTimer(key, delayMs) },
    clearTimer: (key) => { env.clearTimer(key) },
    emit: (e) => { env.emit(e) },
    ...(io !== undefined ? { io: (req) => { io.call(env, req) } } : {})
  }
}
