/**
 * Runs `overlaykit node`: a long-lived real node with the chosen overlays. Prints its peer id and
 * multiaddrs as the first JSON line on stdout, joins through the bootstrap peers, then serves the
 * JSON-lines control surface (control.ts) until `stop`, SIGINT or SIGTERM.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { toJsonSafe } from '../../report/io.js'
import { addrsOf, createLiveNode } from '../live.js'
import { startControl, type ControlRequest } from './control.js'
import type { NodeOps, NodeOpsContext, NodeOpsFactory } from '../../overlay/node-ops.js'
import { KITS, type OverlayKit } from '../../overlays.js'
import { nodeLimitsStatus } from '../../runtime/libp2p/status.js'
import { connectionLimits, type ConnectionProfile } from '../../runtime/libp2p/limits.js'
import { semiSpaceCapMiB } from './respawn.js'

/** The overlays `overlaykit node` can run: every registry entry with node operations. */
export function nodeOverlays (): Map<string, NodeOpsFactory> {
  return new Map((KITS as readonly OverlayKit[]).flatMap(k => k.node !== undefined ? [[k.name, k.node] as const] : []))
}

/** Loads the node's key from `file`, creating it (Ed25519) on first use, so the peer id survives restarts. */
export async function loadOrCreateKey (file: string): Promise<PrivateKey> {
  try {
    return privateKeyFromProtobuf(await readFile(file))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read key file ${file}: ${(err as Error).message}`)
    const key = await generateKeyPair('Ed25519')
    await writeFile(file, privateKeyToProtobuf(key), { mode: 0o600 })
    return key
  }
}

export interface NodeRunOptions {
  overlays: string[]
  listen?: string[]
  bootstrap: string[]
  ws: boolean
  announce: string[]
  keyFile?: string
  seed: string
  /** key=value overlay options (`--opt`) */
  options: Record<string, string>
  /** Also run a circuit relay v2 server (`--relay`). @default false */
  relay?: boolean
  /** Connection admission profile (`--limits`, docs/limits.md). @default 'node' */
  limits?: ConnectionProfile
  /** @default process.stdin */
  input?: NodeJS.ReadableStream
  /** Stop when the input ends (`--exit-on-eof`); otherwise say that requests are no longer read and keep running. @default false */
  exitOnEof?: boolean
}

export async function runNode (o: NodeRunOptions): Promise<void> {
  const available = nodeOverlays()
  const chosen: Array<NodeOps & { name: string }> = []
  for (const name of o.overlays) {
    const make = available.get(name)
    if (make === undefined) throw new Error(`no node support for overlay "${name}"; available: ${[...available.keys()].join(', ') || 'none'}`)
    chosen.push({ name, ...make(o.options, o.seed) })
  }
  if (chosen.length === 0) throw new Error('choose at least one --overlay')
  const write = (obj: Record<string, unknown>): void => { process.stdout.write(JSON.stringify(toJsonSafe(obj)) + '\n') }
  const log = (line: string): void => { process.stderr.write(line + '\n') }
  const services: Record<string, (components: any) => unknown> = {}
  for (const a of chosen) Object.assign(services, a.services)
  const listen = o.listen ?? ['/ip4/0.0.0.0/tcp/0', ...(o.ws ? ['/ip4/0.0.0.0/tcp/0/ws'] : [])]
  if (o.ws && !listen.some(a => a.includes('/ws'))) listen.push('/ip4/0.0.0.0/tcp/0/ws')
  const node = await createLiveNode({
    transport: 'tcp',
    listen,
    ws: o.ws,
    announce: o.announce,
    services,
    network: { relay: o.relay === true },
    limits: o.limits ?? 'node',
    ...(o.keyFile !== undefined ? { privateKey: await loadOrCreateKey(o.keyFile) } : {})
  })
  const every = (ms: number, fn: () => void): () => void => {
    const timer = setInterval(fn, ms)
    timer.unref()
    const cancel = (): void => { clearInterval(timer) }
    node.addEventListener('stop', cancel, { once: true })
    return cancel
  }
  const ctx: NodeOpsContext = { node, bootstrap: o.bootstrap, emit: (e) => write(e), log, options: o.options, now: () => performance.now(), every }
  const controller = new AbortController()
  let stopping: Promise<void> | undefined
  const stop = async (): Promise<void> => {
    stopping ??= (async () => {
      controller.abort()
      for (const a of chosen) { try { await a.leave?.(ctx) } catch (err) { log(`leave ${a.name}: ${(err as Error).message}`) } }
      await node.stop()
    })()
    await stopping
  }
  const done = new Promise<void>((resolve) => {
    const onSignal = (): void => { void stop().then(resolve, resolve) }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    node.addEventListener('stop', () => {
      process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal)
      resolve()
    })
  })

  write({ event: 'listening', peerId: node.peerId.toString(), addrs: addrsOf(node), overlays: chosen.map(a => a.name) })
  log(`overlaykit node ${node.peerId.toString()} (${chosen.map(a => a.name).join(', ')})`)
  for (const a of addrsOf(node)) log(`  listening on ${a}`)

  const handle = async (req: ControlRequest): Promise<unknown> => {
    switch (req.op) {
      case 'help': return {
        builtin: ['help', 'status', 'peers', 'connect <multiaddr>', 'stop'],
        overlays: Object.fromEntries(chosen.map(a => [a.name, Object.keys(a.ops)]))
      }
      case 'status': return {
        peerId: node.peerId.toString(),
        addrs: addrsOf(node),
        connections: node.getConnections().length,
        // how each connection travels: relayed ones are limited (control traffic only)
        links: node.getConnections().map(c => ({ peer: c.remotePeer.toString(), addr: c.remoteAddr.toString(), limited: c.limits !== undefined })),
        overlays: Object.fromEntries(chosen.map(a => [a.name, a.status?.(ctx) ?? {}])),
        // per overlay: bytes held for peers, worst scores, refused peers, drops and penalties (docs/limits.md)
        limits: nodeLimitsStatus(node),
        // connection admission in force (libp2p connection manager)
        admission: { profile: o.limits ?? 'node', ...connectionLimits(o.limits ?? 'node') },
        // V8's young-generation cap in force (MiB per semi-space; null: V8's default), see respawn.ts
        runtime: { node: process.version, pid: process.pid, semiSpaceCapMiB: semiSpaceCapMiB() ?? null }
      }
      case 'peers': return node.getPeers().map(p => p.toString())
      case 'connect': {
        if (typeof req.peer !== 'string') throw new Error('connect needs "peer": a multiaddr')
        const { multiaddr } = await import('@multiformats/multiaddr')
        const c = await node.dial(multiaddr(req.peer), { signal: AbortSignal.timeout(10_000) })
        return { peer: c.remotePeer.toString() }
      }
      case 'stop': setImmediate(() => { void stop() }); return { stopping: true }
    }
    const owners = chosen.filter(a => req.op in a.ops && (req.overlay === undefined || req.overlay === a.name))
    if (owners.length === 0) {
      throw new Error(req.overlay !== undefined && !chosen.some(a => a.name === req.overlay)
        ? `this node does not run ${req.overlay}`
        : `unknown op "${req.op}"${req.overlay !== undefined ? ` for ${req.overlay}` : ''} (try "help")`)
    }
    if (owners.length > 1) throw new Error(`"${req.op}" is offered by ${owners.map(a => a.name).join(' and ')}: add "overlay"`)
    const { op: _op, overlay: _overlay, id: _id, ...args } = req
    return await owners[0].ops[req.op](args, ctx, controller.signal)
  }

  for (const a of chosen) {
    try {
      await a.join(ctx)
      write({ event: 'joined', overlay: a.name, bootstrap: o.bootstrap.length })
    } catch (err) {
      write({ event: 'join-failed', overlay: a.name, error: (err as Error).message })
    }
  }
  const control = startControl(handle, write, o.input, () => {
    write({ event: 'stdin-closed', stopping: o.exitOnEof === true })
    if (o.exitOnEof === true) { void stop(); return }
    log('overlaykit node: stdin closed, so no more requests are read; the node keeps running until SIGINT or SIGTERM (--exit-on-eof stops it instead)')
  })
  try {
    await done
  } finally {
    control.close()
    await stop()
    write({ event: 'stopped' })
  }
}
