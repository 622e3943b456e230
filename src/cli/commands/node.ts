/**
 * `overlaykit node --overlay chord [--listen MULTIADDR…] [--bootstrap MULTIADDR…] [--ws]`: a
 * long-running real node for swarms across machines (see ../node/run.ts).
 */
import { InvalidArgumentError, type Command } from 'commander'
import { CONNECTION_PROFILES, type ConnectionProfile } from '../../runtime/libp2p/limits.js'
import type { CliIo } from '../plugin.js'
import { parseList } from '../options.js'
import { collectWith, parseMultiaddr, parsePeerMultiaddr } from '../addrs.js'

const collect = (v: string, prev: string[] = []): string[] => [...prev, ...parseList(v)]

function parseLimits (v: string): ConnectionProfile {
  if (v in CONNECTION_PROFILES) return v as ConnectionProfile
  throw new InvalidArgumentError(`--limits must be one of ${Object.keys(CONNECTION_PROFILES).join(', ')}, got "${v}"`)
}

export default function register (program: Command, _io: CliIo): void {
  program.command('node')
    .description('run a long-lived real node (TCP, optionally WebSockets); prints its multiaddrs as JSON and takes JSON-lines (or text) requests on stdin: lookup, put, get, publish, search, seed, download, status, stop. It runs in a child Node with --max-semi-space-size=16 so memory comes back after an attack (docs/limits.md); OVERLAYKIT_NODE_FLAGS=off or your own --max-semi-space-size skips that')
    .requiredOption('--overlay <names>', 'overlay(s) to run, comma-separated (e.g. chord,gossip)', collect)
    .option('--listen <multiaddr>', 'listen address, repeatable (default /ip4/0.0.0.0/tcp/0)', collectWith(parseMultiaddr, true))
    .option('--bootstrap <multiaddr>', 'a peer to join through (…/p2p/<id>), repeatable', collectWith(parsePeerMultiaddr, true), [])
    .option('--ws', 'also listen on WebSockets (for browsers)', false)
    .option('--exit-on-eof', 'stop when stdin ends (default: keep running, say so, stop on SIGINT/SIGTERM)', false)
    .option('--announce <multiaddr>', 'address to announce instead of the listen addresses, repeatable', collectWith(parseMultiaddr, true), [])
    .option('--key <file>', 'keep the node identity in this file (created if missing)')
    .option('--relay', 'also run a circuit relay v2 server for peers behind NATs and browsers (libp2p\'s limits: 128 KiB, 2 min per relayed connection)', false)
    .option('--limits <profile>', 'connection admission: "node" (a real network: 256 connections, 5 inbound/s per IP) or "local-test" (many nodes on one host); see docs/limits.md', parseLimits, 'node')
    .option('--opt <key=value>', 'overlay option, repeatable (e.g. role=server, vnodes=4)', collect, [])
    .action(async (_opts: unknown, self: Command) => {
      const o = self.optsWithGlobals<{ overlay: string[], listen?: string[], bootstrap: string[], ws: boolean, exitOnEof: boolean, relay: boolean, limits: ConnectionProfile, announce: string[], key?: string, opt: string[], seed: number | string }>()
      const options: Record<string, string> = {}
      for (const kv of o.opt) {
        const eq = kv.indexOf('=')
        if (eq <= 0) throw new Error(`--opt wants key=value, got "${kv}"`)
        options[kv.slice(0, eq)] = kv.slice(eq + 1)
      }
      // a public node runs with V8's young generation capped (node/respawn.ts, docs/limits.md)
      const { runCapped } = await import('../node/respawn.js')
      const code = await runCapped()
      if (code !== undefined) process.exit(code) // the child's output went straight to our stdio
      const { runNode } = await import('../node/run.js')
      await runNode({
        overlays: o.overlay,
        ...(o.listen !== undefined ? { listen: o.listen } : {}),
        bootstrap: o.bootstrap,
        ws: o.ws,
        exitOnEof: o.exitOnEof,
        relay: o.relay,
        limits: o.limits,
        announce: o.announce,
        ...(o.key !== undefined ? { keyFile: o.key } : {}),
        // a live node's randomness should differ per process unless the user pins it
        seed: self.getOptionValueSourceWithGlobals('seed') === 'default' ? `${process.pid}/${Date.now()}` : String(o.seed),
        options
      })
    })
}
