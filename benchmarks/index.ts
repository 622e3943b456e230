/**
 * The repository's benchmarks, by name: the only list (nothing scans this folder). Each entry loads its
 * file on use, so listing them costs nothing and a live benchmark's peers (kad-dht, gossipsub,
 * webtorrent: devDependencies) load only when it runs. Adding a benchmark = its file + one line here
 * (test/cli/bench-runner.spec.ts checks that every benchmarks/*.ts is listed).
 */
import type { BenchmarkList } from './lib/types.js'

export const BENCHMARKS: BenchmarkList = {
  'bittorrent-bound': async () => await import('./bittorrent-bound.js'),
  'bittorrent-live': async () => await import('./bittorrent-live.js'),
  'chord-churn': async () => await import('./chord-churn.js'),
  'chord-failures': async () => await import('./chord-failures.js'),
  'chord-hops': async () => await import('./chord-hops.js'),
  'browser-swarm': async () => await import('./browser-swarm.js'),
  'chord-live': async () => await import('./chord-live.js'),
  'chord-scale': async () => await import('./chord-scale.js'),
  'chord-vnodes': async () => await import('./chord-vnodes.js'),
  'driver-rtt': async () => await import('./driver-rtt.js'),
  'fasttrack-failover': async () => await import('./fasttrack-failover.js'),
  'gossip-anti-entropy': async () => await import('./gossip-anti-entropy.js'),
  'gossip-demers': async () => await import('./gossip-demers.js'),
  'gossip-live': async () => await import('./gossip-live.js'),
  'gossip-sign': async () => await import('./gossip-sign.js'),
  'hostile-load': async () => await import('./hostile-load.js'),
  'hostile-lookups': async () => await import('./hostile-lookups.js'),
  'search-fasttrack': async () => await import('./search-fasttrack.js'),
  'search-gnutella': async () => await import('./search-gnutella.js'),
  'search-napster': async () => await import('./search-napster.js'),
  'sim-throughput': async () => await import('./sim-throughput.js')
}
