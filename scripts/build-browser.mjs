#!/usr/bin/env node
/**
 * Builds the browser ESM bundle of the SDK and the browser demo with esbuild:
 *
 *   dist/browser/overlaykit.js        the SDK (src/browser/index.ts): machines, simulator, live services
 *                                     (all six overlays; that no Node-only module gets in is
 *                                     checked by test/browser/bittorrent.spec.ts)
 *   dist/browser/demo/index.html      demos/browser/ (the page, its script bundled to app.js)
 *
 * Usage: node scripts/build-browser.mjs [--outdir DIR] [--minify]
 */
import { build } from 'esbuild'
import { cp, mkdir, readFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const outdir = resolve(args.includes('--outdir') ? args[args.indexOf('--outdir') + 1] : join(root, 'dist', 'browser'))
const minify = args.includes('--minify')

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  minify,
  logLevel: 'warning',
  // libp2p and friends pick their browser builds through the "browser" condition
  conditions: ['browser'],
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  absWorkingDir: root
}

const t0 = performance.now()
await mkdir(join(outdir, 'demo'), { recursive: true })
const sdk = await build({ ...common, entryPoints: [join(root, 'src/browser/index.ts')], outfile: join(outdir, 'overlaykit.js'), metafile: true })
const demo = await build({ ...common, entryPoints: [join(root, 'demos/browser/app.ts')], outfile: join(outdir, 'demo', 'app.js'), metafile: true })
await cp(join(root, 'demos/browser/index.html'), join(outdir, 'demo', 'index.html'))
await cp(join(root, 'demos/browser/style.css'), join(outdir, 'demo', 'style.css'))
const size = (m) => Object.values(m.outputs).filter((o, i) => i >= 0).reduce((a, o) => a + (o.bytes ?? 0), 0)
// what a page downloads: the script itself, gzipped (the maps are only fetched by devtools)
const gz = async (file) => (gzipSync(await readFile(file)).length / 1024).toFixed(0)
process.stderr.write(`build-browser: ${outdir} (sdk ${(size(sdk.metafile) / 1024).toFixed(0)} KiB incl. maps, ${await gz(join(outdir, 'overlaykit.js'))} KiB gzipped; demo ${(size(demo.metafile) / 1024).toFixed(0)} KiB incl. maps, ${await gz(join(outdir, 'demo', 'app.js'))} KiB gzipped) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`)
