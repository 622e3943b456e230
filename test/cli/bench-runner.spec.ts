import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { runBenchmarks, listBenchmarks } from '../../benchmarks/lib/runner.js'
import { BENCHMARKS } from '../../benchmarks/index.js'
import type { BenchmarkList } from '../../benchmarks/lib/types.js'
import { outDir } from './helpers.js'

describe('cli: benchmark runner', function () {
  this.timeout(60_000)
  let dir: string
  /** The runner's list for the test's own benchmark files (a test may import from a computed path). */
  let benches: BenchmarkList

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'overlaykit-bench-'))
    await mkdir(join(dir, 'benches'))
    const charts = pathToFileURL(join(outDir, 'benchmarks', 'lib', 'charts.js')).href
    await writeFile(join(dir, 'benches', 'tiny.js'), `
      import { lineChart, barChart } from '${charts}'
      export default { name: 'tiny', description: 'a runner self-test', async run (ctx) {
        const rows = [10, 100, 1000].map(n => ({ nodes: n, hops: Math.log2(n) / 2 + ctx.seed, refHalfLog2N: Math.log2(n) / 2 }))
        return { params: { quick: ctx.quick }, rows, tables: { pdf: [{ hops: 1, p: 0.5 }] }, notes: ['a note'],
          charts: { hops: lineChart({ title: 'hops', rows, x: 'nodes', logX: true, series: ['hops', { field: 'refHalfLog2N', dashed: true }] }),
                    cost: barChart({ title: 'cost', rows, category: 'nodes', value: 'hops' }) } }
      } }`)
    await writeFile(join(dir, 'benches', 'hang.js'), 'export default { name: "hang", description: "", run: () => new Promise(() => {}) }')
    await writeFile(join(dir, 'benches', 'broken.js'), 'export default { name: "broken", description: "", async run () { throw new Error("kaput") } }')
    benches = Object.fromEntries(['tiny', 'hang', 'broken'].map(n => [n, async () => await import(pathToFileURL(join(dir, 'benches', `${n}.js`)).href)]))
  })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  it('lists, runs and writes JSON, markdown and SVG charts', async () => {
    assert.deepEqual([...(await listBenchmarks(benches)).keys()], ['broken', 'hang', 'tiny'])
    const out = join(dir, 'out')
    const { ok, records } = await runBenchmarks({ names: ['tiny'], seed: 3, quick: true, json: true, quiet: true, benchmarks: benches, out })
    assert.ok(ok)
    assert.equal(records.length, 1)
    const doc = JSON.parse(await readFile(join(out, 'tiny.json'), 'utf8'))
    assert.equal(doc.name, 'tiny')
    assert.equal(doc.seed, 3)
    assert.deepEqual(doc.params, { quick: true })
    assert.equal(doc.rows.length, 3)
    assert.deepEqual(doc.pdf, [{ hops: 1, p: 0.5 }])
    assert.deepEqual(doc.notes, ['a note'])
    const md = await readFile(join(out, 'tiny.md'), 'utf8')
    assert.match(md, /\| nodes \| hops \| refHalfLog2N \|/)
    for (const c of ['tiny-hops.svg', 'tiny-cost.svg']) {
      const svg = await readFile(join(out, c), 'utf8')
      assert.match(svg, /^<svg/)
      assert.match(svg, /<path/)
    }
  })

  it('reports a failing benchmark without stopping the others', async () => {
    const { ok, records } = await runBenchmarks({ names: ['all'], json: true, quiet: true, benchmarks: benches, out: join(dir, 'out2'), timeoutSec: 1 })
    assert.equal(ok, false)
    assert.deepEqual(records.map(r => [r.name, r.ok]), [['broken', false], ['hang', false], ['tiny', true]])
    assert.match(records[0].error ?? '', /kaput/)
    assert.equal(records[1].timedOut, true)
  })

  it('benchmarks/index.ts lists every benchmark file, and each loads as a Benchmark', async () => {
    const names = (await readdir(join(outDir, '..', 'benchmarks'))).filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts' && f !== 'index.ts').map(f => f.slice(0, -3))
    assert.deepEqual(Object.keys(BENCHMARKS).sort(), names.sort())
    for (const [name, load] of Object.entries(BENCHMARKS).filter(([n]) => !n.endsWith('-live') && n !== 'driver-rtt')) {
      assert.equal((await load()).default?.name, name)
    }
  })

  it('rejects an unknown benchmark name', async () => {
    await assert.rejects(runBenchmarks({ names: ['nope'], benchmarks: benches, out: join(dir, 'out3') }), /unknown benchmark "nope"/)
  })
})
