/**
 * A plain-TCP endpoint for the byte-stream driver (no libp2p): BitTorrent's peer wire with the
 * standard handshake, so ordinary BitTorrent clients — `webtorrent` in Node, for one — can exchange
 * pieces with our torrent machines. Driver code: it uses Node's `net`; the machine behind it is the
 * same one that runs over libp2p streams. Peer ids on this transport are "tcp:<host>:<port>".
 */
import * as net from 'node:net'
import { logger } from '@libp2p/logger'
import { WriteBatcher } from './batch.js'
import type { ConnSink, WireConn, WireTransport } from './host.js'
import type { PeerRef } from '../../overlay/types.js'

const log = logger('overlaykit:bytestream:tcp')

/** The host side a TCP endpoint needs: somewhere to hand accepted connections. */
export interface AcceptingHost {
  accept (ref: PeerRef, conn: WireConn): ConnSink
}

export function tcpPeerId (host: string, port: number): string {
  return host.includes(':') ? `tcp:[${host}]:${port}` : `tcp:${host}:${port}`
}

export function parseTcpPeerId (id: string): { host: string, port: number } | undefined {
  const m = /^tcp:(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(id)
  if (m === null) return undefined
  const port = Number(m[3])
  if (port < 1 || port > 65535) return undefined
  return { host: m[1] ?? m[2], port }
}

export interface TcpEndpointOptions {
  /** @default 0 (any free port) */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  /** Concurrent inbound connections. @default 200 */
  maxConnections?: number
}

function wrap (socket: net.Socket): WireConn {
  socket.setNoDelay(true)
  const batch = new WriteBatcher(bytes => { if (!socket.destroyed) socket.write(bytes) })
  return {
    write: (bytes, lazy) => { batch.write(bytes, lazy) },
    close: () => { batch.flush(); socket.destroy() }
  }
}

function pipe (socket: net.Socket, sink: ConnSink): void {
  socket.on('data', (b: Buffer) => { sink.data(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)) })
  socket.on('error', (err) => { log('socket error: %s', err.message) })
  socket.on('close', () => { sink.closed() })
}

export class TcpEndpoint implements WireTransport {
  private server: net.Server | undefined
  private readonly sockets = new Set<net.Socket>()
  port = 0

  constructor (private readonly host: AcceptingHost, private readonly opts: TcpEndpointOptions = {}) {}

  handles (ref: PeerRef): boolean { return parseTcpPeerId(ref.id) !== undefined }

  async listen (): Promise<number> {
    const server = net.createServer(socket => {
      this.track(socket)
      const ref = { id: tcpPeerId(socket.remoteAddress ?? '?', socket.remotePort ?? 0) }
      pipe(socket, this.host.accept(ref, wrap(socket)))
    })
    server.maxConnections = this.opts.maxConnections ?? 200
    this.server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => { server.off('error', reject); resolve() })
    })
    this.port = (server.address() as net.AddressInfo).port
    return this.port
  }

  /** "tcp:127.0.0.1:<port>": what other peers dial. */
  get peerId (): string { return tcpPeerId(this.opts.host ?? '127.0.0.1', this.port) }

  async dial (ref: PeerRef, sink: ConnSink): Promise<WireConn> {
    const addr = parseTcpPeerId(ref.id)
    if (addr === undefined) throw new Error(`not a TCP peer: ${ref.id}`)
    const socket = net.connect({ host: addr.host, port: addr.port })
    this.track(socket)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    pipe(socket, sink)
    return wrap(socket)
  }

  private track (socket: net.Socket): void {
    this.sockets.add(socket)
    socket.on('close', () => { this.sockets.delete(socket) })
  }

  async close (): Promise<void> {
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
    const server = this.server
    this.server = undefined
    if (server !== undefined) await new Promise<void>(resolve => { server.close(() => { resolve() }) })
  }
}
