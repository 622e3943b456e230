/**
 * Tracker messages over libp2p: bencoded dictionaries shaped like BEP 3's HTTP tracker exchange —
 * an announce carries info_hash, peer_id, event, left, uploaded, downloaded, numwant; the reply
 * carries interval, complete, incomplete and a peer list (libp2p peer ids and multiaddrs instead of
 * ip/port), or a "failure reason"; scrape as in BEP 48. A `t` field correlates request and reply.
 */
import { DecodeError, UnknownTypeError } from '../overlay/errors.js'
import { decodeGuard } from '../overlay/codec.js'
import { asBytes, asDict, asInt, asList, asText, bdecode, bencode, type BDict } from './bencode.js'
import type { Codec } from '../overlay/types.js'

export type AnnounceEvent = 'started' | 'completed' | 'stopped' | ''

export interface TrackerPeer { id: string, addrs: string[] }

export type TrackerMsg =
  | { type: 'announce', t: number, infoHash: Uint8Array, peerId: Uint8Array, event: AnnounceEvent, left: number, uploaded: number, downloaded: number, numwant: number, addrs: string[] }
  | { type: 'announce_ok', t: number, interval: number, complete: number, incomplete: number, peers: TrackerPeer[] }
  | { type: 'scrape', t: number, infoHashes: Uint8Array[] }
  | { type: 'scrape_ok', t: number, files: Array<{ infoHash: Uint8Array, complete: number, incomplete: number, downloaded: number }> }
  | { type: 'failure', t: number, reason: string }

export const TRACKER_LIMITS = { maxFrame: 256 * 1024, maxPeers: 200, maxAddrs: 8, maxScrape: 64 }
const EVENTS = new Set(['started', 'completed', 'stopped', ''])

function encode (m: TrackerMsg): Uint8Array {
  switch (m.type) {
    case 'announce': return bencode({ q: 'announce', t: m.t, info_hash: m.infoHash, peer_id: m.peerId, event: m.event, left: m.left, uploaded: m.uploaded, downloaded: m.downloaded, numwant: m.numwant, addrs: m.addrs })
    case 'announce_ok': return bencode({ r: 'announce', t: m.t, interval: m.interval, complete: m.complete, incomplete: m.incomplete, peers: m.peers.map(p => ({ 'peer id': p.id, addrs: p.addrs })) })
    case 'scrape': return bencode({ q: 'scrape', t: m.t, info_hash: m.infoHashes })
    case 'scrape_ok': return bencode({ r: 'scrape', t: m.t, files: m.files.map(f => ({ info_hash: f.infoHash, complete: f.complete, incomplete: f.incomplete, downloaded: f.downloaded })) })
    case 'failure': return bencode({ t: m.t, 'failure reason': m.reason })
  }
}

function hash20 (v: unknown, what: string): Uint8Array {
  const b = asBytes(v as any, what, 20)
  if (b.length !== 20) throw new DecodeError(`${what}: not 20 bytes`)
  return b.slice()
}

function decode (bytes: Uint8Array): TrackerMsg {
  return decodeGuard('tracker', bytes, TRACKER_LIMITS.maxFrame, b => {
    const d: BDict = asDict(bdecode(b, { maxBytes: TRACKER_LIMITS.maxFrame, maxDepth: 8 }), 'tracker message')
    const e = d.entries
    const t = asInt(e.get('t'), 't', 0, 2 ** 31)
    if (e.has('failure reason')) return { type: 'failure', t, reason: asText(e.get('failure reason'), 'failure reason', 1024) }
    const q = e.has('q') ? asText(e.get('q'), 'q', 16) : undefined
    const r = e.has('r') ? asText(e.get('r'), 'r', 16) : undefined
    if (q === 'announce') {
      const event = asText(e.get('event'), 'event', 16)
      if (!EVENTS.has(event)) throw new DecodeError(`tracker: unknown event ${event}`)
      return {
        type: 'announce', t, event: event as AnnounceEvent,
        infoHash: hash20(e.get('info_hash'), 'info_hash'),
        peerId: hash20(e.get('peer_id'), 'peer_id'),
        left: asInt(e.get('left'), 'left'),
        uploaded: asInt(e.get('uploaded'), 'uploaded'),
        downloaded: asInt(e.get('downloaded'), 'downloaded'),
        numwant: asInt(e.get('numwant'), 'numwant', 0, TRACKER_LIMITS.maxPeers),
        addrs: asList(e.get('addrs'), 'addrs', TRACKER_LIMITS.maxAddrs).map(a => asText(a, 'addr', 512))
      }
    }
    if (r === 'announce') {
      return {
        type: 'announce_ok', t,
        interval: asInt(e.get('interval'), 'interval', 1, 86400),
        complete: asInt(e.get('complete'), 'complete'),
        incomplete: asInt(e.get('incomplete'), 'incomplete'),
        peers: asList(e.get('peers'), 'peers', TRACKER_LIMITS.maxPeers).map(p => {
          const pd = asDict(p, 'peer')
          return { id: asText(pd.entries.get('peer id'), 'peer id', 128), addrs: asList(pd.entries.get('addrs'), 'addrs', TRACKER_LIMITS.maxAddrs).map(a => asText(a, 'addr', 512)) }
        })
      }
    }
    if (q === 'scrape') return { type: 'scrape', t, infoHashes: asList(e.get('info_hash'), 'info_hash', TRACKER_LIMITS.maxScrape).map(h => hash20(h, 'info_hash')) }
    if (r === 'scrape') {
      return {
        type: 'scrape_ok', t,
        files: asList(e.get('files'), 'files', TRACKER_LIMITS.maxScrape).map(f => {
          const fd = asDict(f, 'file').entries
          return { infoHash: hash20(fd.get('info_hash'), 'info_hash'), complete: asInt(fd.get('complete'), 'complete'), incomplete: asInt(fd.get('incomplete'), 'incomplete'), downloaded: asInt(fd.get('downloaded'), 'downloaded') }
        })
      }
    }
    // a query or reply name we do not know is a newer peer's message; neither one is garbage
    if (q !== undefined) throw new UnknownTypeError(`q=${q}`, `tracker: unknown query ${JSON.stringify(q)}`)
    if (r !== undefined) throw new UnknownTypeError(`r=${r}`, `tracker: unknown reply ${JSON.stringify(r)}`)
    throw new DecodeError('tracker: neither a query, a reply nor a failure')
  })
}

export const trackerCodec: Codec<TrackerMsg> = {
  // a literal, not TRACKER_LIMITS.maxFrame: a property read at module level keeps bundlers from dropping this codec
  maxFrameBytes: 256 * 1024,
  encode,
  decode,
  typeOf: m => m.type
}
