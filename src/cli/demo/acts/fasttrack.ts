/**
 * FastTrack live: every 4th node declares a fast uplink and is eligible as a supernode; nodes are
 * introduced to a few others, elect supernodes, leaves attach and upload their share lists; a
 * search floods only the supernode tier; download from a hit.
 */
import { fasttrack, SMALL_SWARM, type FastTrackService } from '../../../fasttrack/index.js'
import { mapLimit } from '../../live.js'
import type { DemoAct, DemoContext, DemoRow } from '../types.js'
import { waitFor } from '../util.js'
import { pickDistinct, searchScenario, storageFor } from '../search-common.js'

const act: DemoAct = {
  name: 'fasttrack',
  description: 'two-tier search: supernode election, leaves attach, queries flood the supernodes only',
  async available () { return null },
  async services (i, _n, seed, earlier) {
    return {
      fasttrack: fasttrack({
        // the first few nodes and two random earlier ones (seeded by the node index); room for 10
        // leaves per supernode, so even 3 of the 6 capable nodes elected can hold every leaf
        bootstrap: [...earlier.slice(0, 3), ...(earlier.length > 3 ? [earlier[(i * 7) % earlier.length], earlier[(i * 13) % earlier.length]] : [])],
        capacity: { upKbps: i % 4 === 0 ? 4000 : 256 },
        // min 2 leaves, 1 s maintenance, loose timeouts: with the defaults (made for thousands of
        // nodes) each supernode demoted after 4 periods and under load the swarm kept re-electing
        // (58 s and 82 s attach phases were seen), and a 300 ms election timeout on a busy CPU
        // dropped every candidate
        ...SMALL_SWARM,
        driver: { seed, storage: storageFor('fasttrack', i) }
      })
    }
  },
  async setup (ctx: DemoContext): Promise<DemoRow[]> {
    const peers = ctx.services.map(s => s.fasttrack as FastTrackService)
    const n = peers.length
    const t0 = performance.now()
    const bar = ctx.io.progress('fasttrack: attaching', n)
    await mapLimit(peers, 8, async (p) => { await p.waitAttached({ timeoutMs: 30_000, signal: ctx.signal }).catch(() => {}); bar.tick() })
    bar.stop()
    // settled: every leaf listed by a live supernode
    const ids = ctx.nodes.map(x => x.peerId.toString())
    const settled = await waitFor(() => peers.every((p, i) => {
      if (p.role === 'supernode') return true
      const sn = ids.indexOf(p.supernode ?? '')
      return sn >= 0 && peers[sn].role === 'supernode' && peers[sn].leaves().includes(ids[i])
    }), 20_000, 200, ctx.signal)
    const sns = peers.map((p, i) => p.role === 'supernode' ? i : -1).filter(i => i >= 0)
    const rows: DemoRow[] = [{
      overlay: 'fasttrack',
      action: `${n} nodes elect supernodes and attach`,
      result: `${sns.length} supernode${sns.length === 1 ? '' : 's'} (node${sns.length === 1 ? '' : 's'} ${sns.join(', ')}), ${n - sns.length} leaves${settled ? '' : ' (not all attached in time)'}`,
      timeMs: Math.round(performance.now() - t0)
    }]
    return rows
  },
  async run (ctx: DemoContext): Promise<DemoRow[]> {
    const peers = ctx.services.map(s => s.fasttrack as FastTrackService)
    const n = peers.length
    const rows: DemoRow[] = []
    const sns = peers.map((p, i) => p.role === 'supernode' ? i : -1).filter(i => i >= 0)
    const leaves = peers.map((_, i) => i).filter(i => !sns.includes(i))
    const asker = leaves.length > 0 ? leaves[ctx.rng.int(leaves.length)] : ctx.rng.int(n)
    const sharers = pickDistinct(ctx, n, 3, [asker])
    rows.push(...await searchScenario(ctx, 'fasttrack', peers, sharers, asker))
    return rows
  }
}

export default act
