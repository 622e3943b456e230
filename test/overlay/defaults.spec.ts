/**
 * Documented defaults = resolved defaults, for every overlay in the registry (src/overlays.ts).
 *
 * Convention (BRIEF.md): src/<overlay>/options.ts exports DEFAULTS (the plain object of default values
 * of the user-facing options), resolveOptions(options) that fills from DEFAULTS, and optionally
 * PROFILES = { live, sim } (partial overrides of DEFAULTS). Every option of the options interface (the
 * type of resolveOptions' parameter) carries a JSDoc `@default <literal>`, written as a JSON-ish literal
 * (3, 'push', false, 1048576, [], { periodMs: 10000, mode: 'push-pull' }). This test parses those tags
 * from the source and checks, per overlay:
 *   - every key of DEFAULTS is documented with a literal `@default` equal to DEFAULTS[key];
 *   - every literal `@default` equals what resolveOptions({}) gives for that option;
 *   - PROFILES only override options that DEFAULTS has.
 * A `@default` that is not a literal (e.g. `max(8, 2·ceil(log2(expectedNodes)))`) documents a derived
 * default: allowed for an option outside DEFAULTS, and listed, never compared.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createContext, runInContext } from 'node:vm'
import { KITS, optionsOf } from '../../src/overlays.js'
import { optionsFromStrings } from '../../src/overlay/node-ops.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/**
 * Overlays whose options.ts does not follow the convention yet on this branch (their branches are
 * converting them). The lead removes an entry when its branch lands; the test says when one is stale.
 */
export const PENDING: Record<string, string> = {}

export interface DocumentedDefault { key: string, text: string, literal: boolean, value?: unknown }

/** The body of `interface <name> … { … }` in `src`, with the names it extends. */
function interfaceBody (src: string, name: string): { body: string, extends: string[] } | undefined {
  const m = new RegExp(`interface\\s+${name}\\b([^{]*)\\{`).exec(src)
  if (m === null) return undefined
  let depth = 1
  let i = m.index + m[0].length
  const start = i
  for (; i < src.length && depth > 0; i++) {
    if (src[i] === '{') depth++
    else if (src[i] === '}') depth--
  }
  const ext = /extends\s+(.+)/.exec(m[1])?.[1].split(',').map(s => s.trim().replace(/<.*$/, '')).filter(s => /^\w+$/.test(s)) ?? []
  return { body: src.slice(start, i - 1), extends: ext }
}

/** An empty realm to evaluate `@default` texts in (no globals: `max(…)` or `in-memory` are not literals). */
const LITERALS = createContext(Object.create(null))

/** Parses a `@default` text as a literal; undefined when it is not one. */
export function parseLiteral (text: string): { value: unknown } | undefined {
  if (text === '' || /^[a-z][\w-]*$/i.test(text) && !['true', 'false', 'null', 'undefined', 'Infinity'].includes(text)) return undefined
  try {
    return { value: runInContext(`(${text})`, LITERALS) }
  } catch {
    return undefined
  }
}

/** The top-level properties of an interface body that carry `@default`, in order. */
export function documentedDefaults (src: string, iface: string): DocumentedDefault[] {
  const found = interfaceBody(src, iface)
  if (found === undefined) return []
  const out: DocumentedDefault[] = []
  for (const base of found.extends) out.push(...documentedDefaults(src, base))
  const body = found.body
  // walk the body at depth 0: each property is an optional JSDoc followed by `name?:`
  let depth = 0
  let lastDoc = ''
  for (let i = 0; i < body.length; i++) {
    const c = body[i]
    if (body.startsWith('/**', i)) {
      const end = body.indexOf('*/', i)
      if (depth === 0) lastDoc = body.slice(i + 3, end)
      i = end + 1
      continue
    }
    if (c === '{' || c === '(' || c === '[') depth++
    else if (c === '}' || c === ')' || c === ']') depth--
    else if (depth === 0) {
      const m = /^(?:readonly\s+)?([A-Za-z_$][\w$]*)\??\s*:/.exec(body.slice(i))
      if (m !== null && /[\s;]/.test(body[i - 1] ?? ' ')) {
        const tag = /@default\s+([\s\S]*?)\s*(?=\n\s*\*?\s*@|$)/.exec(lastDoc.replace(/^\s*\*\s?/gm, ''))
        if (tag !== null) {
          const text = tag[1].replace(/\s*\n\s*/g, ' ').trim()
          const lit = parseLiteral(text)
          out.push({ key: m[1], text, literal: lit !== undefined, ...(lit !== undefined ? { value: lit.value } : {}) })
        }
        lastDoc = ''
        i += m[0].length - 1
      }
    }
  }
  return out
}

/** The options interface: the declared type of resolveOptions' first parameter. */
export function optionsInterfaceName (src: string): string | undefined {
  return /function\s+resolveOptions\s*\(\s*\w+\s*\??\s*:\s*(?:Readonly<|Partial<)?(\w+)/.exec(src)?.[1]
}

describe('overlay: documented defaults equal resolved defaults', () => {
  it('the parser reads JSDoc @default tags and literals', () => {
    const src = `export interface XOptions extends BaseOptions {
      /** Fanout. @default 3 */
      fanout?: number
      /**
       * Mode, with a long comment
       * @default 'push'
       */
      mode?: 'push' | 'pull'
      /** Nested. @default { periodMs: 10000, mode: 'push-pull' } */
      antiEntropy?: { periodMs?: number, mode?: string }
      /** Derived. @default max(8, 2·log2(n)) */
      successors?: number
      /** No default here */
      other?: number
    }
    interface BaseOptions {
      /** @default [] */
      peers?: string[]
    }
    export function resolveOptions (o: XOptions = {}) {}`
    assert.equal(optionsInterfaceName(src), 'XOptions')
    const d = documentedDefaults(src, 'XOptions')
    assert.deepEqual(normalize(d.map(x => [x.key, x.literal, x.value])), [
      ['peers', true, []], ['fanout', true, 3], ['mode', true, 'push'],
      ['antiEntropy', true, { periodMs: 10000, mode: 'push-pull' }], ['successors', false, undefined]
    ])
  })

  it('--opt strings are typed by DEFAULTS (numbers, booleans; other keys left alone)', () => {
    const d = { k: 3, eager: false, mode: 'push', nested: { a: 1 } }
    assert.deepEqual(optionsFromStrings(d, { k: '5', eager: 'true', mode: 'pull', nested: '2', other: '9' }), { k: 5, eager: true })
    assert.throws(() => optionsFromStrings(d, { k: 'many' }), /--opt k must be a number/)
    assert.throws(() => optionsFromStrings(d, { eager: 'yes' }), /--opt eager must be true or false/)
  })

  for (const kit of KITS) {
    const file = join(ROOT, 'src', kit.name, 'options.ts')
    const mod = optionsOf(kit)
    const follows = mod.DEFAULTS !== undefined && typeof mod.resolveOptions === 'function' && existsSync(file)
    const pending = PENDING[kit.name]

    if (!follows) {
      it(`${kit.name}: ${pending !== undefined ? `PENDING — ${pending}` : 'follows the options convention'}`, function () {
        if (pending !== undefined) this.skip()
        assert.fail(`${kit.name}: src/${kit.name}/options.ts must export DEFAULTS and resolveOptions, and its kit must list it as \`options\``)
      })
      continue
    }

    it(`${kit.name}: every @default equals DEFAULTS and resolveOptions({})`, () => {
      const src = readFileSync(file, 'utf8')
      const iface = optionsInterfaceName(src)
      assert.ok(iface !== undefined, `src/${kit.name}/options.ts: resolveOptions(options: <Interface>) names no interface`)
      const documented = documentedDefaults(src, iface)
      const byKey = new Map(documented.map(d => [d.key, d]))
      const defaults = mod.DEFAULTS as Record<string, unknown>
      const resolved = (mod.resolveOptions as (o: object) => Record<string, unknown>)({})
      const problems: string[] = []
      for (const [key, value] of Object.entries(defaults)) {
        const d = byKey.get(key)
        if (d === undefined) problems.push(`${key}: in DEFAULTS (${JSON.stringify(value)}) but no @default on ${iface}.${key}`)
        else if (!d.literal) problems.push(`${key}: @default ${d.text} is not a literal, but DEFAULTS has ${JSON.stringify(value)}`)
        else if (!isDeepStrictEqual(d.value, value)) problems.push(`${key}: @default ${d.text} but DEFAULTS has ${JSON.stringify(value)}`)
      }
      for (const d of documented) {
        if (!d.literal || !(d.key in resolved)) continue
        if (!isDeepStrictEqual(d.value, resolved[d.key])) problems.push(`${d.key}: @default ${d.text} but resolveOptions({}) gives ${JSON.stringify(resolved[d.key])}`)
      }
      for (const [profile, over] of Object.entries((mod.PROFILES ?? {}) as Record<string, object | undefined>)) {
        for (const key of Object.keys(over ?? {})) if (!(key in defaults)) problems.push(`PROFILES.${profile}.${key}: not an option in DEFAULTS`)
      }
      assert.deepEqual(problems, [], `src/${kit.name}/options.ts:\n` + problems.join('\n'))
    })

    if (pending !== undefined) {
      it(`${kit.name}: is no longer pending`, () => {
        assert.fail(`${kit.name} now follows the options convention: remove it from PENDING in test/overlay/defaults.spec.ts`)
      })
    }
  }
})

function isDeepStrictEqual (a: unknown, b: unknown): boolean {
  try { assert.deepStrictEqual(normalize(a), normalize(b)); return true } catch { return false }
}

/** Frozen arrays/objects compare like plain ones; functions compare by presence only. */
function normalize (v: unknown): unknown {
  if (Array.isArray(v)) return Array.from(v as unknown[], normalize) // literals come from another realm (node:vm)
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]))
  if (typeof v === 'function') return '[function]'
  return v
}
