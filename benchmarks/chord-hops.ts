/**
 * chord-hops — Chord SIGCOMM 2001 Fig. 10: lookup path length vs N. N = 2^k hosts (one vnode each,
 * m = 160, successor list r = max(8, 2·log2 N)), ring state from the oracle bootstrap (the converged
 * ring), then iterative lookups of random keys from random hosts, each a real message exchange in
 * the simulator, checked against brute-force ownership. hops = remote nodes that answered a routing
 * request (the path to the key's predecessor). Our routing also uses the successor list (as the ToN
 * version does), which shortens the last steps of a path.
 */
import type { Benchmark } from './lib/types.js'
import { lineChart } from './lib/charts.js'
import { buildRing, runLookups } from '../src/chord/sim-run.js'

const PAPER: Record<number, { mean: number, p1: number, p99: number }> = {
  3: { mean: 1.72, p1: 1, p99: 3 }, 4: { mean: 2.09, p1: 1, p99: 4 }, 5: { mean: 2.49, p1: 1, p99: 5 }, 6: { mean: 2.96, p1: 1, p99: 5 },
  7: { mean: 3.39, p1: 1, p99: 6 }, 8: { mean: 3.88, p1: 1, p99: 7 }, 9: { mean: 4.38, p1: 1, p99: 7 }, 10: { mean: 4.89, p1: 2, p99: 8 },
  11: { mean: 5.36, p1: 2, p99: 9 }, 12: { mean: 5.85, p1: 2, p99: 10 }, 13: { mean: 6.35, p1: 2, p99: 10 }, 14: { mean: 6.87, p1: 3, p99: 11 }
}
const PAPER_PDF_4096 = [0, 0.0033, 0.0180, 0.0571, 0.1288, 0.2124, 0.2254, 0.1938, 0.1094, 0.0412, 0.0092, 0.0012, 0.0002]

const bench: Benchmark = {
  name: 'chord-hops',
  description: 'Chord lookup path length vs N (paper Fig. 10), iterative lookups in the simulator',
  async run (ctx) {
    const ks = ctx.quick ? [3, 6, 9, 12] : [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16]
    const lookups = ctx.quick ? 2000 : 20_000
    const rows: Array<Record<string, unknown>> = []
    let pdfRows: Array<Record<string, unknown>> = []
    for (const k of ks) {
      const n = 2 ** k
      const { sim, nodes } = buildRing({ hosts: n, options: { expectedNodes: n }, sim: { seed: `${ctx.seed}/hops/${k}` } })
      const bar = ctx.progress(`N=2^${k}`, lookups)
      let last = 0
      const st = runLookups(sim, nodes, { count: lookups, onProgress: d => { bar.tick(d - last); last = d } })
      bar.stop()
      const s = st.hops.summary()
      // the same ring with a 1-entry successor list: routing by fingers alone, as in the paper's Fig. 10
      const base = buildRing({ hosts: n, options: { expectedNodes: n, successors: 1 }, sim: { seed: `${ctx.seed}/hops/${k}` } })
      const fo = runLookups(base.sim, base.nodes, { count: lookups })
      const ref = PAPER[k]
      rows.push({ k, nodes: n, lookups, mean: +s.mean.toFixed(3), p1: s.p1, p99: s.p99, max: s.max, failed: st.failed + fo.failed, meanFingersOnly: +fo.hops.mean.toFixed(3), paperMean: ref?.mean ?? '—', paperP1: ref?.p1 ?? '—', paperP99: ref?.p99 ?? '—', halfLog2N: k / 2 })
      ctx.log(`N=2^${k}: mean ${s.mean.toFixed(3)} (paper ${ref?.mean ?? '—'}), failed ${st.failed}`)
      if (k === 12) {
        const pdf = st.hops.pdf()
        pdfRows = Array.from({ length: Math.max(pdf.length, PAPER_PDF_4096.length) }, (_, h) => ({ hops: h, ours: +(pdf[h] ?? 0).toFixed(4), paper: PAPER_PDF_4096[h] ?? 0 }))
      }
    }
    const worse = rows.filter(r => typeof r.paperMean === 'number' && (r.mean as number) > (r.paperMean as number))
    const notes = [
      `Goal (mean ≤ paper at every N): ${worse.length === 0 ? 'met' : 'missed at N = ' + worse.map(r => String(r.nodes)).join(', ')}.`,
      'hops = remote nodes that answered a routing request on the way to the key\'s predecessor (the node that names the owner); the initiator and the final owner contact are not counted; a key owned by the initiator is 0 hops.',
      'Routing uses fingers and the successor list (r = max(8, 2·log2 N)), so the final steps of a path are shorter than with fingers alone; every lookup is a real message exchange in the simulator (constant 10 ms latency) on an oracle-bootstrapped converged ring, and every answer is checked against brute-force ownership (failed column).',
      'meanFingersOnly: the same rings and keys with a successor list of 1, i.e. routing by fingers alone as in the paper\'s base protocol; it is the like-for-like comparison with Fig. 10.',
      'N = 2^16 is beyond the paper.'
    ]
    return {
      params: { ks, lookupsPerN: lookups, bits: 160, successors: 'max(8, 2·log2 N)', bootstrap: 'oracle (converged ring)', latency: 'constant 10 ms', seed: ctx.seed },
      rows,
      tables: { pdf4096: pdfRows },
      notes,
      charts: {
        hops: lineChart({ title: 'Chord lookup path length vs N', rows, x: 'nodes', logX: true, series: ['mean', 'meanFingersOnly', { field: 'paperMean', label: 'paper (Fig. 10)', dashed: true }, { field: 'halfLog2N', label: '½·log2 N', dashed: true }] })
      }
    }
  }
}

export default bench
