/**
 * bittorrent-bound: a flash crowd in the simulator with bandwidth caps. One seed uploading at
 * u_s = 10u, N leechers uploading at u (download unconstrained), one file of F. Completion time of
 * the last leecher against the Kurose–Ross lower bound max{F/u_s, F/d_min, N·F/(u_s + N·u)} and
 * against client-server N·F/u_s. A second series runs the same swarms (same seed, same peer lists)
 * with the seed super-seeding (BEP 16). Virtual time, so the numbers are exact for a seed.
 */
import type { Benchmark } from './lib/types.js'
import { lineChart, type ChartSpec } from './lib/charts.js'
import { runSwarm, type SwarmParams } from '../src/bittorrent/sim-swarm.js'

const bench: Benchmark = {
  name: 'bittorrent-bound',
  description: 'Swarm completion time vs the Kurose–Ross distribution bound (simulator, upload caps, u_s = 10u), plain seed and super-seed',
  async run (ctx) {
    const u = 100_000
    const F = ctx.quick ? 4 * 1024 * 1024 : 16 * 1024 * 1024
    const pieceLength = 65536
    const sizes = ctx.quick ? [10, 30] : [10, 30, 100, 300, 1000]
    const rows: Array<Record<string, unknown>> = []
    const bar = ctx.progress('swarms', sizes.length)
    for (const n of sizes) {
      const params: SwarmParams = { leechers: n, fileBytes: F, pieceLength, seedUp: 10 * u, peerUp: u, seed: ctx.seed }
      const t0 = performance.now()
      const r = runSwarm(params)
      const wall = (performance.now() - t0) / 1000
      const times = r.times.slice().sort((a, b) => a - b)
      const t1 = performance.now()
      const s = runSwarm({ ...params, seedTorrent: { superSeed: true } })
      const ss = { ratio: s.ratio, completion: s.completion, seedUploadedFiles: s.seedNode.machine.uploaded / F, wall: (performance.now() - t1) / 1000 }
      rows.push({
        leechers: n,
        completion: round(r.completion),
        bound: round(r.bound),
        ratio: round(r.ratio, 3),
        clientServer: round(r.clientServer),
        firstDone: round(times[0] ?? NaN),
        medianDone: round(times[times.length >> 1] ?? NaN),
        finished: r.finished,
        seedUploadedFiles: round(r.seedNode.machine.uploaded / F, 2),
        events: r.events,
        wallSeconds: round(wall),
        completionSuperSeed: round(ss.completion),
        ratioSuperSeed: round(ss.ratio, 3),
        seedUploadedFilesSuperSeed: round(ss.seedUploadedFiles, 2),
        wallSecondsSuperSeed: round(ss.wall)
      })
      ctx.log(`N=${n}: completion ${round(r.completion)} s, bound ${round(r.bound)} s, ratio ${round(r.ratio, 3)}; super-seed ${round(ss.completion)} s, ratio ${round(ss.ratio, 3)}`)
      bar.tick()
    }
    bar.stop()
    const worst = Math.max(...rows.map(r => r.ratio as number))
    const worstSs = Math.max(...rows.map(r => r.ratioSuperSeed as number))
    return {
      params: { fileBytes: F, pieceLength, peerUp: u, seedUp: 10 * u, download: 'unconstrained', latency: 'constant 10 ms', neighbors: 20, maxPeers: 80, storage: 'virtual (no bytes kept, hashes not checked)', seed: ctx.seed },
      rows,
      notes: [
        `Goal: ratio ≤ 1.15 at every N. Worst ratio measured (plain seed): ${worst} — ${worst <= 1.15 ? 'met' : 'NOT met'}.`,
        `Super-seed series (*SuperSeed columns: the seed's superSeed option, BEP 16; same seed, same peer lists): worst ratio ${worstSs} — ${worstSs <= 1.15 ? 'met' : 'NOT met'}. ` +
          'Super-seeding is meant for a seed no faster than its leechers; here u_s = 10u, and offering each leecher two pieces at a time leaves part of the seed\'s uplink idle (compare seedUploadedFiles), which costs most at small N where the seed\'s uplink is a large share of the swarm\'s.',
        'Times in virtual seconds. bound = max{F/u_s, F/d_min, N·F/(u_s + N·u)} (Kurose & Ross); clientServer = N·F/u_s.',
        'seedUploadedFiles: bytes the seed uploaded until the last leecher finished, in files (1.0 = every piece once).',
        'Every node paces its uploads with its token bucket at its uplink capacity, so cancels in endgame reach queued blocks.'
      ],
      charts: {
        completion: lineChart({
          title: `BitTorrent flash crowd: last completion vs N (F = ${F / 1048576} MiB, u_s = 10u)`,
          rows,
          x: 'leechers',
          xTitle: 'leechers N',
          yTitle: 'virtual seconds',
          logX: true,
          logY: true,
          series: [
            { field: 'completion', label: 'completion' },
            { field: 'completionSuperSeed', label: 'super-seed' },
            { field: 'bound', label: 'bound (K–R)', dashed: true },
            { field: 'clientServer', label: 'client-server', dashed: true }
          ]
        }),
        ratio: zoomY(lineChart({
          title: 'Completion / Kurose–Ross bound vs N',
          rows: rows.map(r => ({ ...r, goal: 1.15 })),
          x: 'leechers',
          xTitle: 'leechers N',
          yTitle: 'completion / bound',
          logX: true,
          series: [
            { field: 'ratio', label: 'plain seed' },
            { field: 'ratioSuperSeed', label: 'super-seed' },
            { field: 'goal', label: 'goal 1.15', dashed: true }
          ]
        }))
      }
    }
  }
}

/** Ratios sit near 1: let the y axis start near the data instead of at 0. */
function zoomY (spec: ChartSpec): ChartSpec {
  const y = (spec.encoding as { y: { scale: Record<string, unknown> } }).y
  y.scale = { ...y.scale, zero: false }
  return spec
}

function round (x: number, d = 1): number { const k = 10 ** d; return Math.round(x * k) / k }

export default bench
