import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runSearchLab, labTableRows } from '../../src/cli/lab/search.js'
import type { SearchRunResult, SearchWorkload } from '../../src/search/workload.js'
import { runCli } from './helpers.js'

describe('cli: lab search', function () {
  this.timeout(60_000)

  it('runs one workload on every overlay found and skips the others with a reason', async () => {
    const seen: SearchWorkload[] = []
    const fake = (name: string, factor: number) => (w: SearchWorkload, o?: Record<string, unknown>): SearchRunResult => {
      seen.push(w)
      assert.equal(o?.churn, 0.5)
      return { overlay: name, nodes: w.params.nodes, queries: w.queries.length, successRate: 1 / factor, messagesPerQuery: 10 * factor, meanHops: factor, p50LatencyMs: 5 * factor, maxNodeLoad: 100 * factor, extraFigure: 7 }
    }
    const r = await runSearchLab({ nodes: 50, queries: 20, overlays: ['a', 'b', 'missing'], seed: 3, churn: 0.5 }, undefined, async (name) => name === 'a' ? fake('a', 1) : name === 'b' ? fake('b', 2) : 'not built')
    assert.deepEqual(r.rows.map(x => x.overlay), ['a', 'b'])
    assert.deepEqual(r.skipped, [{ overlay: 'missing', reason: 'not built' }])
    assert.equal(seen[0], seen[1], 'the same workload object for every overlay')
    assert.equal(seen[0].queries.length, 20)
    assert.deepEqual(Object.keys(labTableRows(r.rows)[0]), ['overlay', 'successRate', 'messagesPerQuery', 'meanHops', 'p50LatencyMs', 'maxNodeLoad'])
    assert.equal(labTableRows(r.rows, true)[0].extraFigure, 7)
  })

  it('overlaykit lab search refuses an overlay name the registry does not know', async () => {
    const res = await runCli(['--json', 'lab', 'search', '--nodes', '50', '--queries', '10', '--overlays', 'napster,nosuch'], { timeoutMs: 50_000 })
    assert.equal(res.code, 1)
    assert.match(res.stderr, /unknown overlay "nosuch" in --overlays \(known: [a-z, ]*napster/)
  })

  it('overlaykit lab search --json --out writes the table and the charts', async () => {
    const out = await mkdtemp(join(tmpdir(), 'overlaykit-lab-'))
    try {
      const res = await runCli(['--json', '--seed', '2', 'lab', 'search', '--nodes', '100', '--queries', '40', '--overlays', 'napster,gnutella,gossip', '--out', out], { timeoutMs: 50_000 })
      assert.equal(res.code, 0, res.stderr)
      const j = JSON.parse(res.stdout)
      const ran = j.rows.map((r: SearchRunResult) => r.overlay)
      // an overlay without a lab entry is reported as skipped, never faked
      assert.deepEqual(ran, ['napster', 'gnutella'], res.stderr)
      assert.ok(j.skipped.some((s: { overlay: string }) => s.overlay === 'gossip'))
      for (const row of j.rows) {
        assert.ok(row.successRate >= 0 && row.successRate <= 1)
        assert.ok(row.messagesPerQuery > 0)
      }
      const files = await readdir(out)
      for (const f of ['lab-search.md', 'lab-search.json', 'lab-search-messages.svg', 'lab-search-success.svg']) assert.ok(files.includes(f), f)
      const md = await readFile(join(out, 'lab-search.md'), 'utf8')
      assert.match(md, /\| overlay \| successRate \| messagesPerQuery \| meanHops \| p50LatencyMs \| maxNodeLoad \|/)
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  })
})
