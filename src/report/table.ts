/**
 * Plain-text and markdown tables for CLI output, benchmark results and the lab. Rows are objects;
 * columns are the union of their keys in first-seen order.
 */

/** Column names: union of row keys, in first-seen order. */
export function columnsOf (rows: ReadonlyArray<Record<string, unknown>>): string[] {
  const seen = new Set<string>()
  for (const row of rows) for (const k of Object.keys(row)) seen.add(k)
  return [...seen]
}

/** Formats one cell: numbers get at most 3 decimals (integers stay integers), objects become JSON. */
export function formatCell (v: unknown): string {
  if (v === undefined || v === null) return ''
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v)
    if (Number.isInteger(v)) return String(v)
    // Four significant digits, at most one decimal from 1000 up; no trailing zeros.
    if (Math.abs(v) >= 1000) return String(Math.round(v * 10) / 10)
    return String(Number(v.toPrecision(4)))
  }
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'string') return v
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  return JSON.stringify(v)
}

const isNumeric = (rows: ReadonlyArray<Record<string, unknown>>, col: string): boolean =>
  rows.every(r => r[col] === undefined || r[col] === null || typeof r[col] === 'number' || typeof r[col] === 'bigint')

/** An aligned text table (numbers right-aligned) for terminals. */
export function textTable (rows: ReadonlyArray<Record<string, unknown>>, columns = columnsOf(rows)): string {
  if (rows.length === 0) return '(no rows)'
  const cells = rows.map(r => columns.map(c => formatCell(r[c])))
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map(row => row[i].length)))
  const numeric = columns.map(c => isNumeric(rows, c))
  const line = (vals: string[]): string => vals.map((v, i) => numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i])).join('  ').trimEnd()
  return [line(columns), widths.map(w => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n')
}

/** A GitHub-flavoured markdown table. */
export function markdownTable (rows: ReadonlyArray<Record<string, unknown>>, columns = columnsOf(rows)): string {
  if (rows.length === 0) return '_(no rows)_'
  const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const numeric = columns.map(c => isNumeric(rows, c))
  return [
    `| ${columns.map(esc).join(' | ')} |`,
    `| ${numeric.map(n => n ? '---:' : '---').join(' | ')} |`,
    ...rows.map(r => `| ${columns.map(c => esc(formatCell(r[c]))).join(' | ')} |`)
  ].join('\n')
}
