/**
 * Chord live: the nodes join one ring through node 0, stabilize, then random nodes look up random
 * keys (hop counts beside ½·log2 N, owners checked against the sorted ring) and a value put on one
 * node is read back on another.
 */
import { chord, type ChordService } from '../../../chord/index.js'
import { utf8 } from '../../../overlay/ids.js'
import { mapLimit } from '../../live.js'
import type { DemoAct, DemoContext, DemoRow } from '../types.js'
import { expectedOwner, ringErrors, ringIds } from '../ring.js'
import { mean, percentile, refOf, round, waitFor } from '../util.js'

const svcOf = (ctx: DemoContext, i: number): ChordService => ctx.services[i].chord as ChordService

const act: DemoAct = {
  name: 'chord',
  description: 'DHT: join a ring, lookups with their hop counts, a put and a get',
  async available () { return null },
  async services (_i, n, seed) {
    // maintenance faster than the defaults so a fresh ring converges within seconds; a generous RPC
    // timeout, because on a starved CPU a spurious timeout makes a node drop a live peer
    // a demo swarm on one machine is a lab: open, so the put of a plain key is taken (DESIGN: security model)
    return { chord: chord({ expectedNodes: n, stabilizeMs: 300, fixFingersMs: 150, checkPredecessorMs: 1000, rpcTimeoutMs: 4000, open: true, driver: { seed } }) }
  },
  async setup (ctx: DemoContext): Promise<DemoRow[]> {
    const n = ctx.nodes.length
    const all = ctx.nodes.map((_, i) => svcOf(ctx, i))
    const t0 = performance.now()
    // joins through node 0, four at a time (each join is a lookup plus fresh Noise handshakes)
    const bar = ctx.io.progress('chord: joining', n - 1)
    const first = refOf(ctx.nodes[0])
    let failed = 0
    await mapLimit(Array.from({ length: n - 1 }, (_, i) => i + 1), 4, async (i) => {
      try { await all[i].join(first, { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(20_000)]) }) } catch { failed++ }
      bar.tick()
    })
    bar.stop()
    const joinMs = Math.round(performance.now() - t0)
    const converged = await waitFor(() => ringErrors(all) === 0, 45_000, 200, ctx.signal)
    return [{
      overlay: 'chord',
      action: `${n} nodes join through node 0`,
      result: (converged ? `ring converged (every successor correct) after ${((performance.now() - t0) / 1000).toFixed(1)} s` : `FAILED: ring not converged: ${ringErrors(all)} wrong successors`) + ` (joins took ${(joinMs / 1000).toFixed(1)} s${failed > 0 ? `, ${failed} failed` : ''})`,
      timeMs: Math.round(performance.now() - t0)
    }]
  },
  async run (ctx: DemoContext): Promise<DemoRow[]> {
    const n = ctx.nodes.length
    const all = ctx.nodes.map((_, i) => svcOf(ctx, i))
    const rows: DemoRow[] = []
    // lookups: random node, random key; owner checked against the sorted ring
    const count = ctx.quick ? 20 : 100
    const ids = ringIds(all)
    const hops: number[] = []; const msgs: number[] = []; const lat: number[] = []
    let correct = 0; let failed = 0
    const bar = ctx.io.progress('chord: lookups', count)
    const tl = performance.now()
    await mapLimit(Array.from({ length: count }, (_, i) => i), 8, async (i) => {
      const from = all[ctx.rng.int(n)]
      try {
        const r = await from.lookup(`demo-key-${String(ctx.seed)}-${i}`, { signal: ctx.signal })
        hops.push(r.hops); msgs.push(r.messages); lat.push(r.latencyMs)
        if (r.ownerId === expectedOwner(ids, r.key)) correct++
      } catch { failed++ }
      bar.tick()
    })
    bar.stop()
    rows.push({
      overlay: 'chord',
      action: `${count} lookups of random keys`,
      result: `${correct < count ? 'FAILED: ' : ''}${correct}/${count} found the right owner${failed > 0 ? `, ${failed} failed` : ''}`,
      hops: `mean ${round(mean(hops))}, max ${Math.max(0, ...hops)} (½·log2 N = ${round(Math.log2(n) / 2)})`,
      messages: round(mean(msgs), 1),
      timeMs: Math.round(performance.now() - tl),
      lookupP50Ms: round(percentile(lat, 0.5)),
      lookupP99Ms: round(percentile(lat, 0.99))
    })
    // put on one node, get on another
    const a = ctx.rng.int(n); let b = ctx.rng.int(n - 1); if (b >= a) b++
    const value = `hello from node ${a} at ${new Date().toISOString()}`
    const tp = performance.now()
    let kvResult: string
    try {
      // a signed record (nodes refuse unvalidated writes): only node a can write it, node b checks it
      const key = await all[a].putSigned('overlaykit-demo', utf8(value), { signal: ctx.signal })
      const got = new TextDecoder().decode(await all[b].get(key, { signal: ctx.signal }))
      kvResult = got === value ? `node ${b} read back the record node ${a} signed` : `MISMATCH: got "${got}"`
    } catch (err) {
      kvResult = `FAILED: ${(err as Error).message}`
    }
    rows.push({ overlay: 'chord', action: 'put on one node, get on another', result: kvResult, timeMs: Math.round(performance.now() - tp) })
    return rows
  }
}

export default act
