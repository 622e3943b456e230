/** Helpers for the live search tests: temp dirs with real files, polling without blind sleeps. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Rng } from '../../src/overlay/rng.js'
import type { SearchHit } from '../../src/overlay/capabilities.js'

export async function tempRoot (label: string): Promise<{ dir: string, cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `overlaykit-${label}-`))
  return { dir, cleanup: async () => { await rm(dir, { recursive: true, force: true }) } }
}

/** Write `size` seeded random bytes to `<root>/<store>` and return them. */
export async function writeRandomFile (root: string, store: string, size: number, seed: string): Promise<Uint8Array> {
  const bytes = new Rng(seed).bytes(size)
  const path = join(root, store)
  await mkdir(join(path, '..'), { recursive: true })
  await writeFile(path, bytes)
  return bytes
}

export async function waitFor (cond: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const deadline = performance.now() + limitMs
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

/** Collect search hits until the iterable ends or `until` is satisfied. */
export async function collect<H extends SearchHit> (it: AsyncIterable<H>, until?: (h: H) => boolean): Promise<H[]> {
  const out: H[] = []
  for await (const h of it) {
    out.push(h)
    if (until?.(h) === true) break
  }
  return out
}
