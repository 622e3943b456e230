/**
 * Napster live: an index server (its own libp2p node), every swarm node logs in and registers its
 * shares, one searches through the server and downloads peer to peer.
 */
import type { Libp2p } from 'libp2p'
import { napster, napsterServer, type NapsterServerService, type NapsterService } from '../../../napster/index.js'
import { createLiveNode, mapLimit } from '../../live.js'
import type { DemoAct, DemoContext, DemoRow } from '../types.js'
import { refOf } from '../util.js'
import { pickDistinct, searchScenario, storageFor } from '../search-common.js'

let server: Libp2p<{ napsterServer: NapsterServerService }> | undefined

const act: DemoAct = {
  name: 'napster',
  description: 'central index server: log in, share, search the index, download peer to peer',
  async available () { return null },
  async prepare ({ transport, seed }) {
    server = await createLiveNode({ transport, limits: 'local-test', services: { napsterServer: napsterServer({ driver: { seed: `${String(seed)}/napster-server` } }) } })
  },
  async cleanup () { await server?.stop(); server = undefined },
  async services (i, _n, seed) {
    if (server === undefined) throw new Error('napster server not started')
    const ref = refOf(server)
    return { napster: napster({ server: ref, driver: { seed, storage: storageFor('napster', i) } }) }
  },
  async setup (ctx: DemoContext): Promise<DemoRow[]> {
    const peers = ctx.services.map(s => s.napster as NapsterService)
    const t0 = performance.now()
    const bar = ctx.io.progress('napster: logging in', peers.length)
    await mapLimit(peers, 8, async (p) => { await p.waitOnline({ timeoutMs: 20_000, signal: ctx.signal }); bar.tick() })
    bar.stop()
    const srv = server?.services.napsterServer
    const rows: DemoRow[] = [{
      overlay: 'napster',
      action: `${peers.length} clients log in to the index server`,
      result: `${srv?.users ?? '?'} users online`,
      timeMs: Math.round(performance.now() - t0)
    }]
    return rows
  },
  async run (ctx: DemoContext): Promise<DemoRow[]> {
    const peers = ctx.services.map(s => s.napster as NapsterService)
    const srv = server?.services.napsterServer
    const rows: DemoRow[] = []
    const asker = ctx.rng.int(peers.length)
    const sharers = pickDistinct(ctx, peers.length, 3, [asker])
    const indexed = srv?.indexSize ?? 0
    rows.push(...await searchScenario(ctx, 'napster', peers, sharers, asker, srv !== undefined ? [srv] : [], () => (srv?.indexSize ?? 0) >= indexed + sharers.length))
    return rows
  }
}

export default act
