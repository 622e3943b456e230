/**
 * Vega-Lite chart specs in a few lines, and headless rendering to SVG (vega-lite compiles the spec,
 * vega's View renders it without a canvas). Used by the benchmark runner and the comparison lab
 * (src/report is shared by src/cli and benchmarks/, which never import each other's internals).
 */

export type Row = Record<string, unknown>

/** A Vega-Lite spec with inline data (kept loose: the renderer validates it). */
export type ChartSpec = Record<string, unknown>

export interface Series {
  /** Column of the row holding this series' value. */
  field: string
  /** Legend label. @default field */
  label?: string
  /** Draw dashed (e.g. a reference or a bound). @default false */
  dashed?: boolean
}

export interface LineChartOptions {
  title: string
  rows: readonly Row[]
  /** Column for the x axis. */
  x: string
  /** One line per series (e.g. ours, the paper's, ½·log2 N). */
  series: ReadonlyArray<Series | string>
  xTitle?: string
  yTitle?: string
  /** Logarithmic x axis (e.g. N from 10 to 10^5). @default false */
  logX?: boolean
  /** Logarithmic y axis. @default false */
  logY?: boolean
  /** Draw a point on every sample. @default true */
  points?: boolean
  /** @default 480 */
  width?: number
  /** @default 280 */
  height?: number
}

const norm = (s: Series | string): Series => typeof s === 'string' ? { field: s } : s

/** Several y columns against one x column, one coloured line each; dashed series for references. */
export function lineChart (o: LineChartOptions): ChartSpec {
  const series = o.series.map(norm)
  const values: Row[] = []
  for (const row of o.rows) {
    for (const s of series) {
      const y = row[s.field]
      if (typeof y !== 'number' || !Number.isFinite(y)) continue
      values.push({ x: row[o.x], y, series: s.label ?? s.field, dashed: s.dashed === true })
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: o.title,
    width: o.width ?? 480,
    height: o.height ?? 280,
    data: { values },
    mark: { type: 'line', point: o.points ?? true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: o.xTitle ?? o.x, scale: o.logX === true ? { type: 'log' } : {} },
      y: { field: 'y', type: 'quantitative', title: o.yTitle ?? '', scale: o.logY === true ? { type: 'log' } : {} },
      color: { field: 'series', type: 'nominal', title: null, sort: series.map(s => s.label ?? s.field) },
      strokeDash: { field: 'dashed', type: 'nominal', legend: null, scale: { domain: [false, true], range: [[1, 0], [6, 4]] } }
    }
  }
}

export interface BarChartOptions {
  title: string
  rows: readonly Row[]
  /** Column naming each bar (e.g. 'overlay'). */
  category: string
  /** Column with the bar's value. */
  value: string
  /** Optional column splitting each category into coloured sub-bars (e.g. 'ours' vs 'reference'). */
  group?: string
  xTitle?: string
  yTitle?: string
  /** @default false */
  logY?: boolean
  /** @default 420 */
  width?: number
  /** @default 260 */
  height?: number
}

/** One bar per category (e.g. messages per query per overlay); grouped bars when `group` is set. */
export function barChart (o: BarChartOptions): ChartSpec {
  const height = o.height ?? 260
  const values = o.rows
    .filter(r => typeof r[o.value] === 'number' && Number.isFinite(r[o.value] as number) && (o.logY !== true || (r[o.value] as number) > 0))
    .map(r => ({ category: String(r[o.category]), value: r[o.value], ...(o.group !== undefined ? { group: String(r[o.group]) } : {}) }))
  const y: Record<string, unknown> = { field: 'value', type: 'quantitative', title: o.yTitle ?? o.value }
  const encoding: Record<string, unknown> = {
    x: { field: 'category', type: 'nominal', title: o.xTitle ?? o.category, sort: null, axis: { labelAngle: 0 } },
    y,
    color: { field: o.group !== undefined ? 'group' : 'category', type: 'nominal', title: o.group ?? null, legend: o.group !== undefined ? {} : null }
  }
  if (o.logY === true) {
    // A log axis has no zero: bars are not stacked from 0 but drawn up from the bottom of the plot.
    y.scale = { type: 'log' }
    y.stack = null
    encoding.y2 = { value: height }
  }
  if (o.group !== undefined) encoding.xOffset = { field: 'group', type: 'nominal' }
  const base = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: o.title,
    width: o.width ?? 420,
    height,
    data: { values }
  }
  if (o.group !== undefined) return { ...base, mark: { type: 'bar', tooltip: true }, encoding }
  // the value printed above each bar
  return {
    ...base,
    encoding: { x: encoding.x, y },
    layer: [
      { mark: { type: 'bar', tooltip: true }, encoding: { color: encoding.color, ...(encoding.y2 !== undefined ? { y2: encoding.y2 } : {}) } },
      { mark: { type: 'text', dy: -6, fontSize: 11 }, encoding: { text: { field: 'value', type: 'quantitative', format: '.4~r' } } }
    ]
  }
}

/**
 * Renders a Vega-Lite spec to an SVG string, headless (no canvas, no browser). vega and vega-lite are
 * loaded on first use so the rest of the CLI works where they are not installed.
 */
export async function renderSvg (spec: ChartSpec): Promise<string> {
  let vega: typeof import('vega')
  let vl: typeof import('vega-lite')
  try {
    vega = await import('vega')
    vl = await import('vega-lite')
  } catch (err) {
    throw new Error(`rendering charts needs the vega and vega-lite packages (${(err as Error).message})`)
  }
  const compiled = vl.compile(spec as any).spec
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' })
  try {
    const svg = await view.toSVG()
    // A white background so the SVG reads well in dark-mode viewers too.
    return svg
  } finally {
    view.finalize()
  }
}
