/**
 * The kad-dht side of chord-live: n nodes running @libp2p/kad-dht (k 20, alpha 3 defaults) plus the
 * same libp2p services the Chord swarm has (real @libp2p/identify — it tells kad-dht which peers speak
 * its protocol —, ping, the same connection monitor). Bootstrap: every node dials node 0, then every
 * node runs one self-lookup (2 at a time), as a bootstrapping kad-dht node does; the time from the first
 * dial to the last self-lookup is the bootstrap time.
 *
 * Lookups: `libp2p.peerRouting.findPeer(target, { useCache: false })`, what an application calls
 * (libp2p asks kad-dht's findPeer and returns at its first FINAL_PEER event, which aborts the rest of
 * the query: the early exit), beside the drained `getClosestPeers(target)` query. Messages = requests
 * sent + responses received by the operation (kad-dht's progress events).
 */
import { kadDHT, passthroughMapper, type KadDHT } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import type { Libp2p } from '@libp2p/interface'
import type { Libp2pOptions } from 'libp2p'
import { createSwarm, pool } from '../../src/runtime/libp2p/swarm.js'
import { connectionsPerNode, idleElu, measure, opRow, sleep } from './live-measure.js'

const KAD_PROTOCOL = '/overlaykit-bench/kad/1.0.0'

export interface KadRun {
  rows: Array<Record<string, unknown>>
  bootstrapMs: number
  routingTableMean: number
}

interface Progress { type: string }

export async function runKad (opts: { n: number, seed: string, pairs: ReadonlyArray<readonly [number, number]>, config: Partial<Libp2pOptions<any>>, link: string, idleMs: number, log: (s: string) => void }): Promise<KadRun> {
  const { n, pairs } = opts
  const ks = await createSwarm(n, () => ({ dht: kadDHT({ protocol: KAD_PROTOCOL, clientMode: false, peerInfoMapper: passthroughMapper }), ping: ping() } as any), { transport: 'memory', seed: opts.seed, config: opts.config })
  const rows: Array<Record<string, unknown>> = []
  try {
    const dht = (i: number): KadDHT => (ks.nodes[i].services as any).dht as KadDHT
    const t0 = Date.now()
    // one retry: on a loaded machine a Noise handshake can outlast the dial timeout
    await pool(Array.from({ length: n - 1 }, (_, i) => async () => { await ks.dial(i + 1, 0).catch(async () => { await ks.dial(i + 1, 0) }) }), 8)
    await sleep(0)
    // two in flight: more only thrash the one CPU (8 in flight took 5 min at 64 nodes on the shared machine)
    await pool(Array.from({ length: n }, (_, i) => async () => {
      try { for await (const _ of dht(i).getClosestPeers(ks.nodes[i].peerId.toMultihash().bytes)) { /* fills the routing table */ } } catch {}
    }), 2)
    const bootstrapMs = Date.now() - t0
    const sizes = ks.nodes.map(x => ((x.services as any).dht as { routingTable?: { size: number } }).routingTable?.size ?? 0)
    const routingTableMean = +(sizes.reduce((a, b) => a + b, 0) / n).toFixed(1)
    opts.log(`kad-dht (${opts.link}): bootstrap ${bootstrapMs} ms, routing tables ${routingTableMean} peers`)
    await sleep(2000)
    const conns = connectionsPerNode(ks.nodes)
    const elu = await idleElu(opts.idleMs)
    rows.push({ system: 'kad-dht 16', link: opts.link, op: 'idle swarm', nodes: n, bootstrapMs, routingTableMean, connectionsPerNode: conns, idleElu: elu })

    for (const op of ['findPeer', 'getClosestPeers'] as const) {
      const m = measure()
      for (const [a, b] of pairs) {
        const target = ks.nodes[b].peerId
        let sent = 0; let responses = 0
        const onProgress = (e: Progress): void => {
          if (e.type === 'kad-dht:query:send-query') sent++
          else if (e.type === 'kad-dht:query:peer-response') responses++
        }
        const t = performance.now()
        try {
          if (op === 'findPeer') {
            const node = ks.nodes[a] as Libp2p
            const found = await node.peerRouting.findPeer(target, { useCache: false, onProgress } as any)
            if (!found.id.equals(target)) m.wrong++
          } else {
            let found = false
            for await (const ev of dht(a).getClosestPeers(target.toMultihash().bytes, { onProgress } as any)) {
              if ((ev as any).name === 'FINAL_PEER' && (ev as any).peer?.id?.equals(target) === true) found = true
            }
            if (!found) m.wrong++
          }
          m.latency.add(performance.now() - t); m.hops.add(sent); m.messages.add(sent + responses)
        } catch { m.errors++ }
      }
      rows.push(opRow({ system: 'kad-dht 16', link: opts.link, op: op === 'findPeer' ? 'peerRouting.findPeer (early exit)' : 'getClosestPeers (drained)' }, m, pairs.length))
      opts.log(`kad-dht (${opts.link}): ${pairs.length} × ${op} p50 ${m.latency.summary().p50.toFixed(1)} ms`)
    }
    return { rows, bootstrapMs, routingTableMean }
  } finally { await ks.stop() }
}
