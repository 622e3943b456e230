/**
 * A supernode's index of its leaves' shares (and its own): keyword search over the shared
 * KeywordIndex, with a per-leaf limit so one leaf cannot fill a supernode's memory.
 */
import type { PeerRef } from '../overlay/index.js'
import { KeywordIndex, keywordsOf, MAX_KEYWORDS } from '../search/keywords.js'
import type { HitEntry, ShareEntry } from './messages.js'

export interface IndexedShare {
  keywords: string[]
  owner: PeerRef
  firewalled: boolean
  entry: ShareEntry
}

/** Keywords of a share: its name's tokens plus any declared keywords, normalised and bounded. */
export function shareKeywords (entry: ShareEntry): string[] {
  const extra = entry.keywords !== undefined && entry.keywords.length > 0 ? ' ' + entry.keywords.join(' ') : ''
  return keywordsOf(entry.name + extra).slice(0, MAX_KEYWORDS)
}

export class ShareIndex {
  private readonly index = new KeywordIndex<string, IndexedShare>()
  private readonly byOwner = new Map<string, Set<string>>()

  constructor (private readonly maxPerOwner: number) {}

  get size (): number { return this.index.size }
  owners (): number { return this.byOwner.size }
  countOf (owner: string): number { return this.byOwner.get(owner)?.size ?? 0 }
  hashesOf (owner: string): string[] { return [...(this.byOwner.get(owner) ?? [])] }

  /** Returns false (and stores nothing) when the owner already has `maxPerOwner` files. */
  add (owner: PeerRef, firewalled: boolean, entry: ShareEntry): boolean {
    let set = this.byOwner.get(owner.id)
    if (set === undefined) { set = new Set(); this.byOwner.set(owner.id, set) }
    if (!set.has(entry.hash) && set.size >= this.maxPerOwner) return false
    set.add(entry.hash)
    this.index.add(`${owner.id}\u0000${entry.hash}`, { keywords: shareKeywords(entry), owner, firewalled, entry })
    return true
  }

  remove (owner: string, hash: string): void {
    const set = this.byOwner.get(owner)
    if (set === undefined || !set.delete(hash)) return
    this.index.remove(`${owner}\u0000${hash}`)
    if (set.size === 0) this.byOwner.delete(owner)
  }

  removeOwner (owner: string): number {
    const set = this.byOwner.get(owner)
    if (set === undefined) return 0
    for (const h of set) this.index.remove(`${owner}\u0000${h}`)
    this.byOwner.delete(owner)
    return set.size
  }

  has (owner: string, hash: string): boolean { return this.byOwner.get(owner)?.has(hash) ?? false }

  /**
   * Hits for a query text, at most `limit`, never files of `excludeOwner` (the asker itself). A
   * supernode indexes many copies of popular files; so that a popular file matching the words cannot
   * crowd a rarer one out of the answer, distinct files come first, then further copies.
   */
  search (text: string, limit: number, via: PeerRef, excludeOwner?: string): HitEntry[] {
    const kw = keywordsOf(text)
    const found = this.index.search(kw, Math.min(20 * limit, 5000))
    const first: IndexedShare[] = []
    const more: IndexedShare[] = []
    const seen = new Set<string>()
    for (const s of found) {
      if (s.owner.id === excludeOwner) continue
      if (seen.has(s.entry.hash)) more.push(s)
      else { seen.add(s.entry.hash); first.push(s) }
    }
    const out: HitEntry[] = []
    for (const s of [...first, ...more]) {
      if (out.length >= limit) break
      out.push({ peer: s.owner, via, firewalled: s.firewalled, name: s.entry.name, size: s.entry.size, hash: s.entry.hash })
    }
    return out
  }
}
