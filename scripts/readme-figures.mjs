#!/usr/bin/env node
/**
 * Every figure in README.md comes from a committed result file (and the quickstart from
 * examples/quickstart.mjs): this script renders each marked block of the README from its source and writes the blocks back (`npm run readme:figures`), or with
 * `--check` only says which blocks disagree with their results and exits 1
 * (test/package/readme.spec.ts runs the check).
 *
 * A block in README.md:
 *   <!-- figures:NAME -->
 *   ...generated...
 *   <!-- /figures:NAME -->
 *
 * Usage: node scripts/readme-figures.mjs [--check] [--root DIR]
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const fixed = (x, d) => Number(x).toFixed(d)
const trim = (x, d) => String(Number(Number(x).toFixed(d)))

function load (root, path) {
  try {
    const text = readFileSync(join(root, path), 'utf8')
    return path.endsWith('.json') ? JSON.parse(text) : text
  } catch (err) {
    throw new Error(`readme-figures: cannot read ${path}: ${err.message}`)
  }
}

function row (file, rows, what, pred) {
  const r = rows.find(pred)
  if (r === undefined) throw new Error(`readme-figures: ${file} has no row for ${what}`)
  return r
}

const OVERLAY_NAMES = { napster: 'Napster', gnutella: 'Gnutella', fasttrack: 'FastTrack', chord: 'Chord' }

/** Each block: the result files it reads and how it renders them. */
export const BLOCKS = {
  // the quickstart is examples/quickstart.mjs, which the package test runs
  quickstart: {
    sources: ['examples/quickstart.mjs'],
    render ([code]) { return '```js\n' + code.trimEnd() + '\n```' }
  },
  'lab-search': {
    sources: ['docs/lab/lab-search.json'],
    render ([lab]) {
      const p = lab.params
      const lines = [
        `For ${p.nodes} nodes and ${p.queries} queries, seed ${p.seed} ([docs/lab/lab-search.md](docs/lab/lab-search.md) has every figure):`,
        '',
        '| overlay | success | messages per query | mean hops | p50 latency (virtual ms) | most loaded node (messages) |',
        '| --- | ---: | ---: | ---: | ---: | ---: |'
      ]
      for (const r of lab.rows) {
        lines.push(`| ${OVERLAY_NAMES[r.overlay] ?? r.overlay} | ${fixed(r.successRate, 3)} | ${trim(r.messagesPerQuery, 1)} | ${fixed(r.meanHops, 2)} | ${fixed(r.p50LatencyMs, 0)} | ${r.maxNodeLoad} |`)
      }
      return lines.join('\n')
    }
  },
  'lab-churn': {
    sources: ['docs/lab-churn/lab-search.json'],
    render ([lab]) {
      const p = lab.params
      const parts = lab.rows.map(r => `${fixed(r.successRate, 3)} (${OVERLAY_NAMES[r.overlay] ?? r.overlay})`)
      return `With churn (\`--nodes ${p.nodes} --queries ${p.queries} --churn ${p.churn}\`, seed ${p.seed}) the success rates are\n` +
        `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}\n([docs/lab-churn/lab-search.md](docs/lab-churn/lab-search.md)).`
    }
  },
  benchmarks: {
    sources: ['benchmarks/results/chord-hops.json', 'benchmarks/results/chord-scale.json', 'benchmarks/results/hostile-lookups.json', 'benchmarks/results/gossip-live.json', 'benchmarks/results/bittorrent-live.json', 'benchmarks/results/sim-throughput.json'],
    render ([hops, scale, hostile, gossip, bt, sim]) {
      const h = row('chord-hops.json', hops.rows, 'N = 4096, fingers only', r => r.nodes === 4096 && r.routing === 'fingers')
      const hs = row('chord-hops.json', hops.rows, 'N = 4096, fingers and successor lists', r => r.nodes === 4096 && r.routing === 'fingers+successors')
      const lie = row('hostile-lookups.json', hostile.rows, 'the row with a goal', r => r.goal !== undefined)
      const lie1 = row('hostile-lookups.json', hostile.rows, 'one path at the same fraction', r => r.adversaryFraction === lie.adversaryFraction && r.paths === '1')
      const s = scale.rows[0]
      // like with like: both signed, broadcasts back to back
      const alike = (r) => r.signed === true && r.phase === 'back to back'
      const ours = row('gossip-live.json', gossip.rows, 'overlaykit gossip, signed, back to back', r => /overlaykit/.test(r.overlay) && alike(r))
      const gs = row('gossip-live.json', gossip.rows, 'gossipsub, signed, back to back', r => /gossipsub/.test(r.overlay) && alike(r))
      const swarm = row('bittorrent-live.json', bt.rows, 'the capped 1+8 swarm', r => r.test === 'swarm 1+8, capped')
      const big = sim.rows.reduce((a, r) => r.nodes > a.nodes ? r : a)
      const n = (x) => Number(x).toLocaleString('en-US')
      return [
        '| benchmark | what | ours | reference |',
        '| --- | --- | --- | --- |',
        `| [chord-hops](benchmarks/results/chord-hops.md) | mean lookup hops, ${n(h.nodes)} nodes (simulator): fingers only / with successor lists | ${h.mean} / ${hs.mean} | ${h.paperMean} (Chord paper, Fig. 10) |`,
        `| [chord-scale](benchmarks/results/chord-scale.md) | ${n(s.hosts)} hosts × ${n(s.lookups)} lookups (simulator) | ${s.wallSeconds} s, ${s.peakRssMiB} MiB | goal < ${s.goalWallSeconds} s, < ${s.goalRssMiB} MiB |`,
        `| [hostile-lookups](benchmarks/results/hostile-lookups.md) | correct lookups with ${lie.adversaryFraction * 100} % lying routers, ${lie.paths} disjoint paths (1 path) | ${lie.correctFraction} (${lie1.correctFraction}) | goal ${lie.goal} |`,
        `| [gossip-live](benchmarks/results/gossip-live.md) | a signed broadcast reaches all ${ours.nodes} live nodes, p50 / p99 | ${ours.timeToAllP50ms} / ${ours.timeToAllP99ms} ms | ${gs.timeToAllP50ms} / ${gs.timeToAllP99ms} ms, ${gs.overlay} (signed, same swarm) |`,
        `| [bittorrent-live](benchmarks/results/bittorrent-live.md) | ${bt.params.fileBytes / 1048576} MiB to ${bt.params.leechers} leechers, uploads ≤ ${bt.params.uploadCapBytesPerSec / 1048576} MiB/s | ${swarm.ours} s | ${swarm.bound} s bound, ${swarm.webtorrent} s webtorrent |`,
        `| [sim-throughput](benchmarks/results/sim-throughput.md) | simulator events/s, ${n(big.nodes)} nodes | ${n(big.eventsPerSecond)} | goal ${n(big.goalEventsPerSecond)} |`
      ].join('\n')
    }
  }
}

const blockRe = (name) => new RegExp(`(<!-- figures:${name} -->\\n)([^]*?)(<!-- /figures:${name} -->)`)

/** README text with every block re-rendered from the result files under `root`. */
export function renderReadme (root, text) {
  let out = text
  for (const [name, block] of Object.entries(BLOCKS)) {
    const re = blockRe(name)
    if (!re.test(out)) throw new Error(`readme-figures: README.md has no block ${name} (<!-- figures:${name} --> … <!-- /figures:${name} -->)`)
    const body = block.render(block.sources.map(s => load(root, s)))
    out = out.replace(re, (_m, open, _old, close) => open + body + '\n' + close)
  }
  return out
}

/** Names of the blocks whose text differs between `a` and `b`. */
export function differingBlocks (a, b) {
  return Object.keys(BLOCKS).filter(name => blockRe(name).exec(a)?.[2] !== blockRe(name).exec(b)?.[2])
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const root = resolve(args.includes('--root') ? args[args.indexOf('--root') + 1] : join(dirname(fileURLToPath(import.meta.url)), '..'))
  const file = join(root, 'README.md')
  const text = readFileSync(file, 'utf8')
  let next
  try {
    next = renderReadme(root, text)
  } catch (err) {
    process.stderr.write(err.message + '\n')
    process.exit(1)
  }
  if (args.includes('--check')) {
    const bad = differingBlocks(text, next)
    if (bad.length > 0) {
      process.stderr.write(`README.md disagrees with the results in: ${bad.join(', ')} (run npm run readme:figures)\n`)
      process.exit(1)
    }
  } else if (next !== text) {
    writeFileSync(file, next)
    process.stderr.write(`README.md: figures rewritten (${differingBlocks(text, next).join(', ')})\n`)
  }
}
