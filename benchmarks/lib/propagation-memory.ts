/**
 * The memory transport with a pure propagation delay: every buffer a connection sends arrives
 * `latencyMs` later, independently of the buffers before it (order kept: equal-delay timers fire in
 * the order they were set), and a dial takes `latencyMs`. The memory transport's own `latency` option
 * instead delays each buffer after the previous one was delivered (a serial link: ~1000/latency
 * buffers per second and direction, a burst queues), which is a slower link, not a longer one.
 * Benchmark-side only: it wraps the upgrader handed to @libp2p/memory so each raw connection's
 * sends are delayed before Noise and yamux see the other end.
 */
import { memory } from '@libp2p/memory'

type Any = any // the transport internals are not part of @libp2p/memory's typed surface

function delayed (maConn: Any, latencyMs: number): Any {
  const send = maConn.sendData.bind(maConn)
  const close = maConn.sendClose.bind(maConn)
  maConn.sendData = (data: Any) => {
    setTimeout(() => { try { send(data) } catch { /* closed meanwhile */ } }, latencyMs)
    return { sentBytes: data.byteLength, canSendMore: true }
  }
  // the close goes behind the data still in flight
  maConn.sendClose = async (options: Any) => {
    await new Promise(resolve => setTimeout(resolve, latencyMs))
    await close(options)
  }
  return maConn
}

function wrapUpgrader (upgrader: Any, latencyMs: number): Any {
  return new Proxy(upgrader, {
    get (target, key) {
      if (key === 'upgradeOutbound') {
        return async (maConn: Any, o: Any) => {
          await new Promise(resolve => setTimeout(resolve, latencyMs))
          return await target.upgradeOutbound(delayed(maConn, latencyMs), o)
        }
      }
      if (key === 'upgradeInbound') return async (maConn: Any, o: Any) => await target.upgradeInbound(delayed(maConn, latencyMs), o)
      const v = target[key]
      return typeof v === 'function' ? v.bind(target) : v
    }
  })
}

/** `memory()` whose connections delay every buffer by `latencyMs` (propagation only, no serialisation). */
export function propagationMemory (latencyMs: number): (components: Any) => Any {
  const factory = memory() as (components: Any) => Any
  return (components: Any) => {
    const t = factory(components)
    const dial = t.dial.bind(t)
    const createListener = t.createListener.bind(t)
    t.dial = async (ma: Any, options: Any) => await dial(ma, { ...options, upgrader: wrapUpgrader(options.upgrader, latencyMs) })
    t.createListener = (options: Any) => createListener({ ...options, upgrader: wrapUpgrader(options.upgrader, latencyMs) })
    return t
  }
}
