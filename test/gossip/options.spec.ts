/** Gossip options: every documented @default is what resolveOptions({}) gives; the live profile is what gossip() applies. */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { DEFAULTS, PROFILES, resolveOptions } from '../../src/gossip/options.js'

/** `name?: …` preceded by a JSDoc with `@default <literal>`, from the GossipOptions interface. */
function documentedDefaults (): Map<string, unknown> {
  const src = readFileSync(new URL('../../../src/gossip/options.ts', import.meta.url), 'utf8')
  const body = src.slice(src.indexOf('export interface GossipOptions'), src.indexOf('/** Every default, once.'))
  const out = new Map<string, unknown>()
  const re = /@default ([^\n]*?)\s*\*\/\s*\n\s*(\w+)\?:/g
  for (const m of body.matchAll(re)) {
    // JSON-ish literal → JSON
    const json = m[1].replace(/'/g, '"').replace(/([{,]\s*)(\w+):/g, '$1"$2":')
    out.set(m[2], JSON.parse(json))
  }
  return out
}

describe('gossip options', () => {
  it('every option documents a @default equal to resolveOptions({})', () => {
    const documented = documentedDefaults()
    const resolved = resolveOptions({}) as unknown as Record<string, unknown>
    assert.ok(documented.size >= 25, `found only ${documented.size} @default tags`)
    for (const [name, value] of documented) assert.deepEqual(resolved[name], value, name)
    for (const name of Object.keys(DEFAULTS)) assert.ok(documented.has(name), `${name} has no @default`)
  })

  it('the live profile only overrides known options, and resolves', () => {
    for (const name of Object.keys(PROFILES.live)) assert.ok(name in DEFAULTS, name)
    const live = resolveOptions(PROFILES.live)
    assert.equal(live.k, 2)
    assert.deepEqual(live.antiEntropy, { periodMs: 1000, mode: 'push-pull', maxPeriodMs: 8000, followUpMs: 2000 })
  })
})
