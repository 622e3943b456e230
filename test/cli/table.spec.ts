import assert from 'node:assert/strict'
import { formatCell, markdownTable, textTable } from '../../src/report/table.js'
import { renderHuman } from '../../src/report/io.js'
import { parseLatency, parseSeed } from '../../src/cli/options.js'

describe('cli: tables and option parsers', () => {
  it('formats numbers with four significant digits', () => {
    assert.equal(formatCell(3), '3')
    assert.equal(formatCell(2.5), '2.5')
    assert.equal(formatCell(1 / 3), '0.3333')
    assert.equal(formatCell(12345.678), '12345.7')
    assert.equal(formatCell(10n), '10')
  })

  it('renders text and markdown tables over the union of columns', () => {
    const rows = [{ overlay: 'napster', msgs: 2 }, { overlay: 'gnutella', msgs: 312.5, extra: true }]
    const t = textTable(rows).split('\n')
    assert.equal(t.length, 4)
    assert.match(t[0], /overlay\s+msgs\s+extra/)
    const md = markdownTable(rows).split('\n')
    assert.equal(md[0], '| overlay | msgs | extra |')
    assert.equal(md[1], '| --- | ---: | --- |')
    assert.equal(md[3], '| gnutella | 312.5 | yes |')
  })

  it('renders nested results with dotted keys', () => {
    const s = renderHuman({ a: 1, rtt: { p50: 2 }, rows: [{ x: 1 }] })
    assert.match(s, /rtt\.p50\s+2/)
    assert.match(s, /rows:\nx/)
  })

  it('parses seeds and latency models', () => {
    assert.equal(parseSeed('42'), 42)
    assert.equal(parseSeed('abc'), 'abc')
    assert.deepEqual(parseLatency('uniform:5:50'), { kind: 'uniform', min: 5, max: 50 })
    assert.deepEqual(parseLatency('7'), { kind: 'constant', ms: 7 })
    assert.throws(() => parseLatency('uniform:9:1'))
    assert.throws(() => parseLatency('warp:1'))
  })
})
