/**
 * download(magnet): find peers (x.pe addresses, given peers, a tracker, ContentRouting), run a
 * MetadataMachine until some peer hands over an info dict that hashes to the info hash, then the
 * caller starts the real download with it.
 */
import { AbortError, TimeoutError } from '../../overlay/errors.js'
import { MetadataMachine } from '../metadata.js'
import type { Magnet } from '../magnet.js'
import type { Metainfo } from '../metainfo.js'
import type { TorrentServiceContext } from './context.js'
import type { ContentRouting } from '../../overlay/capabilities.js'
import type { PeerRef } from '../../overlay/types.js'

export interface FetchMetadataOptions {
  peers?: PeerRef[]
  tracker?: PeerRef
  contentRouting?: ContentRouting
  signal?: AbortSignal
  /** @default 60000 */
  timeoutMs?: number
  /** Re-run discovery this often while waiting, ms. @default 2000 */
  retryMs?: number
}

export async function fetchMetadata (service: TorrentServiceContext, magnet: Magnet, o: FetchMetadataOptions): Promise<Metainfo> {
  const hosted = service.host.addMachine(magnet.infoHash, env => new MetadataMachine(env, { infoHash: magnet.infoHashBytes }))
  const stop = new AbortController()
  const connect = (ref: PeerRef): void => { if (ref.id !== service.self.id) hosted.connect(ref) }
  const discover = async (): Promise<void> => {
    for (const p of o.peers ?? []) connect(p)
    const jobs: Array<Promise<void>> = []
    if (o.tracker !== undefined && service.trackerDriver.isStarted()) {
      jobs.push(new Promise<void>(resolve => {
        service.tracker.announce(o.tracker!, {
          infoHash: magnet.infoHashBytes, peerId: new Uint8Array(20).fill(0x2d), event: '', left: 1, uploaded: 0, downloaded: 0, numwant: 50, addrs: service.self.addrs as string[]
        }, (err, r) => { if (err === null) for (const p of r!.peers) connect(p); resolve() })
      }))
    }
    const cr = o.contentRouting
    if (cr !== undefined) {
      jobs.push((async () => {
        try { for await (const p of cr.findProviders(magnet.infoHashBytes, { signal: stop.signal, limit: 30 })) connect(p) } catch { /* retried next round */ }
      })())
    }
    await Promise.all(jobs)
  }
  try {
    return await new Promise<Metainfo>((resolve, reject) => {
      hosted.onEvents((e: any) => { if (e.type === 'bittorrent:metadata') resolve(e.metainfo as Metainfo) })
      const timer = setTimeout(() => { reject(new TimeoutError('no peer sent the metadata')) }, o.timeoutMs ?? 60_000)
      stop.signal.addEventListener('abort', () => { clearTimeout(timer) })
      o.signal?.addEventListener('abort', () => { reject(new AbortError()) }, { once: true })
      const loop = async (): Promise<void> => {
        while (!stop.signal.aborted) {
          await discover()
          await new Promise(resolve => setTimeout(resolve, o.retryMs ?? 2000))
        }
      }
      void loop()
    })
  } finally {
    stop.abort()
    await service.host.remove(magnet.infoHash)
  }
}
