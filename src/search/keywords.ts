/**
 * Keywords and matching, the way Napster and Gnutella servents matched: a file matches a query when
 * every query keyword occurs among the file's keywords (AND of whole tokens, case-insensitive).
 * Tokens are split on anything that is not a letter or digit, so "Big_Band-Live 02.mp3" gives
 * ["big", "band", "live", "02", "mp3"].
 */

/** Longest keyword kept; longer tokens are cut (bounds index memory against hostile names). */
export const MAX_KEYWORD_LENGTH = 32
/** At most this many keywords per file name or query (again a bound, not a protocol rule). */
export const MAX_KEYWORDS = 16

/** Lower-case tokens of a name or query, deduplicated, in order of first occurrence. */
export function keywordsOf (text: string): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length === 0) continue
    const k = raw.length > MAX_KEYWORD_LENGTH ? raw.slice(0, MAX_KEYWORD_LENGTH) : raw
    if (seen.has(k)) continue
    seen.add(k)
    out.push(k)
    if (out.length >= MAX_KEYWORDS) break
  }
  return out
}

/** True when every query keyword is among the file's keywords. An empty query matches nothing. */
export function matches (queryKeywords: readonly string[], fileKeywords: readonly string[]): boolean {
  if (queryKeywords.length === 0) return false
  for (const q of queryKeywords) {
    if (!fileKeywords.includes(q)) return false
  }
  return true
}

/**
 * An inverted index keyword → items, for servers and peers that answer many queries (the Napster
 * server's index, a FastTrack supernode, a Gnutella servent's own catalog). `K` is the item key
 * (e.g. `${user}\u0000${hash}`), `V` the stored item.
 */
export class KeywordIndex<K, V extends { keywords: readonly string[] }> {
  private readonly byKeyword = new Map<string, Set<K>>()
  private readonly items = new Map<K, V>()

  get size (): number { return this.items.size }
  get keywordCount (): number { return this.byKeyword.size }

  has (key: K): boolean { return this.items.has(key) }
  get (key: K): V | undefined { return this.items.get(key) }
  values (): IterableIterator<V> { return this.items.values() }

  add (key: K, item: V): void {
    this.remove(key)
    this.items.set(key, item)
    for (const k of item.keywords) {
      let set = this.byKeyword.get(k)
      if (set === undefined) { set = new Set(); this.byKeyword.set(k, set) }
      set.add(key)
    }
  }

  remove (key: K): boolean {
    const item = this.items.get(key)
    if (item === undefined) return false
    this.items.delete(key)
    for (const k of item.keywords) {
      const set = this.byKeyword.get(k)
      if (set === undefined) continue
      set.delete(key)
      if (set.size === 0) this.byKeyword.delete(k)
    }
    return true
  }

  /**
   * Items matching every keyword, at most `limit`. Walks the rarest keyword's posting list and
   * checks the others, so the cost is bounded by the smallest list, not the index size.
   */
  search (queryKeywords: readonly string[], limit: number): V[] {
    if (queryKeywords.length === 0 || limit <= 0) return []
    let smallest: Set<K> | undefined
    for (const k of queryKeywords) {
      const set = this.byKeyword.get(k)
      if (set === undefined) return []
      if (smallest === undefined || set.size < smallest.size) smallest = set
    }
    const out: V[] = []
    if (smallest === undefined) return out
    for (const key of smallest) {
      const item = this.items.get(key)
      if (item !== undefined && matches(queryKeywords, item.keywords)) {
        out.push(item)
        if (out.length >= limit) break
      }
    }
    return out
  }
}
