#!/usr/bin/env node
/**
 * Renders SVG files to PNG with headless Chromium (for README assets and for looking at charts):
 *   node scripts/svg-to-png.mjs in.svg [more.svg …]   → in.png beside each
 */
import { chromium } from 'playwright-core'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const files = process.argv.slice(2)
if (files.length === 0) { process.stderr.write('usage: svg-to-png.mjs FILE.svg…\n'); process.exit(2) }
const dir = await mkdtemp(join(tmpdir(), 'overlaykit-svg-'))
const ctx = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
})
try {
  const page = await ctx.newPage()
  for (const f of files) {
    const svg = await readFile(f, 'utf8')
    await page.setContent(`<html><body style="margin:0;background:#fff">${svg}</body></html>`)
    const el = await page.$('svg')
    await el.screenshot({ path: f.replace(/\.svg$/, '') + '.png' })
    process.stderr.write(`${f} → ${f.replace(/\.svg$/, '')}.png\n`)
  }
} finally {
  await ctx.close()
  await rm(dir, { recursive: true, force: true })
}
