/**
 * (d) A swarm of tabs: with `?relay=<ws multiaddr of overlaykit node --relay --ws>` this tab runs a
 * libp2p node with chord, gossip and bittorrent, reserves a slot on the relay and announces a WebRTC
 * address. Tabs of this page find each other through a BroadcastChannel (same origin, no server):
 * each tab says hello with its WebRTC address, a new tab joins the Chord ring through any tab it
 * hears from, and the gossip group is the tabs it is connected to. "Seed" makes a file and gossips
 * its .torrent; another tab's "Download" fetches it page to page over WebRTC. The connection table
 * shows how every connection travels: direct WebRTC, relayed (limited), or WebSockets.
 *
 * State for tests: `window.overlaykitDemo.swarm`.
 */
import { createBrowserNode, chord, gossip, bittorrent } from '../../src/browser/index.js'

export interface SwarmState {
  peerId?: string
  /** This tab's Chord id (hex). */
  id?: string
  webrtc?: string
  joined: boolean
  successor?: string
  members: string[]
  connections: Array<{ peer: string, kind: string, addr: string, limited: boolean }>
  messages: Array<{ from?: string, text: string }>
  torrents: Array<{ name: string, infoHash: string, torrent: string, seeder: string }>
  downloads: Array<{ name: string, bytes: number, ms: number, sha256: string, over: string[] }>
  error?: string
}

const kindOf = (addr: string): string => addr.includes('/webrtc') ? 'WebRTC (direct)' : addr.includes('/p2p-circuit') ? 'relayed (limited)' : /\/wss?(\/|$)/.test(addr) ? 'WebSockets' : 'other'
const hex = (b: Uint8Array): string => Array.from(b, x => x.toString(16).padStart(2, '0')).join('')
const b64 = (b: Uint8Array): string => { let s = ''; for (const x of b) s += String.fromCharCode(x); return btoa(s) }
const unb64 = (s: string): Uint8Array => Uint8Array.from(atob(s), c => c.charCodeAt(0))

export async function startSwarm (relay: string, el: (id: string) => HTMLElement, state: SwarmState, report: (err: unknown) => void): Promise<void> {
  const status = el('swarm-status')
  status.textContent = `reserving a slot on the relay ${relay}…`
  const node: any = await createBrowserNode({
    relays: [relay],
    allowPrivateAddresses: true,
    services: {
      chord: chord({ stabilizeMs: 500, fixFingersMs: 250, rpcTimeoutMs: 3000 }),
      gossip: gossip({ periodMs: 200, antiEntropy: { periodMs: 1000, mode: 'push-pull' } }),
      bittorrent: bittorrent()
    }
  })
  state.peerId = node.peerId.toString()
  for (let i = 0; i < 200 && state.webrtc === undefined; i++) {
    state.webrtc = node.getMultiaddrs().map(String).find((a: string) => a.includes('/p2p-circuit/webrtc/'))
    if (state.webrtc === undefined) await new Promise(resolve => setTimeout(resolve, 100))
  }
  if (state.webrtc === undefined) throw new Error('no relay reservation within 20 s')
  status.textContent = `this tab is peer ${state.peerId}\nreachable over WebRTC at ${state.webrtc}`

  // tabs of this origin introduce themselves; the first one heard is the way into the ring
  const channel = new BroadcastChannel('overlaykit-demo-swarm')
  const known = new Map<string, string>()
  let joining = false
  const hello = (): void => { channel.postMessage({ type: 'hello', peer: state.peerId, webrtc: state.webrtc, joined: state.joined }) }
  channel.onmessage = (ev: MessageEvent) => {
    const m = ev.data as { type: string, peer: string, webrtc: string, joined: boolean }
    if (m.type !== 'hello' || m.peer === state.peerId) return
    if (!known.has(m.peer)) { known.set(m.peer, m.webrtc); hello() }
    // the tab with the smaller id founds the ring when neither has joined; the other joins through it
    if (!state.joined && !joining && (m.joined || m.peer < (state.peerId ?? ''))) {
      joining = true
      node.services.chord.join(m.webrtc, { signal: AbortSignal.timeout(20_000) })
        .then(() => { state.joined = true; hello() })
        .catch((err: Error) => { report(err) })
        .finally(() => { joining = false })
    }
  }
  hello()
  // alone after a second: this tab is the ring
  setTimeout(() => { if (!state.joined && !joining && known.size === 0) { state.joined = true; hello() } }, 1000)
  setInterval(hello, 3000)

  node.services.gossip.onEvent((e: any) => {
    if (e.type !== 'gossip:deliver') return
    const text = new TextDecoder().decode(e.data)
    if (e.topic === 'torrents') {
      try { state.torrents.push(JSON.parse(text)); renderTorrents() } catch (err) { report(err) }
    } else {
      state.messages.push({ from: e.origin, text })
      el('swarm-messages').textContent = state.messages.map(m => `${m.from?.slice(-6) ?? '?'}: ${m.text}`).join('\n')
    }
  })

  const renderTorrents = (): void => {
    const list = el('swarm-torrents')
    list.innerHTML = ''
    for (const t of state.torrents) {
      const li = document.createElement('li')
      li.textContent = `${t.name} (${t.infoHash.slice(0, 12)}…) seeded by …${t.seeder.slice(-6)} `
      if (t.seeder !== state.peerId) {
        const b = document.createElement('button')
        b.textContent = 'Download'
        b.onclick = () => { b.disabled = true; download(t).catch(report).finally(() => { b.disabled = false }) }
        li.appendChild(b)
      }
      list.appendChild(li)
    }
  }

  const download = async (t: SwarmState['torrents'][number]): Promise<void> => {
    const peer = known.get(t.seeder)
    if (peer === undefined) throw new Error(`no address for the seeder ${t.seeder}`)
    const t0 = performance.now()
    const over = new Set<string>()
    const d = await node.services.bittorrent.download(unb64(t.torrent), {
      peers: [peer],
      signal: AbortSignal.timeout(60_000),
      onProgress: () => { for (const c of node.getConnections()) if (c.remotePeer.toString() === t.seeder && c.streams.some((s: any) => s.protocol === '/overlaykit/bittorrent/1.0.0')) over.add(kindOf(c.remoteAddr.toString())) }
    })
    await d.done
    const bytes: Uint8Array = d.hosted.machine.store.bytes
    const sha256 = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)))
    state.downloads.push({ name: t.name, bytes: bytes.length, ms: performance.now() - t0, sha256, over: [...over] })
    el('swarm-downloads').textContent = state.downloads.map(x => `${x.name}: ${x.bytes} bytes in ${Math.round(x.ms)} ms over ${x.over.join(', ')}; SHA-256 ${x.sha256.slice(0, 16)}…`).join('\n')
  }

  ;(el('swarm-publish-form') as HTMLFormElement).onsubmit = (ev) => {
    ev.preventDefault()
    const input = el('swarm-text') as HTMLInputElement
    node.services.gossip.publish('chat', new TextEncoder().encode(input.value))
    state.messages.push({ from: state.peerId, text: input.value })
    el('swarm-messages').textContent = state.messages.map(m => `${m.from?.slice(-6) ?? '?'}: ${m.text}`).join('\n')
  }
  ;(el('swarm-seed') as HTMLButtonElement).onclick = async () => {
    try {
      const size = 4 * 1024 * 1024
      const content = new Uint8Array(size)
      // getRandomValues fills at most 64 KiB per call
      for (let off = 0; off < size; off += 65536) crypto.getRandomValues(content.subarray(off, off + 65536))
      const name = `tab-${state.peerId?.slice(-6) ?? ''}-${Date.now() % 100000}.bin`
      const t = await node.services.bittorrent.seed(content, { name, pieceLength: 262144 })
      const entry = { name, infoHash: t.infoHash, torrent: b64(t.torrentFile), seeder: state.peerId ?? '' }
      state.torrents.push(entry)
      renderTorrents()
      node.services.gossip.publish('torrents', new TextEncoder().encode(JSON.stringify(entry)))
    } catch (err) { report(err) }
  }
  ;(el('swarm-seed') as HTMLButtonElement).disabled = false

  // what the page shows (and tests read): ring position, members, every connection and how it travels
  const refresh = (): void => {
    try {
      const r = node.services.chord.ring()
      state.id = r.vnodes[0].id
      state.successor = r.vnodes[0].successors[0]
      state.connections = node.getConnections().map((c: any) => ({ peer: c.remotePeer.toString(), kind: kindOf(c.remoteAddr.toString()), addr: c.remoteAddr.toString(), limited: c.limits !== undefined }))
      state.members = [...known.keys()]
      el('swarm-ring').textContent = `ring: ${state.joined ? 'joined' : 'joining…'}; my id ${r.vnodes[0].id.slice(0, 12)}…, successor ${state.successor?.slice(0, 12) ?? '(none)'}…; tabs heard from: ${known.size}`
      const table = el('swarm-connections')
      table.innerHTML = '<tr><th>peer</th><th>how</th><th>address</th></tr>'
      for (const c of state.connections) {
        const tr = document.createElement('tr')
        tr.className = c.kind.startsWith('WebRTC') ? 'direct' : c.kind.startsWith('relayed') ? 'relayed' : 'ws'
        for (const text of [`…${c.peer.slice(-8)}${c.peer === relay.slice(relay.lastIndexOf('/') + 1) ? ' (relay)' : ''}`, c.kind, c.addr]) {
          const td = document.createElement('td'); td.textContent = text; tr.appendChild(td)
        }
        table.appendChild(tr)
      }
    } catch (err) { report(err) }
  }
  setInterval(refresh, 500)
  refresh()
}
