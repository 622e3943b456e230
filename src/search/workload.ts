/**
 * The search workload shared by every search overlay (napster, gnutella, fasttrack, chord keyword
 * search) and by the comparison lab, so that all of them answer the same queries for the same seed.
 *
 * Model (Adar & Huberman 2000, "Free riding on Gnutella"):
 * - a catalog of `files` distinct files with Zipf(`zipf`) popularity: file of rank r (0-based) has
 *   weight 1/(r+1)^zipf;
 * - a share `freeRiderShare` of the peers (≈70 %) share nothing; the others ("sharers") hold a
 *   heavy-tailed number of files (Pareto, shape 1.5, mean `sharesPerSharer`), each drawn from the same
 *   Zipf popularity, so popular files are widely replicated and the few big sharers hold most copies;
 * - queries arrive as a Poisson process (mean gap `queryIntervalMs`) from uniformly chosen peers
 *   (free riders query too) for a file drawn from the same Zipf popularity, never one the asking peer
 *   already holds. The query text is the file name's keywords without the extension, so it matches
 *   that file (and, rarely, another file with the same words).
 *
 * Content is not materialised: a file's `hash` is SHA-256 of a seeded label, standing in for the hash
 * of its bytes, and `size` is a nominal size. Overlays that transfer bytes in a simulation put blobs
 * under the hash themselves.
 */
import { InvalidArgumentError } from '../overlay/errors.js'
import { Rng } from '../overlay/rng.js'
import { sha256Bytes, toHex } from '../overlay/ids.js'
import type { SharedFile } from '../overlay/capabilities.js'
import { keywordsOf } from './keywords.js'
import { WORDS } from './words.js'

export interface SearchWorkloadOptions {
  /** Number of peers (indexes 0 … nodes-1). */
  nodes: number
  /** Distinct files in the catalog. @default max(100, nodes) */
  files?: number
  /** Zipf exponent of popularity (shares and queries). @default 1 */
  zipf?: number
  /** Fraction of peers that share nothing. @default 0.7 */
  freeRiderShare?: number
  /** Mean number of files a sharer holds. @default 20 */
  sharesPerSharer?: number
  /** 'pareto': heavy-tailed counts (shape 1.5) with that mean; 'fixed': every sharer holds exactly that many. @default 'pareto' */
  sharesDistribution?: 'pareto' | 'fixed'
  /** Number of queries. */
  queries: number
  seed: number | string
  /** Mean gap between query arrivals (Poisson process), ms. @default 100 */
  queryIntervalMs?: number
}

export interface SearchQuery {
  /** Arrival time in ms from the start of the query phase. */
  at: number
  /** Asking peer (index into `shares`). */
  from: number
  /** Wanted file (index into `catalog`). */
  file: number
  /** Keyword query text. */
  text: string
}

export interface SearchWorkload {
  catalog: SharedFile[]
  /** Per peer: indexes into `catalog` of the files it shares (empty for free riders). */
  shares: number[][]
  queries: SearchQuery[]
  /** The resolved options (defaults filled in), for reports. */
  params: Required<SearchWorkloadOptions>
}

/**
 * The result every overlay's `simulateSearch(workload, options)` returns; one row of the comparison
 * lab. Overlay-specific figures go in extra keys.
 */
export interface SearchRunResult {
  overlay: string
  nodes: number
  queries: number
  /** Fraction of queries that got at least one hit for the wanted file (by hash). */
  successRate: number
  /** Overlay messages sent during the query phase divided by the number of queries (maintenance included). */
  messagesPerQuery: number
  /** Mean overlay hops of the first hit for the wanted file, over successful queries. */
  meanHops: number
  /** Median time from query to the first hit for the wanted file, ms (successful queries only). */
  p50LatencyMs: number
  /** Most messages received by one node during the query phase (a server or a hub). */
  maxNodeLoad: number
  [extra: string]: unknown
}

/** Every search overlay exports one of these from its index.ts. */
export type SimulateSearch<O = Record<string, unknown>> = (workload: SearchWorkload, options?: O) => SearchRunResult

/** Cumulative Zipf weights for sampling by binary search. */
export class ZipfSampler {
  private readonly cdf: Float64Array
  constructor (readonly n: number, readonly s: number) {
    if (n < 1) throw new InvalidArgumentError('ZipfSampler needs n >= 1')
    this.cdf = new Float64Array(n)
    let sum = 0
    for (let r = 0; r < n; r++) { sum += 1 / Math.pow(r + 1, s); this.cdf[r] = sum }
    for (let r = 0; r < n; r++) this.cdf[r] /= sum
  }

  /** A rank in [0, n). */
  sample (rng: Rng): number {
    const u = rng.next()
    let lo = 0; let hi = this.n - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.cdf[mid] > u) hi = mid; else lo = mid + 1
    }
    return lo
  }

  /** Probability of rank r. */
  p (r: number): number { return r === 0 ? this.cdf[0] : this.cdf[r] - this.cdf[r - 1] }
}

const EXTENSIONS = ['mp3', 'mp3', 'mp3', 'ogg', 'avi', 'txt']

function fileName (rng: Rng): string {
  const n = 2 + rng.int(3) // 2..4 words
  const words: string[] = []
  for (let i = 0; i < n; i++) words.push(rng.pick(WORDS))
  return `${words.join(' ')}.${rng.pick(EXTENSIONS)}`
}

/** Query text for a file: its name's keywords minus the extension. */
export function queryTextFor (file: SharedFile): string {
  const dot = file.name.lastIndexOf('.')
  return keywordsOf(dot > 0 ? file.name.slice(0, dot) : file.name).join(' ')
}

export function makeSearchWorkload (opts: SearchWorkloadOptions): SearchWorkload {
  const params: Required<SearchWorkloadOptions> = {
    nodes: opts.nodes,
    files: opts.files ?? Math.max(100, opts.nodes),
    zipf: opts.zipf ?? 1,
    freeRiderShare: opts.freeRiderShare ?? 0.7,
    sharesPerSharer: opts.sharesPerSharer ?? 20,
    sharesDistribution: opts.sharesDistribution ?? 'pareto',
    queries: opts.queries,
    seed: opts.seed,
    queryIntervalMs: opts.queryIntervalMs ?? 100
  }
  if (!Number.isInteger(params.nodes) || params.nodes < 1) throw new InvalidArgumentError('nodes must be a positive integer')
  if (!Number.isInteger(params.files) || params.files < 1) throw new InvalidArgumentError('files must be a positive integer')
  if (params.freeRiderShare < 0 || params.freeRiderShare > 1) throw new InvalidArgumentError('freeRiderShare must be in [0, 1]')
  const root = new Rng(`search-workload/${params.seed}`)

  // catalog: names from the word list, nominal sizes (log-normal around 4 MB, like MP3s of the era)
  const nameRng = root.fork('names')
  const catalog: SharedFile[] = []
  for (let i = 0; i < params.files; i++) {
    const name = fileName(nameRng)
    const size = Math.max(1024, Math.round(nameRng.lognormal(4_000_000, 0.6)))
    const hash = toHex(sha256Bytes(`overlaykit-workload/${params.seed}/${i}`))
    catalog.push({ name, size, hash, keywords: keywordsOf(name) })
  }

  const zipf = new ZipfSampler(params.files, params.zipf)

  // who shares: a random (1 - freeRiderShare) of the peers, at least one
  const shareRng = root.fork('shares')
  const order = shareRng.shuffle(Array.from({ length: params.nodes }, (_, i) => i))
  const sharers = Math.max(1, Math.round(params.nodes * (1 - params.freeRiderShare)))
  const shares: number[][] = Array.from({ length: params.nodes }, () => [])
  const maxShares = Math.max(1, Math.min(params.files, Math.ceil(params.sharesPerSharer * 50)))
  for (let k = 0; k < sharers; k++) {
    const peer = order[k]
    let count = params.sharesDistribution === 'fixed'
      ? Math.round(params.sharesPerSharer)
      : Math.round(shareRng.pareto(1.5, params.sharesPerSharer / 3))
    count = Math.max(1, Math.min(maxShares, count))
    const held = new Set<number>()
    // Zipf draws without replacement; bounded attempts so a tiny catalog cannot loop forever
    for (let tries = 0; held.size < count && tries < count * 20; tries++) held.add(zipf.sample(shareRng))
    shares[peer] = [...held].sort((a, b) => a - b)
  }

  // queries: Poisson arrivals, Zipf files, askers that do not hold the file
  const qRng = root.fork('queries')
  const holds = shares.map(s => new Set(s))
  const queries: SearchQuery[] = []
  let t = 0
  for (let i = 0; i < params.queries; i++) {
    t += qRng.exponential(params.queryIntervalMs)
    const file = zipf.sample(qRng)
    let from = qRng.int(params.nodes)
    for (let tries = 0; holds[from].has(file) && tries < 20; tries++) from = qRng.int(params.nodes)
    queries.push({ at: Math.round(t * 1000) / 1000, from, file, text: queryTextFor(catalog[file]) })
  }
  return { catalog, shares, queries, params }
}

/** Which peers hold each file (index → peer indexes), handy for checking results. */
export function holdersOf (workload: SearchWorkload): number[][] {
  const out: number[][] = workload.catalog.map(() => [])
  workload.shares.forEach((files, peer) => { for (const f of files) out[f].push(peer) })
  return out
}
