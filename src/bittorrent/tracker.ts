/**
 * A BitTorrent tracker as a machine: the server keeps, per info hash, the peers that announced
 * (expired after two intervals without an announce) and answers with a random sample; the client
 * side sends announces and scrapes and correlates replies by `t`, with a timeout. One machine does
 * both, so any node can be a tracker (`serve: true`) and every node can use one.
 */
import { TimeoutError, ProtocolError } from '../overlay/errors.js'
import { toHex } from './sha1.js'
import { trackerCodec, type AnnounceEvent, type TrackerMsg, type TrackerPeer } from './tracker-codec.js'
import type { Env, Machine, OverlaySpec, PeerRef } from '../overlay/types.js'

export const TRACKER_PROTOCOL = '/overlaykit/bittorrent-tracker/1.0.0'

export interface TrackerOptions {
  /** Answer announces and scrapes. @default false */
  serve?: boolean
  /** Announce interval handed to clients, seconds. @default 60 */
  intervalSec?: number
  /** Peers returned per announce at most. @default 50 */
  maxPeersPerReply?: number
  /** Torrents tracked at most. @default 10000 */
  maxTorrents?: number
  /** Peers per torrent at most. @default 5000 */
  maxPeersPerTorrent?: number
  /** Client request timeout, ms. @default 10000 */
  timeoutMs?: number
}

export interface AnnounceParams {
  infoHash: Uint8Array
  peerId: Uint8Array
  event: AnnounceEvent
  left: number
  uploaded: number
  downloaded: number
  /** @default 50 */
  numwant?: number
  /** Our dialable addresses (multiaddrs). */
  addrs: string[]
}

export interface AnnounceReply { interval: number, complete: number, incomplete: number, peers: TrackerPeer[] }
export interface ScrapeEntry { infoHash: string, complete: number, incomplete: number, downloaded: number }

interface SwarmPeer { addrs: string[], left: number, seenAt: number }
interface Swarm { peers: Map<string, SwarmPeer>, downloaded: number }

export class TrackerMachine implements Machine<TrackerMsg> {
  readonly swarms = new Map<string, Swarm>()
  private readonly pending = new Map<number, (msg: TrackerMsg | Error) => void>()
  private nextT = 1
  private readonly o: Required<TrackerOptions>

  constructor (private readonly env: Env<TrackerMsg>, opts: TrackerOptions = {}) {
    this.o = {
      serve: opts.serve ?? false,
      intervalSec: opts.intervalSec ?? 60,
      maxPeersPerReply: opts.maxPeersPerReply ?? 50,
      maxTorrents: opts.maxTorrents ?? 10_000,
      maxPeersPerTorrent: opts.maxPeersPerTorrent ?? 5000,
      timeoutMs: opts.timeoutMs ?? 10_000
    }
  }

  start (): void { if (this.o.serve) this.env.setTimer('sweep', this.o.intervalSec * 1000) }
  stop (): void {
    for (const [t, cb] of this.pending) { this.env.clearTimer(`t:${t}`); cb(new Error('tracker client stopped')) }
    this.pending.clear()
  }

  announce (tracker: PeerRef, p: AnnounceParams, done: (err: Error | null, reply?: AnnounceReply) => void): () => void {
    return this.request(tracker, t => ({ type: 'announce', t, infoHash: p.infoHash, peerId: p.peerId, event: p.event, left: p.left, uploaded: p.uploaded, downloaded: p.downloaded, numwant: p.numwant ?? 50, addrs: p.addrs }), msg => {
      if (msg.type === 'announce_ok') done(null, { interval: msg.interval, complete: msg.complete, incomplete: msg.incomplete, peers: msg.peers })
      else done(new ProtocolError(msg.type === 'failure' ? msg.reason : `unexpected ${msg.type}`))
    }, done)
  }

  scrape (tracker: PeerRef, infoHashes: Uint8Array[], done: (err: Error | null, files?: ScrapeEntry[]) => void): () => void {
    return this.request(tracker, t => ({ type: 'scrape', t, infoHashes }), msg => {
      if (msg.type === 'scrape_ok') done(null, msg.files.map(f => ({ infoHash: toHex(f.infoHash), complete: f.complete, incomplete: f.incomplete, downloaded: f.downloaded })))
      else done(new ProtocolError(msg.type === 'failure' ? msg.reason : `unexpected ${msg.type}`))
    }, done)
  }

  private request (to: PeerRef, make: (t: number) => TrackerMsg, ok: (m: TrackerMsg) => void, fail: (err: Error) => void): () => void {
    const t = this.nextT++
    if (this.nextT >= 2 ** 31) this.nextT = 1
    this.pending.set(t, m => { if (m instanceof Error) fail(m); else ok(m) })
    this.env.setTimer(`t:${t}`, this.o.timeoutMs)
    this.env.send(to, make(t))
    return () => { this.pending.delete(t); this.env.clearTimer(`t:${t}`) }
  }

  onMessage (from: PeerRef, msg: TrackerMsg): void {
    if (msg.type === 'announce' || msg.type === 'scrape') {
      if (!this.o.serve) { this.env.send(from, { type: 'failure', t: msg.t, reason: 'not a tracker' }); return }
      this.env.send(from, msg.type === 'announce' ? this.onAnnounce(from, msg) : this.onScrape(msg))
      return
    }
    const cb = this.pending.get(msg.t)
    if (cb === undefined) { this.env.stats.inc('tracker:unsolicited'); return }
    this.pending.delete(msg.t)
    this.env.clearTimer(`t:${msg.t}`)
    cb(msg)
  }

  private onAnnounce (from: PeerRef, m: Extract<TrackerMsg, { type: 'announce' }>): TrackerMsg {
    const key = toHex(m.infoHash)
    let swarm = this.swarms.get(key)
    if (swarm === undefined) {
      if (this.swarms.size >= this.o.maxTorrents) return { type: 'failure', t: m.t, reason: 'tracker full' }
      swarm = { peers: new Map(), downloaded: 0 }
      this.swarms.set(key, swarm)
    }
    if (m.event === 'stopped') swarm.peers.delete(from.id)
    else {
      const had = swarm.peers.get(from.id)
      if (had === undefined && swarm.peers.size >= this.o.maxPeersPerTorrent) return { type: 'failure', t: m.t, reason: 'swarm full' }
      if (m.event === 'completed' && had !== undefined && had.left > 0) swarm.downloaded++
      const addrs = m.addrs.length > 0 ? m.addrs : [...(from.addrs ?? [])]
      swarm.peers.set(from.id, { addrs, left: m.left, seenAt: this.env.now() })
    }
    const others = [...swarm.peers.entries()].filter(([id]) => id !== from.id)
    const chosen = this.env.rng.sample(others, Math.min(m.numwant, this.o.maxPeersPerReply))
    let complete = 0
    for (const p of swarm.peers.values()) if (p.left === 0) complete++
    return { type: 'announce_ok', t: m.t, interval: this.o.intervalSec, complete, incomplete: swarm.peers.size - complete, peers: chosen.map(([id, p]) => ({ id, addrs: p.addrs })) }
  }

  private onScrape (m: Extract<TrackerMsg, { type: 'scrape' }>): TrackerMsg {
    return {
      type: 'scrape_ok', t: m.t,
      files: m.infoHashes.map(h => {
        const s = this.swarms.get(toHex(h))
        let complete = 0
        for (const p of s?.peers.values() ?? []) if (p.left === 0) complete++
        return { infoHash: h, complete, incomplete: (s?.peers.size ?? 0) - complete, downloaded: s?.downloaded ?? 0 }
      })
    }
  }

  onTimer (key: string): void {
    if (key === 'sweep') {
      const cutoff = this.env.now() - 2 * this.o.intervalSec * 1000
      for (const [k, s] of this.swarms) {
        for (const [id, p] of s.peers) if (p.seenAt < cutoff) s.peers.delete(id)
        if (s.peers.size === 0) this.swarms.delete(k)
      }
      this.env.setTimer('sweep', this.o.intervalSec * 1000)
      return
    }
    if (key.startsWith('t:')) {
      const t = Number(key.slice(2))
      const cb = this.pending.get(t)
      if (cb !== undefined) { this.pending.delete(t); cb(new TimeoutError('tracker did not answer')) }
    }
  }

  onPeerUnreachable (peer: PeerRef): void { this.env.stats.inc('tracker:unreachable'); void peer }
}

export const trackerSpec: OverlaySpec<TrackerMsg, TrackerOptions, TrackerMachine> = {
  name: 'bittorrent-tracker',
  protocol: TRACKER_PROTOCOL,
  codec: trackerCodec,
  create: (env, options) => new TrackerMachine(env, options)
}
