/**
 * The browser demo: (a) a simulated Chord ring of ~1000 nodes with one node's fingers and a lookup
 * drawn hop by hop, (b) a gossip spread animated from a simulator run, (c) a live Chord node in this
 * page that joins a swarm of Node peers over WebSockets and looks keys up through them, (d) with
 * ?relay=…, a swarm of tabs over WebRTC (swarm.ts).
 *
 * State for tests and curious users: `window.overlaykitDemo`.
 */
import {
  Simulator, chordSpecFor, oracleBootstrap, sortedRing, gossipSpec, chord, createBrowserNode,
  type ChordMachine, type GossipMachine, type NodeInfo, type PeerRef, type ChordService, type LookupOutcome
} from '../../src/browser/index.js'
import { drawGossip, drawRing, type RingView } from './draw.js'
import { startSwarm, type SwarmState } from './swarm.js'

interface DemoState {
  ring: { ready: boolean, nodes: number, lookups: Array<{ hops: number, path: string[], owner: string, correct: boolean }> }
  gossip: { done: boolean, nodes: number, reached: number, rounds: number, lastDeliveryMs: number }
  live: { joined: boolean, peerId?: string, bootstrap?: string, lookups: Array<{ key: string, hops: number, path: string[], owner: string, ownerId: string, latencyMs: number }>, error?: string }
  errors: string[]
  swarm: SwarmState
}

const state: DemoState = {
  ring: { ready: false, nodes: 0, lookups: [] },
  gossip: { done: false, nodes: 0, reached: 0, rounds: 0, lastDeliveryMs: 0 },
  live: { joined: false, lookups: [] },
  errors: [],
  swarm: { joined: false, members: [], connections: [], messages: [], torrents: [], downloads: [] }
}
;(globalThis as unknown as { overlaykitDemo: DemoState }).overlaykitDemo = state

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`#${id} missing`)
  return el as T
}
const params = new URLSearchParams(location.search)
const seed = params.get('seed') ?? '1'
const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
/** Animation speed: ?fast=1 (used by the test) skips the waits between frames. */
const fast = params.get('fast') === '1'

// ---------------------------------------------------------------- (a) simulated Chord ring
const BITS = 160
const frac = (id: bigint): number => Number(id >> BigInt(BITS - 32)) / 2 ** 32

async function chordRing (): Promise<void> {
  const n = Number(params.get('ring') ?? 1000)
  const sim = new Simulator({ seed: `ring/${seed}`, latency: { kind: 'uniform', min: 10, max: 60 } })
  const spec = chordSpecFor(BITS)
  const hosts = Array.from({ length: n }, () => sim.spawn(spec, { maintenance: false, expectedNodes: n }))
  const machines = hosts.map(h => h.machine as ChordMachine)
  // converged routing state without simulating 1000 joins (lookups below are real simulated messages)
  oracleBootstrap(machines)
  const ring: NodeInfo[] = sortedRing(machines)
  const index = new Map<string, number>(); ring.forEach((x, i) => index.set(x.tag, i))
  const byPeer = new Map<string, number>(); ring.forEach((x, i) => byPeer.set(x.peer, i))
  const positions = ring.map(x => frac(x.id))
  const canvas = $<HTMLCanvasElement>('ring-canvas')
  const info = $('ring-info')
  state.ring.nodes = n
  $('ring-title').textContent = `(simulated, ${n} nodes, m = ${BITS})`

  const lookupOnce = async (k: number): Promise<void> => {
    const from = sim.rng.int(n)
    const m = hosts[from].machine as ChordMachine
    const key = BigInt('0x' + Array.from(sim.rng.bytes(20), b => b.toString(16).padStart(2, '0')).join(''))
    const startIdx = byPeer.get(m.self.id) as number
    const fingers = [...new Set(m.vnodes[0].fingers.filter((f): f is NodeInfo => f !== undefined).map(f => index.get(f.tag) as number))]
    fingers.push(index.get(m.vnodes[0].successor.tag) as number)
    let outcome: LookupOutcome | undefined
    let error: Error | undefined
    m.lookup({ key }, (err, res) => { error = err ?? undefined; outcome = res })
    sim.runUntilIdle()
    if (error !== undefined || outcome === undefined) throw error ?? new Error('lookup did not finish')
    const path = [startIdx, ...outcome.path.map(p => index.get(p.tag) as number).filter(i => i !== startIdx)]
    const owner = index.get(outcome.owner.tag) as number
    // brute-force check: the owner is the first node at or after the key
    let want = ring.findIndex(x => x.id >= key); if (want < 0) want = 0
    const view: RingView = { nodes: positions, focus: startIdx, fingers, key: frac(key), path, owner }
    for (let step = 0; step < path.length; step++) {
      drawRing(canvas, { ...view, step })
      info.textContent = `lookup ${k + 1}: node ${ring[startIdx].tag.slice(0, 8)}… looks up key ${key.toString(16).slice(0, 8)}…\n` +
        `hop ${step}/${outcome.hops}${step === path.length - 1 ? ` → owner ${ring[owner].tag.slice(0, 8)}… (${owner === want ? 'correct' : 'WRONG'})` : ''}\n` +
        `fingers of the start node: ${fingers.length} distinct; ½·log2 N = ${(Math.log2(n) / 2).toFixed(2)}`
      if (!fast) await sleep(700)
    }
    drawRing(canvas, { ...view, step: path.length })
    state.ring.lookups.push({ hops: outcome.hops, path: path.map(i => ring[i].tag), owner: ring[owner].tag, correct: owner === want })
  }
  await lookupOnce(0)
  state.ring.ready = true
  const button = $<HTMLButtonElement>('ring-lookup')
  button.disabled = false
  button.onclick = () => { button.disabled = true; lookupOnce(state.ring.lookups.length).catch(report).finally(() => { button.disabled = false }) }
}

// ---------------------------------------------------------------- (b) gossip spread
async function gossipSpread (): Promise<void> {
  const n = Number(params.get('gossip') ?? 150)
  const periodMs = 1000
  const sim = new Simulator({ seed: `gossip/${seed}`, latency: { kind: 'uniform', min: 20, max: 120 } })
  const peers: PeerRef[] = []
  const nodes: Array<ReturnType<typeof sim.spawn>> = []
  for (let i = 0; i < n; i++) {
    const node = sim.spawn(gossipSpec, { mode: 'push', stop: 'feedback-counter', k: 2, periodMs, antiEntropy: { periodMs: 0 }, membership: { kind: 'full', peers }, signed: false })
    peers.push(node.ref); nodes.push(node)
  }
  const idx = new Map<string, number>(); nodes.forEach((x, i) => idx.set(x.id, i))
  const deliveredAt = new Array<number>(n).fill(Infinity)
  const pushes: Array<[number, number, number]> = []
  const origin = sim.rng.int(n)
  let t0 = 0
  sim.on((node, e) => {
    if (e.type !== 'gossip:deliver') return
    const i = idx.get(node.id) as number
    deliveredAt[i] = sim.now - t0
    const from = idx.get(String(e.from))
    if (from !== undefined && from !== i) pushes.push([from, i, sim.now - t0])
  })
  sim.run({ until: 100 })
  t0 = sim.now
  ;(nodes[origin].machine as unknown as GossipMachine).publish('demo', new TextEncoder().encode('a rumour'))
  deliveredAt[origin] = 0
  sim.run({ until: t0 + 40 * periodMs })
  // positions: a seeded layout on a disc
  const points: Array<[number, number]> = nodes.map(() => {
    const r = Math.sqrt(sim.rng.next()) * 0.5; const a = sim.rng.next() * Math.PI * 2
    return [0.5 + r * Math.cos(a), 0.5 + r * Math.sin(a)]
  })
  const reached = deliveredAt.filter(t => t < Infinity).length
  const last = Math.max(...deliveredAt.filter(t => t < Infinity))
  state.gossip = { done: false, nodes: n, reached, rounds: Math.ceil(last / periodMs), lastDeliveryMs: Math.round(last) }
  $('gossip-title').textContent = `(simulated, ${n} nodes, push, feedback + counter k = 2)`
  const canvas = $<HTMLCanvasElement>('gossip-canvas')
  const info = $('gossip-info')
  const play = async (): Promise<void> => {
    const end = last + periodMs
    for (let now = 0; now <= end; now += fast ? end : 100) {
      drawGossip(canvas, { points, deliveredAt, pushes, origin, now })
      const got = deliveredAt.filter(t => t <= now).length
      info.textContent = `t = ${(now / 1000).toFixed(1)} s (round ${Math.floor(now / periodMs)}): ${got}/${n} nodes have the rumour\n` +
        `final: ${reached}/${n} reached (residue ${((n - reached) / n * 100).toFixed(1)} %), last delivery after ${(last / 1000).toFixed(1)} s`
      if (!fast) await sleep(60)
    }
    drawGossip(canvas, { points, deliveredAt, pushes, origin, now: end })
  }
  await play()
  state.gossip.done = true
  const button = $<HTMLButtonElement>('gossip-replay')
  button.disabled = false
  button.onclick = () => { button.disabled = true; play().catch(report).finally(() => { button.disabled = false }) }
}

// ---------------------------------------------------------------- (c) live swarm over WebSockets
let live: { service: ChordService, stop: () => Promise<void> } | undefined

async function joinLive (bootstrap: string): Promise<void> {
  const status = $('live-status')
  status.textContent = 'starting a libp2p node in this page…'
  const node = await createBrowserNode({ allowPrivateAddresses: true, services: { chord: chord({ stabilizeMs: 500, fixFingersMs: 250, rpcTimeoutMs: 3000 }) } })
  await node.start()
  const service = node.services.chord
  live = { service, stop: async () => { await node.stop() } }
  state.live.peerId = node.peerId.toString()
  state.live.bootstrap = bootstrap
  status.textContent = `this page is peer ${node.peerId.toString()}\njoining the ring through ${bootstrap} (WebSockets, Noise, yamux)…`
  await service.join(bootstrap, { signal: AbortSignal.timeout(20_000) })
  const r = service.ring()
  state.live.joined = true
  status.textContent = `this page is peer ${node.peerId.toString()}\njoined the live ring: my id ${r.vnodes[0].id.slice(0, 12)}…, successor ${r.vnodes[0].successors[0]?.slice(0, 12) ?? '(none)'}…\nconnections: ${node.getConnections().length}`
  $<HTMLButtonElement>('live-lookup').disabled = false
}

async function lookupLive (key: string): Promise<void> {
  if (live === undefined) throw new Error('join first')
  const list = $('live-hops')
  list.innerHTML = ''
  const add = (text: string, cls?: string): void => {
    const li = document.createElement('li'); li.textContent = text; if (cls !== undefined) li.className = cls; list.appendChild(li)
  }
  add(`start: this page (${state.live.peerId?.slice(0, 16) ?? ''}…)`)
  const r = await live.service.lookup(key, {
    signal: AbortSignal.timeout(20_000),
    onProgress: (e) => add(`hop ${e.hops}: asked node ${e.node.slice(0, 12)}…`)
  })
  add(`owner of "${key}" (id ${r.key.slice(0, 12)}…): node ${r.ownerId.slice(0, 12)}… = peer ${r.owner.id.slice(0, 16)}… — ${r.hops} hops, ${r.messages} messages, ${r.latencyMs.toFixed(1)} ms`, 'owner')
  state.live.lookups.push({ key, hops: r.hops, path: r.path, owner: r.owner.id, ownerId: r.ownerId, latencyMs: r.latencyMs })
}

function report (err: unknown): void {
  const msg = err instanceof Error ? err.message : String(err)
  state.errors.push(msg)
  console.warn('overlaykit demo:', msg)
}

function wireLive (): void {
  const input = $<HTMLInputElement>('live-bootstrap')
  const fromUrl = params.get('bootstrap')
  if (fromUrl !== null) input.value = fromUrl
  $<HTMLFormElement>('live-form').onsubmit = (ev) => {
    ev.preventDefault()
    if (live !== undefined || input.value.trim() === '') return
    joinLive(input.value.trim()).catch((err) => { state.live.error = (err as Error).message; $('live-status').textContent = `could not join: ${(err as Error).message}`; report(err) })
  }
  $<HTMLFormElement>('live-lookup-form').onsubmit = (ev) => {
    ev.preventDefault()
    lookupLive($<HTMLInputElement>('live-key').value).catch((err) => { state.live.error = (err as Error).message; report(err) })
  }
  if (fromUrl !== null && params.get('autojoin') !== '0') $<HTMLFormElement>('live-form').requestSubmit()
}

wireLive()
const relay = params.get('relay')
if (relay !== null) startSwarm(relay, $, state.swarm, report).catch((err) => { state.swarm.error = (err as Error).message; $('swarm-status').textContent = `could not start: ${(err as Error).message}`; report(err) })
chordRing().catch(report)
gossipSpread().catch(report)
