/**
 * One torrent on one node: the BEP 3 peer wire, piece selection, choking, verification and
 * storage, as a synchronous machine. It does not find peers itself: the public API (tracker,
 * ContentRouting), the simulator harness or a TCP endpoint hand it peers through `connect()`, and
 * peers that dial in are accepted on their handshake. Connections are torrent-specific, so one
 * machine serves one torrent (a node runs one machine per torrent).
 */
import { Bitfield } from './bitfield.js'
import { Choking } from './choker.js'
import { pieceSize, type Metainfo } from './metainfo.js'
import { Peer, rememberReleased } from './peer.js'
import { PiecePicker } from './picker.js'
import type { PieceStore } from './store.js'
import { Pieces } from './pieces.js'
import { MAX_REQUEST, type WireMsg } from './wire.js'
import { Uploader } from './uploader.js'
import { Requester } from './requester.js'
import { SuperSeeder } from './superseed.js'
import { Handshakes } from './handshake.js'
import { resolveOptions, type ResolvedOptions, type TorrentOptions, type TorrentProgress } from './options.js'
import type { Env, IoResult, Machine, PeerRef } from '../overlay/types.js'

export type { TorrentOptions, TorrentProgress, TorrentEvent } from './options.js'

export class TorrentMachine implements Machine<WireMsg> {
  readonly meta: Metainfo
  readonly picker: PiecePicker
  readonly peers = new Map<string, Peer>()
  readonly banned = new Set<string>()
  readonly peerId: Uint8Array
  /** Storage, verification, resume and byte counts (pieces.ts). */
  private readonly pieces: Pieces
  private readonly o: ResolvedOptions
  private readonly uploads: Uploader
  private readonly requests: Requester
  private readonly choking: Choking
  private readonly superSeeder: SuperSeeder | undefined
  /** Handshakes, what we hold told once per connection, BEP 10/9 extensions (handshake.ts). */
  private readonly hello: Handshakes
  private ready = false
  private stopped = false
  private paused: boolean
  uploaded = 0
  downloaded = 0

  constructor (private readonly env: Env<WireMsg, any>, opts: TorrentOptions) {
    this.meta = opts.metainfo
    const m = this.meta
    this.o = resolveOptions(opts)
    this.paused = this.o.paused
    const kind = opts.storage ?? (opts.content === undefined && env.io !== undefined ? 'io' : 'memory')
    this.picker = new PiecePicker(m.pieceCount, i => pieceSize(m, i), env.rng.fork('picker'), { randomFirst: this.o.randomFirst, endgame: this.o.endgame, virtual: kind === 'virtual' })
    this.pieces = new Pieces({
      env,
      meta: m,
      picker: this.picker,
      peers: this.peers,
      banThreshold: this.o.banThreshold,
      stopped: () => this.stopped,
      send: (p, msg) => { this.send(p, msg) },
      fillAll: () => { this.requests.fillAll() },
      updateInterest: (p) => { this.requests.updateInterest(p) },
      ban: (id) => { this.ban(id) }
    }, opts, this.o.storePrefix, kind)
    if (opts.peerId !== undefined && opts.peerId.length === 20) this.peerId = opts.peerId
    else {
      this.peerId = new Uint8Array(20)
      this.peerId.set(new TextEncoder().encode('-OK0100-'))
      this.peerId.set(env.rng.bytes(12), 8)
    }
    this.hello = new Handshakes({
      env,
      meta: m,
      picker: this.picker,
      peers: this.peers,
      peerId: this.peerId,
      maxPeers: this.o.maxPeers,
      ready: () => this.ready,
      superSeeding: () => this.superSeeding,
      offerPieces: (p) => { this.offerPieces(p) },
      send: (p, msg) => { this.send(p, msg) },
      violation: (p, what, fatal) => { this.violation(p, what, fatal) },
      close: (p, reason) => { this.close(p, reason) }
    })
    this.uploads = new Uploader({
      env,
      store: this.pieces.store,
      pieceLength: m.pieceLength,
      connected: (p) => this.peers.get(p.id) === p,
      paused: () => this.paused,
      send: (p, msg) => { this.send(p, msg) },
      sent: (p, n) => { p.uploaded += n; p.upWindow += n; this.uploaded += n },
      idle: () => {
        if (!this.superSeeding || !this.superSeeder!.grow()) return
        this.env.stats.inc('bt:superseed_grow')
        for (const p of this.peers.values()) if (p.ready && p.announced) this.offerPieces(p)
      }
    }, opts.uploadRate)
    this.requests = new Requester({
      env,
      picker: this.picker,
      peers: this.peers,
      pieceCount: m.pieceCount,
      active: () => this.ready && !this.paused && !this.stopped,
      paused: () => this.paused,
      send: (p, msg) => { this.send(p, msg) },
      violation: (p, what, fatal) => { this.violation(p, what, fatal) },
      received: (p, n) => { p.downloaded += n; p.downWindow += n; this.downloaded += n }
    }, this.o, opts.downloadRate)
    this.choking = new Choking({
      peers: this.peers,
      now: () => env.now(),
      rng: env.rng,
      unchoke: (p) => { p.amChoking = false; this.send(p, { type: 'unchoke' }) },
      choke: (p) => {
        p.amChoking = true
        this.send(p, { type: 'choke' })
        this.uploads.drop(p)
      },
      snubbed: (p, first) => { if (first) this.env.stats.inc('bt:snubbed'); this.requests.releaseAll(p) }
    }, this.o)
    if (this.o.superSeed) this.superSeeder = new SuperSeeder(m.pieceCount, this.picker.availability, env.rng.fork('superseed'))
    this.selectFiles(opts.files)
    if (this.o.seed) for (let i = 0; i < m.pieceCount; i++) this.picker.markHave(i)
    this.pieces.recount()
  }

  // ---------------------------------------------------------------- lifecycle

  start (): void {
    this.env.setTimer('rechoke', this.o.rechokeMs)
    this.env.setTimer('keepalive', Math.min(this.o.keepaliveMs / 2, this.o.snubMs / 2))
    const resume = this.pieces.resume
    if (resume !== undefined && !this.o.seed) {
      resume.load(bits => {
        if (bits !== undefined) for (let i = 0; i < bits.length; i++) if (bits.get(i)) this.picker.markHave(i)
        this.pieces.recount()
        this.becomeReady()
      })
    } else this.becomeReady()
  }

  private becomeReady (): void {
    this.ready = true
    this.env.emit({ type: 'bittorrent:ready' })
    for (const p of this.peers.values()) {
      if (p.sentHandshake) this.hello.announceHave(p)
      this.requests.recomputeUseful(p)
    }
    this.pieces.checkComplete()
  }

  stop (): void {
    if (this.stopped) return
    this.stopped = true
    this.pieces.persist(true)
    for (const key of ['rechoke', 'keepalive', 'up', 'idle', 'down', 'persist']) this.env.clearTimer(key)
    for (const p of [...this.peers.values()]) this.close(p, 'stopped')
  }

  /** Open a connection to a peer (from a tracker, ContentRouting, or the user). */
  connect (ref: PeerRef): boolean {
    if (this.stopped || ref.id === this.env.self.id || this.banned.has(ref.id) || this.peers.has(ref.id)) return false
    if (this.peers.size >= this.o.maxPeers) return false
    const p = new Peer(ref, this.meta.pieceCount, this.env.now(), true)
    this.peers.set(ref.id, p)
    this.hello.sendHandshake(p)
    return true
  }

  pause (): void {
    if (this.paused) return
    this.paused = true
    for (const p of this.peers.values()) {
      for (const b of p.outstanding.values()) this.send(p, { type: 'cancel', index: b.index, begin: b.begin, length: b.length })
      this.requests.releaseAll(p)
      if (!p.amChoking) { p.amChoking = true; this.send(p, { type: 'choke' }) }
      this.requests.updateInterest(p)
    }
    this.uploads.clear()
  }

  resumeTransfer (): void {
    if (!this.paused) return
    this.paused = false
    for (const p of this.peers.values()) this.requests.updateInterest(p)
    this.rechoke(false)
  }

  /** Change the file selection; deselected pieces stop being fetched at once. */
  selectFiles (files?: number[]): void {
    const m = this.meta
    const wantedFile = (k: number): boolean => files === undefined || files.includes(k)
    this.picker.setWanted(i => {
      const start = i * m.pieceLength
      const end = start + pieceSize(m, i)
      return m.files.some((f, k) => wantedFile(k) && f.length > 0 && f.offset < end && f.offset + f.length > start)
    })
    for (const p of this.peers.values()) {
      for (const [key, b] of p.outstanding) {
        if (this.picker.wanted[b.index] === 0) { p.outstanding.delete(key); rememberReleased(p, key); this.send(p, { type: 'cancel', index: b.index, begin: b.begin, length: b.length }) }
      }
      this.requests.recomputeUseful(p)
    }
    this.pieces.recount()
    this.pieces.completed = false
    if (this.ready) this.pieces.checkComplete()
  }

  /** Re-hash every piece we claim to have; pieces that fail are fetched again. */
  verify (done: (result: { checked: number, bad: number }) => void): void {
    this.pieces.verify(result => {
      this.pieces.recount()
      if (result.bad > 0) { this.pieces.completed = false; for (const p of this.peers.values()) { this.requests.recomputeUseful(p); this.requests.fill(p) } }
      this.pieces.persist(true)
      done(result)
    })
  }

  progress (): TorrentProgress {
    return this.pieces.progress({ downloaded: this.downloaded, uploaded: this.uploaded, paused: this.paused })
  }

  get done (): boolean { return this.picker.done }

  // ---------------------------------------------------------------- wire in

  onMessage (from: PeerRef, msg: WireMsg): void {
    if (this.stopped) return
    if (this.banned.has(from.id)) { this.env.stats.inc('bt:from_banned'); return }
    let p = this.peers.get(from.id)
    if (msg.type === 'handshake') { this.hello.onHandshake(from, p, msg); return }
    if (p === undefined || !p.gotHandshake) {
      this.env.stats.inc('bt:no_handshake')
      this.env.emit({ type: 'bittorrent:disconnect', peer: from.id, reason: 'message before handshake' })
      return
    }
    p.lastRecvAt = this.env.now()
    if (msg.type === 'extended') { this.hello.onExtended(p, msg.ext, msg.payload); return }
    const first = !p.gotFirst
    p.gotFirst = true
    switch (msg.type) {
      case 'keepalive': return
      // BEP 3: a choke discards our pending requests
      case 'choke': p.peerChoking = true; this.requests.releaseAll(p); this.requests.fillAll(); return
      case 'unchoke': p.peerChoking = false; this.requests.fill(p); return
      case 'interested': p.peerInterested = true; this.fillSlots(); return
      case 'not_interested':
        p.peerInterested = false
        // a super-seed's fresh offer crosses the peer's not-interested on the wire: keep the slot
        if (this.superSeeding && this.superSeeder!.offersFor(p.id, p.have)) return
        if (!p.amChoking) { p.amChoking = true; this.send(p, { type: 'choke' }); this.fillSlots() }
        return
      case 'have': {
        if (msg.index >= this.meta.pieceCount) { this.violation(p, 'have out of range', true); return }
        if (p.have.get(msg.index)) return
        p.have.set(msg.index)
        this.picker.addHave(msg.index)
        if (this.superSeeding && this.superSeeder!.isOffered(p.id, msg.index)) this.offerPieces(p)
        if (this.picker.wanted[msg.index] === 1 && !this.picker.have.get(msg.index)) {
          p.useful++
          this.requests.updateInterest(p)
          this.requests.fill(p)
        }
        return
      }
      case 'bitfield': {
        if (!first) { this.violation(p, 'bitfield after the first message', true); return }
        let bits: Bitfield
        try { bits = new Bitfield(this.meta.pieceCount, msg.bits) } catch { this.violation(p, 'bitfield of the wrong length', true); return }
        for (let i = 0; i < bits.length; i++) if (bits.get(i)) { p.have.set(i); this.picker.addHave(i) }
        if (this.superSeeding && p.announced) this.offerPieces(p)
        this.requests.recomputeUseful(p)
        return
      }
      case 'request': this.onRequest(p, msg); return
      case 'piece': this.onPiece(p, msg); return
      case 'cancel': {
        this.uploads.cancel(p, msg.index, msg.begin, msg.length)
        return
      }
      default:
        this.env.stats.inc('bt:ignored_' + msg.type)
    }
  }

  private get superSeeding (): boolean { return this.superSeeder !== undefined && this.picker.have.count === this.meta.pieceCount }

  private offerPieces (p: Peer): void {
    for (const i of this.superSeeder!.update(p.id, p.have)) this.send(p, { type: 'have', index: i })
  }

  private onRequest (p: Peer, r: { index: number, begin: number, length: number }): void {
    const m = this.meta
    if (r.index >= m.pieceCount || r.length === 0 || r.length > MAX_REQUEST || r.begin + r.length > pieceSize(m, r.index)) {
      this.violation(p, r.length > MAX_REQUEST ? 'request over 16 KiB' : 'request beyond the piece', true)
      return
    }
    if (!this.picker.have.get(r.index)) { this.violation(p, 'request for a piece we lack', false); return }
    if (p.amChoking) { this.env.stats.inc('bt:request_while_choked'); return }
    // each peer's pending requests are bounded (an honest pipeline is at most maxPipeline, 250)
    if (p.queued >= this.o.maxQueuedRequests) { this.env.stats.inc('bt:request_dropped'); return }
    this.uploads.enqueue(p, r.index, r.begin, r.length)
  }

  private onPiece (p: Peer, msg: { index: number, begin: number, block: Uint8Array }): void {
    const done = this.requests.onBlock(p, msg)
    if (done === null) return
    if (done !== undefined) this.pieces.finish(done)
    this.requests.fill(p)
  }

  // ---------------------------------------------------------------- pieces (see pieces.ts)

  /** Where verified pieces are kept (memory, io or virtual). */
  get store (): PieceStore { return this.pieces.store }

  private ban (id: string): void {
    this.banned.add(id)
    this.env.stats.inc('bt:banned')
    this.env.emit({ type: 'bittorrent:ban', peer: id })
    const p = this.peers.get(id)
    if (p !== undefined) this.close(p, 'banned: corrupt data')
  }

  // ---------------------------------------------------------------- choking (see choker.ts)

  private fillSlots (): void { if (!this.paused) this.choking.fillSlots() }

  private rechoke (measure: boolean): void {
    this.choking.measure(measure)
    if (!this.paused) this.choking.rechoke(this.picker.done)
    this.requests.fillAll()
  }

  // ---------------------------------------------------------------- timers and io

  onTimer (key: string): void {
    if (this.stopped) return
    const now = this.env.now()
    switch (key) {
      case 'rechoke': this.rechoke(true); this.env.setTimer('rechoke', this.o.rechokeMs); return
      case 'up': this.uploads.pump(); return
      case 'idle': this.uploads.idleCheck(); return
      case 'down': this.requests.fillAll(); return
      case 'persist': this.pieces.persist(true); return
      case 'keepalive': {
        for (const p of [...this.peers.values()]) {
          if (now - p.lastRecvAt > this.o.keepaliveMs * 1.5) { this.close(p, 'idle'); continue }
          if (p.ready && now - p.lastSentAt >= this.o.keepaliveMs) this.send(p, { type: 'keepalive' })
        }
        this.env.setTimer('keepalive', Math.min(this.o.keepaliveMs / 2, this.o.snubMs / 2))
      }
    }
  }

  onIo (token: string, result: IoResult): void {
    this.pieces.onIo(token, result)
  }

  onPeerUnreachable (peer: PeerRef): void {
    const p = this.peers.get(peer.id)
    if (p !== undefined) this.forget(p)
  }

  // ---------------------------------------------------------------- helpers

  private send (p: Peer, msg: WireMsg): void {
    p.lastSentAt = this.env.now()
    if (msg.type !== 'handshake') p.sentAfterHandshake = true
    this.env.send(p.ref, msg)
  }

  private violation (p: Peer, what: string, fatal: boolean): void {
    this.env.stats.inc('bt:violation')
    this.env.log('peer %s: %s', p.id, what)
    if (fatal || ++p.bad >= this.o.maxViolations) this.close(p, what)
  }

  /** Close a connection: forget the peer and ask the driver to drop the transport. */
  private close (p: Peer, reason: string): void {
    this.forget(p)
    this.env.emit({ type: 'bittorrent:disconnect', peer: p.id, reason })
  }

  private forget (p: Peer): void {
    if (this.peers.get(p.id) !== p) return
    this.peers.delete(p.id)
    for (const b of p.outstanding.values()) this.picker.release(b)
    p.outstanding.clear()
    this.picker.removePeer(p.have)
    this.uploads.drop(p)
    this.choking.forget(p.id)
    this.superSeeder?.forget(p.id)
    this.env.emit({ type: 'bittorrent:peer', peer: p.id, state: 'closed' })
    if (!p.amChoking && p.peerInterested) this.fillSlots()
    this.requests.fillAll()
  }
}
