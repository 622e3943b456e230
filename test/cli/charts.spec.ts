import assert from 'node:assert/strict'
import { barChart, lineChart, renderSvg } from '../../src/report/charts.js'

/** The <path> elements inside the SVG group of one mark type (vega's class "mark-<type>"). */
function markPaths (svg: string, type: string): string[] {
  const out: string[] = []
  let start = svg.indexOf(`class="mark-${type}`)
  while (start >= 0) {
    const end = svg.indexOf('</g>', start)
    out.push(...(svg.slice(start, end).match(/<path[^>]*>/g) ?? []))
    start = svg.indexOf(`class="mark-${type}`, end)
  }
  return out
}

describe('cli: charts (Vega-Lite rendered headless)', function () {
  this.timeout(30_000)
  const rows = [{ overlay: 'napster', m: 62.3 }, { overlay: 'gnutella', m: 4528.5 }, { overlay: 'fasttrack', m: 310.2 }]

  it('draws one bar per category, also on a log axis', async () => {
    for (const logY of [false, true]) {
      const svg = await renderSvg(barChart({ title: 't', rows, category: 'overlay', value: 'm', logY }))
      const bars = markPaths(svg, 'rect')
      assert.equal(bars.length, 3, `logY=${String(logY)}`)
      for (const b of bars) assert.doesNotMatch(b, /NaN|Infinity/)
      assert.match(svg, /4529/) // value labels
    }
  })

  it('draws grouped bars and multi-series lines with dashed references', async () => {
    const grouped = await renderSvg(barChart({ title: 't', rows: [...rows.map(r => ({ ...r, who: 'ours' })), ...rows.map(r => ({ ...r, who: 'paper' }))], category: 'overlay', value: 'm', group: 'who' }))
    assert.equal(markPaths(grouped, 'rect').length, 6)
    const line = await renderSvg(lineChart({ title: 'hops', rows: [10, 100, 1000].map(n => ({ n, ours: Math.log2(n) / 2 + 0.1, half: Math.log2(n) / 2 })), x: 'n', logX: true, series: ['ours', { field: 'half', label: '½·log2 N', dashed: true }] }))
    assert.equal(markPaths(line, 'line').length, 2)
    assert.match(line, /stroke-dasharray="6,4"/)
    assert.match(line, /½·log2 N/)
  })
})
