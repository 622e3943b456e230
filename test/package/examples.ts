/** The examples in examples/ (each run against the installed package by pack.spec.ts) and a line
 * its output must contain when it worked. */
export const EXAMPLES: Record<string, RegExp> = {
  'quickstart.mjs': /^hello$/m,
  'chord-ring.mjs': /node 4 read: hello, ring/,
  'gossip-group.mjs': /every other node has it/,
  'search-napster.mjs': /downloaded 90000 bytes, hash verified/,
  'search-gnutella.mjs': /downloaded 90000 bytes, hash verified/,
  'search-fasttrack.mjs': /downloaded 90000 bytes, hash verified/,
  'torrent.mjs': /(leecher \d has all 1048576 bytes[^]*){3}/
}
