import assert from 'node:assert/strict'
import { Simulator } from '../../src/sim/index.js'
import type { Env, Machine, OverlaySpec } from '../../src/overlay/index.js'
import { recorderSpec } from './helpers.js'

/** Re-arms, clears and re-arms-then-clears timers from inside onTimer, with more than two keys armed. */
class Tricky implements Machine<never> {
  fired: Array<[number, string]> = []
  constructor (readonly env: Env<never>) {}
  start (): void { this.env.setTimer('p', 10); this.env.setTimer('a', 15); this.env.setTimer('b', 25); this.env.setTimer('c', 35) }
  stop (): void {}
  onMessage (): void {}
  onTimer (key: string): void {
    this.fired.push([this.env.now(), key])
    if (key === 'p' && this.env.now() < 100) this.env.setTimer('p', 10)
    if (key === 'a') { this.env.setTimer('a', 5); this.env.clearTimer('a') }
    if (key === 'b') this.env.clearTimer('c')
  }
}

const trickySpec: OverlaySpec<never, Record<string, never>, Tricky> = {
  name: 'tricky',
  protocol: '/test/tricky/1',
  codec: { maxFrameBytes: 0, encode: () => new Uint8Array(0), decode: () => { throw new Error('unused') }, typeOf: () => 'none' },
  create: (env) => new Tricky(env)
}

describe('simulator: timer table and node refs', () => {
  it('timers re-armed, cleared, or re-armed then cleared inside onTimer fire as asked, and events are recycled once', () => {
    const sim = new Simulator()
    const n = sim.spawn(trickySpec, {})
    sim.runUntilIdle()
    const p = Array.from({ length: 10 }, (_, i): [number, string] => [10 * (i + 1), 'p'])
    assert.deepEqual(n.machine.fired, [p[0], [15, 'a'], p[1], [25, 'b'], ...p.slice(2)])
    assert.equal(sim.pending, 0)
    assert.equal(n.timers, undefined, 'the table goes with the last timer')
    // an event object released twice would be handed out twice: every one of these must run once
    const seen: number[] = []
    for (let i = 0; i < 20; i++) sim.after(i, () => { seen.push(i) })
    sim.runUntilIdle()
    assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => i))
  })

  it('a node is its own Env; its ref shows only its id, and sends reach the live node under that id', () => {
    const sim = new Simulator()
    const a = sim.spawn(recorderSpec, {})
    let b = sim.spawn(recorderSpec, {})
    assert.equal(a.env, a)
    assert.deepStrictEqual(b.ref, { id: b.id })
    assert.equal(JSON.stringify(b.ref), JSON.stringify({ id: b.id }))
    assert.deepStrictEqual({ ...b.ref }, { id: b.id })
    const ref = b.ref
    a.env.send(ref, { type: 'blip', n: 1, bytes: 0 })
    a.env.send({ id: b.id }, { type: 'blip', n: 2, bytes: 0 }) // a ref made elsewhere
    sim.runUntilIdle()
    assert.deepEqual(b.machine.log.map(x => x.n), [1, 2])
    // the node behind the old ref died and came back under its id: the ref reaches the new one
    b = sim.rejoin(b)
    a.env.send(ref, { type: 'blip', n: 3, bytes: 0 })
    sim.runUntilIdle()
    assert.deepEqual(b.machine.log.map(x => x.n), [3])
  })
})
