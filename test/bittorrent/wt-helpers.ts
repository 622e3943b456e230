/** Helpers for running the stock `webtorrent` client in-process, loopback only, nothing automatic. */
// @ts-expect-error webtorrent ships no types
import WebTorrent from 'webtorrent'

export type WtClient = any

/**
 * A client with every discovery and NAT feature off: peers are added by hand over TCP on 127.0.0.1.
 * `secure: 0` turns off MSE/PE stream encryption (not part of BEP 3), which webtorrent otherwise
 * tries first when it dials out.
 */
export async function wtClient (opts: Record<string, unknown> = {}): Promise<WtClient> {
  const client = new WebTorrent({ dht: false, tracker: false, lsd: false, utp: false, webSeeds: false, natUpnp: false, natPmp: false, utPex: false, secure: 0, ...opts })
  client.on('error', (err: Error) => { console.error('webtorrent error', err.message) })
  if (!client.listening) await new Promise<void>(resolve => client.once('listening', () => { resolve() }))
  return client
}

export async function wtDestroy (client: WtClient): Promise<void> {
  await new Promise<void>(resolve => client.destroy(() => { resolve() }))
}
