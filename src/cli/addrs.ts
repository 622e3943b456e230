/**
 * Addresses from the command line, checked when the options are parsed, so a typo is refused at
 * once with one line instead of a node dialling something that can never answer.
 */
import { InvalidArgumentError } from 'commander'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'

/** A multiaddr (any protocols). */
export function parseMultiaddr (value: string): string {
  try {
    return multiaddr(value).toString()
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a multiaddr (e.g. /ip4/192.0.2.1/tcp/4001)`)
  }
}

/** A multiaddr that names its peer: …/p2p/<peer id> (what a node needs to dial and authenticate it). */
export function parsePeerMultiaddr (value: string): string {
  const ma = parseMultiaddr(value)
  const m = /\/p2p\/([^/]+)$/.exec(ma)
  if (m === null) throw new InvalidArgumentError(`"${value}" has no /p2p/<peer id> at the end (the peer's multiaddr as it prints it, e.g. /ip4/192.0.2.1/tcp/4001/p2p/12D3KooW…)`)
  try { peerIdFromString(m[1]) } catch { throw new InvalidArgumentError(`"${m[1]}" in "${value}" is not a peer id`) }
  return ma
}

/** A BitTorrent peer: a libp2p multiaddr with /p2p/<id>, or host:port / tcp:host:port for a plain-TCP client. */
export function parseTorrentPeer (value: string): string {
  if (/^(tcp:)?[^/:\s]+:\d{1,5}$/.test(value)) return value
  if (!value.startsWith('/')) throw new InvalidArgumentError(`"${value}" is neither a multiaddr with /p2p/<peer id> nor host:port`)
  return parsePeerMultiaddr(value)
}

/** A repeatable option, each value checked by `parse`; with `commas`, one value may list several. */
export function collectWith (parse: (v: string) => string, commas = false): (v: string, prev?: string[]) => string[] {
  return (v, prev = []) => [...prev, ...(commas ? v.split(',').map(x => x.trim()).filter(x => x !== '') : [v]).map(parse)]
}
