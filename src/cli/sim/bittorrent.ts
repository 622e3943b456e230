/**
 * `overlaykit sim bittorrent`: a flash crowd — one seed, N leechers, upload caps — in virtual time.
 * Prints the last leecher's completion time against the Kurose–Ross lower bound; `--super-seed`
 * makes the seed super-seed (BEP 16).
 */
import type { Command } from 'commander'
import type { SimCommand } from '../plugin.js'
import { runSwarm } from '../../bittorrent/sim-swarm.js'
import { parseNonNegative, parsePositiveInt } from '../options.js'

const command: SimCommand = {
  name: 'bittorrent',
  description: 'BitTorrent flash crowd with upload caps: completion time vs the Kurose–Ross bound',
  configure (cmd: Command): void {
    cmd
      .option('--leechers <n>', 'number of leechers N', parsePositiveInt, 30)
      .option('--file-mb <F>', 'file size in MiB', parseNonNegative, 4)
      .option('--seed-up <U>', 'seed upload, KiB/s', parseNonNegative, 1000)
      .option('--peer-up <u>', 'leecher upload, KiB/s', parseNonNegative, 100)
      .option('--peer-down <d>', 'leecher download, KiB/s (0 = unconstrained)', parseNonNegative, 0)
      .option('--piece-kb <k>', 'piece length in KiB', parsePositiveInt, 64)
      .option('--neighbors <k>', 'random leechers each leecher dials', parsePositiveInt, 20)
      .option('--real-bytes', 'move and verify real bytes (memory storage) instead of virtual blocks', false)
      .option('--super-seed', 'the seed super-seeds (BEP 16): no bitfield, a couple of pieces offered per leecher at a time; helps when the seed uploads no faster than the leechers', false)
  },
  async run (o, io) {
    const F = Math.round(o.fileMb * 1024 * 1024)
    if (F <= 0) throw new Error('--file-mb must be positive')
    const superSeed = o.superSeed === true
    io.info(`simulating 1 ${superSeed ? 'super-seeding ' : ''}seed + ${o.leechers} leechers, ${o.fileMb} MiB, seed up ${o.seedUp} KiB/s, peer up ${o.peerUp} KiB/s`)
    const t0 = performance.now()
    const r = runSwarm({
      leechers: o.leechers,
      fileBytes: F,
      pieceLength: o.pieceKb * 1024,
      seedUp: o.seedUp * 1024,
      peerUp: o.peerUp * 1024,
      peerDown: o.peerDown > 0 ? o.peerDown * 1024 : undefined,
      neighbors: o.neighbors,
      storage: o.realBytes === true ? 'memory' : 'virtual',
      seed: o.seed,
      seedTorrent: superSeed ? { superSeed: true } : undefined
    })
    return {
      leechers: o.leechers,
      completion: r.completion,
      bound: r.bound,
      ratio: r.ratio,
      clientServer: r.clientServer,
      finished: r.finished,
      superSeed,
      /** What the seed uploaded until the last leecher finished, in files (1 = every piece once). */
      seedUploadedFiles: r.seedNode.machine.uploaded / F,
      events: r.events,
      wallMs: Math.round(performance.now() - t0),
      traceHash: r.sim.traceHash()
    }
  }
}

export default command
