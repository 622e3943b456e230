/**
 * FastTrack on the shared compliance suite (test/compliance/suite.ts): the same cases in the simulator
 * and live on memory and TCP, plus the suite's "stop releases everything" and "survives fuzzed frames".
 * Nodes start without bootstrap (and so wait); each case introduces them to node 0, the most capable
 * node, which the others then elect.
 */
import assert from 'node:assert/strict'
import type { SearchHit } from '../../src/overlay/index.js'
import { fasttrackSpec } from '../../src/fasttrack/spec.js'
import type { FastTrackMachine } from '../../src/fasttrack/machine.js'
import type { FastTrackOptions } from '../../src/fasttrack/options.js'
import { runCompliance, type ContractRuntime } from '../compliance/suite.js'

type Rt = ContractRuntime<FastTrackMachine>
const hash = (i: number): string => i.toString(16).padStart(64, '0')

async function form (rt: Rt): Promise<void> {
  for (let i = 1; i < rt.nodes.length; i++) rt.nodes[i].machine.introduce(rt.nodes[0].ref)
  await rt.until(() => rt.nodes.every(n => n.machine.attached), 'every node attached', 20_000)
}

async function searchFor (rt: Rt, from: number, text: string, wanted: string): Promise<SearchHit | undefined> {
  let found: SearchHit | undefined
  let done = false
  rt.nodes[from].machine.search(text, { limit: 10, timeoutMs: 2000 }, h => { if (h.hash === wanted) found = h }, () => { done = true })
  await rt.until(() => done || found !== undefined, `search "${text}"`)
  return found
}

runCompliance<any, FastTrackOptions, FastTrackMachine>({
  name: 'fasttrack',
  spec: fasttrackSpec,
  nodes: 5,
  // TCP is covered in depth by live.spec.ts; the contract runs in the simulator and on memory
  runtimes: ['sim', 'memory'],
  options: (i, kind) => ({
    capacity: { upKbps: i === 0 ? 8000 : i === 1 ? 4000 : 200 },
    maintenanceMs: kind === 'sim' ? 5000 : 500,
    replyTimeoutMs: kind === 'sim' ? 2000 : 500,
    attachTimeoutMs: kind === 'sim' ? 1000 : 500,
    electionTimeoutMs: kind === 'sim' ? 1000 : 200,
    coordinatorTimeoutMs: kind === 'sim' ? 3000 : 800,
    minLeaves: 1
  }),
  sim: { seed: 9, latency: { kind: 'uniform', min: 5, max: 20 } },
  alive: async (rt, i) => {
    await form(rt)
    rt.nodes[(i + 1) % rt.nodes.length].machine.share({ name: 'still alive.mp3', size: 1, hash: hash(77) }, 'x')
    // (each search waits up to its 2 s timeout, so five attempts also give the share time to reach the index)
    let hit: SearchHit | undefined
    for (let attempt = 0; attempt < 5 && hit === undefined; attempt++) hit = await searchFor(rt, i, 'still alive', hash(77))
    assert.ok(hit !== undefined)
  },
  cases: {
    'the capable node becomes the supernode, the others attach, and files are found through it': async (rt) => {
      await form(rt)
      assert.deepEqual(rt.nodes.map(n => n.machine.isSupernode), [true, false, false, false, false])
      rt.nodes[3].machine.share({ name: 'blue velvet night.mp3', size: 10, hash: hash(1) }, 'x')
      let hit: SearchHit | undefined
      for (let attempt = 0; attempt < 5 && hit === undefined; attempt++) hit = await searchFor(rt, 4, 'velvet night', hash(1))
      assert.equal(hit?.peer.id, rt.nodes[3].ref.id)
      assert.equal(hit?.hops, 1)
    },
    'when the supernode dies, the next capable node is elected and the others re-attach with their shares': async (rt) => {
      await form(rt)
      rt.nodes[2].machine.share({ name: 'red river.ogg', size: 10, hash: hash(2) }, 'x')
      await rt.until(() => rt.nodes[0].machine.supernodeRole?.index.has(rt.nodes[2].ref.id, hash(2)) === true, 'the share indexed')
      await rt.kill(0)
      await rt.until(() => rt.nodes[1].machine.isSupernode, 'node 1 elected', 20_000)
      await rt.until(() => [2, 3, 4].every(i => rt.nodes[i].machine.supernode?.id === rt.nodes[1].ref.id), 'the leaves re-attached to node 1', 20_000)
      let hit: SearchHit | undefined
      for (let attempt = 0; attempt < 5 && hit === undefined; attempt++) hit = await searchFor(rt, 4, 'red river', hash(2))
      assert.equal(hit?.peer.id, rt.nodes[2].ref.id)
    }
  }
})
