/**
 * Chord on the shared compliance suite (test/compliance/suite.ts): the same cases in the simulator and
 * live on memory and TCP, plus the suite's "stop releases everything", "survives fuzzed frames" and
 * "drops a newer peer's message type" (a ping frame with Type 42: the codec's UnknownTypeError).
 * Every node starts a ring of its own (no bootstrap: live peer ids and addresses exist only once the
 * swarm is up); the contract's `setup` then has nodes 1..n-1 join through node 0 and waits for the ring
 * invariant, so every case — "stop releases everything" and "survives fuzzed frames" too — starts on a
 * formed ring. Answers are checked against the brute-force owner computed from the live nodes' ids.
 */
import assert from 'node:assert/strict'
import * as kv from '../../src/chord/kv.js'
import type { LookupOutcome } from '../../src/chord/lookup.js'
import type { ChordMachine } from '../../src/chord/machine.js'
import type { ChordMessage } from '../../src/chord/messages.js'
import type { ChordOptions } from '../../src/chord/options.js'
import { checkRing, ownerOf, sortedRing } from '../../src/chord/oracle.js'
import { chordSpec } from '../../src/chord/spec.js'
import { itemId, KIND_VALUE } from '../../src/chord/store.js'
import { hashToId, utf8 } from '../../src/overlay/ids.js'
import { runCompliance, type ContractRuntime, type RuntimeKind } from '../compliance/suite.js'

type Rt = ContractRuntime<ChordMachine>

const N = 5
/** Ring formation and repair limits: virtual ms cost nothing; live they bound a failing run. */
const limit = (rt: Rt): number => rt.kind === 'sim' ? 60_000 : 15_000

function options (_i: number, kind: RuntimeKind): ChordOptions {
  // live: short periods so a 5-node ring forms and repairs in about a second; the RPC timeout still
  // leaves room for a first dial (noise handshake) on a busy 2-core machine
  // plain (unvalidated) keys: the node is explicitly `open`, as a lab is
  return kind === 'sim'
    ? { stabilizeMs: 500, fixFingersMs: 500, checkPredecessorMs: 1000, replicateMs: 2000, rpcTimeoutMs: 300, open: true }
    : { stabilizeMs: 100, fixFingersMs: 100, checkPredecessorMs: 300, replicateMs: 500, rpcTimeoutMs: 500, open: true }
}

const machines = (rt: Rt, which: number[]): ChordMachine[] => which.map(i => rt.nodes[i].machine)
const all = (rt: Rt): number[] => rt.nodes.map((_, i) => i)

/** Wait until the given hosts form one correct ring of exactly those hosts. */
async function ringOf (rt: Rt, which: number[], what: string): Promise<void> {
  await rt.until(() => {
    const ms = machines(rt, which)
    return sortedRing(ms).length === which.length && checkRing(ms).length === 0
  }, what, limit(rt))
}

/** Nodes 1..n-1 join through node 0; resolves once the ring invariant holds over all of them. */
async function form (rt: Rt): Promise<void> {
  for (let i = 1; i < rt.nodes.length; i++) rt.nodes[i].machine.join(rt.nodes[0].ref)
  await ringOf(rt, all(rt), `the ${rt.nodes.length}-node ring`)
}

async function lookup (rt: Rt, from: number, key: bigint): Promise<LookupOutcome> {
  let out: { err: Error | null, res?: LookupOutcome } | undefined
  rt.nodes[from].machine.lookup({ key }, (err, res) => { out = { err, res } })
  await rt.until(() => out !== undefined, `a lookup through node ${from}`)
  if (out?.err != null) throw out.err
  assert.ok(out?.res !== undefined)
  return out.res
}

/** Lookups for `keys` keys, entered through each of `entries` in turn, name the brute-force owner among the hosts `which`. */
async function lookupsAgree (rt: Rt, which: number[], keys: number, tag: string, entries = which): Promise<void> {
  const ring = sortedRing(machines(rt, which))
  for (let k = 0; k < keys; k++) {
    const key = hashToId(utf8(`${tag}-${k}`), 160)
    const from = entries[k % entries.length]
    const res = await lookup(rt, from, key)
    assert.equal(res.owner.peer, ownerOf(ring, key).peer, `owner of key ${k} through node ${from}`)
    assert.equal(res.hops, res.path.length, 'hops counts the path')
  }
}

async function op<T> (rt: Rt, what: string, start: (cb: (err: Error | null, v?: T) => void) => void): Promise<{ err: Error | null, v?: T }> {
  let out: { err: Error | null, v?: T } | undefined
  start((err, v) => { out = { err, v } })
  await rt.until(() => out !== undefined, what)
  return out as { err: Error | null, v?: T }
}

const text = (b?: Uint8Array): string => new TextDecoder().decode(b)
const holders = (rt: Rt, which: number[], key: string): number =>
  which.filter(i => rt.nodes[i].machine.store.get(itemId(KIND_VALUE, utf8(key))) !== undefined).length

async function putAll (rt: Rt, count: number): Promise<void> {
  for (let k = 0; k < count; k++) {
    const r = await op<void>(rt, `put k${k}`, cb => kv.put(rt.nodes[k % rt.nodes.length].machine, `k${k}`, utf8(`v${k}`), cb))
    assert.equal(r.err, null, `put k${k}`)
  }
}

async function getAll (rt: Rt, which: number[], count: number): Promise<void> {
  for (let k = 0; k < count; k++) {
    const from = which[(k + 2) % which.length]
    const r = await op<Uint8Array>(rt, `get k${k}`, cb => kv.get(rt.nodes[from].machine, `k${k}`, cb))
    assert.equal(r.err, null, `get k${k} through node ${from}`)
    assert.equal(text(r.v), `v${k}`)
  }
}

runCompliance<ChordMessage, ChordOptions, ChordMachine>({
  name: 'chord',
  spec: chordSpec,
  nodes: N,
  options,
  sim: { seed: 5, latency: { kind: 'uniform', min: 5, max: 20 } },
  setup: form,
  // a ping whose type byte a newer peer set to 42 (type 1, req 7): well-formed, of an unknown type
  unknownTypeFrame: Uint8Array.from([0x08, 42, 0x10, 0x07]),
  // the ring (formed by setup) still holds with node i in it, and lookups entered through node i are right
  alive: async (rt, i) => {
    await ringOf(rt, all(rt), `the ring with node ${i} still in it`)
    await lookupsAgree(rt, all(rt), 8, `alive-${i}`, [i])
  },
  cases: {
    'the nodes form one ring (setup: join through node 0); lookups from every node find the brute-force owner': async (rt) => {
      assert.equal(sortedRing(machines(rt, all(rt))).length, N)
      await lookupsAgree(rt, all(rt), 20, 'lookup')
      assert.ok(rt.nodes.some(n => (n.stats.messages.get('find')?.received ?? 0) > 0), 'lookups went over the wire')
    },
    'put on one node, get on another; a missing key is not found': async (rt) => {
      await putAll(rt, 10)
      await getAll(rt, all(rt), 10)
      const miss = await op<Uint8Array>(rt, 'get of a missing key', cb => kv.get(rt.nodes[3].machine, 'missing', cb))
      assert.equal((miss.err as { code?: string } | null)?.code, 'ERR_NOT_FOUND')
    },
    'the ring repairs after a node dies; lookups and replicated values survive': async (rt) => {
      await putAll(rt, 8)
      // replication (owner + 2 successors) must have run before the kill, or the dead node's items are gone
      await rt.until(() => Array.from({ length: 8 }, (_, k) => holders(rt, all(rt), `k${k}`)).every(h => h >= 3), 'every value on 3 hosts', limit(rt))
      const dead = 2
      await rt.kill(dead)
      const rest = all(rt).filter(i => i !== dead)
      await ringOf(rt, rest, `the ring of the ${rest.length} survivors`)
      await lookupsAgree(rt, rest, 12, 'after-kill')
      await getAll(rt, rest, 8)
    }
  }
})
