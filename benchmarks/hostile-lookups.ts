/**
 * hostile-lookups — lookups against colluding lying routers (issue 12.5; S/Kademlia §4.4, Castro et al.
 * 2002). N hosts on a converged ring (oracle bootstrap, m = 160, r = max(8, 2·log2 N)); a fraction f of
 * them collude: every routing step they are asked they answer with themselves or each other (the
 * colluders closest before the key, then "done: the first colluder after the key owns it"; asked to
 * confirm, they claim the key). Honest hosts look up random keys; a lookup is correct when it names the
 * brute-force owner. d = 1 is the plain iterative lookup with verifyOwner (the baseline); d = 2, 4 run
 * over d disjoint paths (secure-lookup.ts). A row "1 (secure walk)" shows the walk alone, on one path.
 */
import type { Benchmark } from './lib/types.js'
import { lineChart } from './lib/charts.js'
import { buildHostileRing } from '../src/chord/sim-hostile.js'
import { ownerOf, sortedRing } from '../src/chord/oracle.js'
import { randomKey } from '../src/chord/sim-run.js'

const GOAL = { adversaryFraction: 0.2, paths: 4, correct: 0.99 }

const bench: Benchmark = {
  name: 'hostile-lookups',
  description: 'Lookups against colluding lying routers: fraction correct vs adversary fraction, for d = 1, 2, 4 disjoint paths',
  async run (ctx) {
    const hosts = ctx.quick ? 2000 : 10_000
    const lookups = ctx.quick ? 1000 : 10_000
    const fractions = [0, 0.05, 0.1, 0.2, 0.3]
    const variants: Array<{ paths: number, label: string, secure: boolean }> = [
      { paths: 1, label: '1', secure: false },
      { paths: 1, label: '1 (secure walk)', secure: true },
      { paths: 2, label: '2', secure: true },
      { paths: 4, label: '4', secure: true }
    ]
    const rows: Array<Record<string, unknown>> = []
    for (const f of fractions) {
      const { sim, nodes, honest } = buildHostileRing(hosts, f, { expectedNodes: hosts }, { seed: `${ctx.seed}/hostile/${f}` })
      const ring = sortedRing(nodes.map(n => n.machine))
      for (const v of variants) {
        const rng = sim.rng.fork(`lookups/${v.label}`)
        let done = 0; let correct = 0; let messages = 0; let failed = 0
        const bar = ctx.progress(`f=${f} d=${v.label}`, lookups)
        for (let i = 0; i < lookups; i++) {
          const from = honest[rng.int(honest.length)]
          const key = randomKey(rng, 160)
          from.machine.lookup({ key, verifyOwner: true, paths: v.paths, secure: v.secure }, (err, res) => {
            done++
            if (err != null || res === undefined) { failed++; return }
            messages += res.messages
            if (res.owner.tag === ownerOf(ring, key).tag) correct++
          })
          if ((i & 255) === 255) { while (sim.pending > 0 && done < i - 64) sim.run({ maxEvents: 100_000 }); bar.tick(256) }
        }
        while (done < lookups && sim.pending > 0) sim.run({ maxEvents: 200_000 })
        bar.stop()
        const frac = correct / lookups
        const row: Record<string, unknown> = {
          adversaryFraction: f, paths: v.label, lookups, correctFraction: +frac.toFixed(4), failed,
          messagesPerLookup: +(messages / Math.max(1, lookups - failed)).toFixed(2)
        }
        if (f === GOAL.adversaryFraction && v.label === String(GOAL.paths)) { row.goal = `≥ ${GOAL.correct}`; row.met = frac >= GOAL.correct }
        rows.push(row)
        ctx.log(`f=${f} d=${v.label}: ${(100 * frac).toFixed(2)} % correct, ${row.messagesPerLookup as number} messages`)
      }
    }
    const goalRow = rows.find(r => r.met !== undefined)
    return {
      params: { hosts, lookups, fractions, paths: variants.map(v => v.label), bits: 160, successors: 'max(8, 2·log2 N)', bootstrap: 'oracle (converged ring)', latency: 'simulator default', seed: ctx.seed },
      rows,
      notes: [
        `Goal (≥ ${100 * GOAL.correct} % correct at f = ${GOAL.adversaryFraction} with d = ${GOAL.paths}): ${goalRow?.met === true ? 'met' : 'missed'} (${String(goalRow?.correctFraction)}).`,
        'Adversaries answer every routing step with colluders only (closest before the key, then "done" naming the first colluder after the key) and confirm any claim; their ids are derived from their peer ids, so a lie can only name a node farther from the key than the true owner.',
        'd = 1: the plain iterative lookup with verifyOwner. d ≥ 2: disjoint paths (no host on two paths), each walk asking also for the first node after the key and continuing past "done" answers within a budget of 16 requests per path; the owner is the closest node after the key seen on any path, confirmed by asking it directly. "1 (secure walk)": that walk on a single path.',
        'messagesPerLookup counts requests and replies of the initiator, including the owner confirmation; correctFraction counts failed lookups as incorrect.'
      ],
      charts: {
        correct: lineChart({ title: 'Lookups naming the true owner vs adversary fraction', rows: fractions.map(f => Object.fromEntries([['f', f], ...variants.map(v => [`d=${v.label}`, rows.find(r => r.adversaryFraction === f && r.paths === v.label)?.correctFraction ?? 0])])), x: 'f', series: variants.map(v => `d=${v.label}`) })
      }
    }
  }
}

export default bench
