/**
 * Chart helpers for benchmarks: build a Vega-Lite spec in a few lines and return it in
 * `BenchResult.charts`; the runner renders each to `<name>-<key>.svg` beside the JSON.
 *
 *   charts: {
 *     hops: lineChart({ title: 'Chord lookup hops vs N', rows, x: 'nodes', logX: true,
 *       series: ['meanHops', { field: 'halfLog2N', label: '½·log2 N', dashed: true },
 *                { field: 'paperHops', label: 'paper', dashed: true }] }),
 *     cost: barChart({ title: 'messages per query', rows, category: 'overlay', value: 'messagesPerQuery' })
 *   }
 */
export { lineChart, barChart, renderSvg, type ChartSpec, type Series, type LineChartOptions, type BarChartOptions } from '../../src/report/charts.js'
