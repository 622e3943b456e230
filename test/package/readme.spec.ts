/**
 * README.md as a product page that cannot drift: its figures are what scripts/readme-figures.mjs
 * renders from the committed result files (and the check fails when a result changes), its
 * quickstart is examples/quickstart.mjs (a rendered block too), it links every example, and every relative link
 * points at a file that exists.
 */
import assert from 'node:assert/strict'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { outDir } from '../cli/helpers.js'
import { EXAMPLES } from './examples.js'

const repo = join(outDir, '..')
const readme = readFileSync(join(repo, 'README.md'), 'utf8')

interface Figures {
  BLOCKS: Record<string, { sources: string[] }>
  renderReadme: (root: string, text: string) => string
  differingBlocks: (a: string, b: string) => string[]
}
const figures = async (): Promise<Figures> => await import(pathToFileURL(join(repo, 'scripts', 'readme-figures.mjs')).href) as Figures

describe('package: README.md', () => {
  it('every figure block equals what the committed results render (npm run readme:figures)', async () => {
    const f = await figures()
    const bad = f.differingBlocks(readme, f.renderReadme(repo, readme))
    assert.deepEqual(bad, [], `README.md disagrees with its result files in ${bad.join(', ')}: run npm run readme:figures`)
  })

  it('the check fails when a result file changes', async () => {
    const f = await figures()
    const tmp = mkdtempSync(join(tmpdir(), 'overlaykit-readme-'))
    try {
      for (const block of Object.values(f.BLOCKS)) {
        for (const s of block.sources) cpSync(join(repo, s), join(tmp, s), { recursive: true })
      }
      const lab = 'docs/lab/lab-search.json'
      const data = JSON.parse(readFileSync(join(tmp, lab), 'utf8')) as { rows: Array<{ messagesPerQuery: number }> }
      data.rows[0].messagesPerQuery += 10
      writeFileSync(join(tmp, lab), JSON.stringify(data))
      assert.deepEqual(f.differingBlocks(readme, f.renderReadme(tmp, readme)), ['lab-search'])
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  })

  it('links every example', () => {
    for (const file of [...Object.keys(EXAMPLES), 'browser/']) {
      assert.ok(readme.includes(`](examples/${file})`), `README.md does not link examples/${file}`)
    }
  })

  it('every relative link points at a file that exists', () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map(m => m[1]).filter(l => !/^[a-z]+:/.test(l))
    assert.ok(links.length > 10)
    for (const l of links) assert.ok(existsSync(join(repo, l)), `README.md links ${l}, which does not exist`)
  })

  it('reads as a product page: install, quickstart and API reference on the first screen, no wide tables', () => {
    const firstScreen = readme.split('\n').slice(0, 30).join('\n')
    for (const s of ['npm install overlaykit', '#quickstart', '#api-reference', '22']) assert.ok(firstScreen.includes(s), `the first screen lacks ${s}`)
    let inCode = false
    for (const line of readme.split('\n')) {
      if (line.startsWith('```')) inCode = !inCode
      if (!inCode) assert.ok(line.length <= 200, `a ${line.length}-column line: ${line.slice(0, 60)}…`)
    }
    assert.doesNotMatch(readme, /load average|this (2-core )?machine/i, 'machine-specific remarks belong in the benchmark notes')
  })
})
