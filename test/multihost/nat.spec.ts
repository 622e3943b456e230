/**
 * Hosts behind NATs (issue 14), on network namespaces (nat.ts): a public host runs
 * `overlaykit node --relay`; two hosts, each behind its own masquerading router, listen on their
 * private address and reserve a slot on the relay (`--listen <relay>/p2p-circuit`), announcing
 * `<relay>/p2p-circuit/p2p/<host>`.
 *
 * - Neither NATed host can dial the other directly (checked first: the routers drop unsolicited
 *   inbound traffic), so the Chord ring and the gossip group form over relayed (limited) connections.
 * - DCUtR then tries to upgrade; the test reports whether the hole punch succeeded and asserts the
 *   overlays work either way.
 * - BitTorrent between the two: pieces never ride a limited connection. With a direct connection the
 *   download completes and is hash-checked; without one it cannot start, and the test asserts that
 *   limitation (nothing was transferred through the relay) and reports it.
 * Skipped, with the reason, without namespaces or without nft/iptables. Bounded; cleans up.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mainJs } from '../cli/helpers.js'
import { NodeProcess } from '../cli/node-process.js'
import { probeNetns } from './netns.js'
import { NatNet, natTool } from './nat.js'

interface Link { peer: string, addr: string, limited: boolean }

async function until (what: string, cond: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const t0 = Date.now()
  for (;;) {
    try { if (await cond()) return Date.now() - t0 } catch { /* poll again */ }
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 250))
  }
}

describe('multihost: two hosts behind NATs and a relay (circuit relay v2, DCUtR)', function () {
  this.timeout(180_000)
  let net: NatNet | undefined
  let work = ''
  const procs: NodeProcess[] = []

  before(async function () {
    const why = await probeNetns()
    const tool = await natTool()
    if (why !== null || tool === null) {
      console.log(`      (skipped: ${why ?? 'neither nft (Debian nftables) nor iptables is installed'})`)
      this.skip()
    }
    net = await NatNet.create(2, tool!)
    work = await mkdtemp(join(tmpdir(), 'overlaykit-nat-'))
  })

  after(async () => {
    await Promise.all(procs.map(async p => await p.stop(5000).catch(() => null)))
    await net?.destroy()
    if (work !== '') await rm(work, { recursive: true, force: true })
  })

  it('the NATed hosts form a ring and a gossip group through the relay, try DCUtR, and BitTorrent goes direct or reports why not', async () => {
    const v = net!
    const relay = new NodeProcess(v.spawn(v.pub.ns, process.execPath, [mainJs, 'node', '--overlay', 'ping', '--relay', '--listen', `/ip4/${v.pub.addr}/tcp/4001`]), 'relay')
    procs.push(relay)
    // the relay's public address is announced as it is (reachability 'public'), not left for AutoNAT to confirm
    const relayAddr = (await relay.listening()).find(a => a.includes(v.pub.addr)) ?? ''
    assert.ok(relayAddr.startsWith(`/ip4/${v.pub.addr}/tcp/4001/p2p/`), relayAddr)
    assert.equal(await v.tcpReachable(v.homes[0].ns, v.pub.addr, 4001), true, 'a home host reaches the relay through its NAT')

    const content = new Uint8Array(3_000_000)
    for (let i = 0, x = 5; i < content.length; i++) { x = (x * 1103515245 + 12345) >>> 0; content[i] = x >>> 24 }
    const dirs = [join(work, 'h1'), join(work, 'h2')]
    await writeFile(join(work, 'payload.bin'), content)
    const home = (k: number, bootstrap: string[]): NodeProcess => {
      const args = [mainJs, 'node', '--overlay', 'chord,gossip,bittorrent',
        '--listen', `/ip4/${v.homes[k].addr}/tcp/4001`, '--listen', `${relayAddr}/p2p-circuit`,
        '--opt', 'stabilizeMs=300', '--opt', 'fixFingersMs=200', '--opt', 'rpcTimeoutMs=2000', '--opt', 'periodMs=200', '--opt', 'antiEntropyMs=1000',
        '--opt', `dir=${k === 0 ? work : dirs[k]}`,
        ...bootstrap.flatMap(b => ['--bootstrap', b])]
      const p = new NodeProcess(v.spawn(v.homes[k].ns, 'env', ['DEBUG=libp2p:dcutr*', process.execPath, ...args]), `h${k + 1}`)
      procs.push(p)
      return p
    }
    const h1 = home(0, [])
    const h1Addrs = await h1.listening()
    const h1Relayed = h1Addrs.find(a => a.includes('/p2p-circuit/'))
    assert.ok(h1Relayed?.startsWith(`${relayAddr}/p2p-circuit/p2p/`), `h1 announces a relayed address: ${h1Addrs.join(' ')}`)
    // the NATs work: nothing outside reaches h1's listener directly
    assert.equal(await v.tcpReachable(v.homes[1].ns, v.homes[0].addr, 4001), false, 'h2 cannot dial h1 directly')
    assert.equal(await v.tcpReachable(v.pub.ns, v.homes[0].addr, 4001), false, 'the relay cannot dial h1 directly')
    assert.equal(await v.tcpReachable(v.homes[1].ns, v.routers[0], 4001), false, 'h1\'s router forwards nothing unsolicited')
    const h2 = home(1, [h1Relayed!])
    await h2.listening()
    await h2.waitLine(l => l.event === 'joined' && l.overlay === 'chord', 30_000, 'chord join through the relay')

    // 1. the ring of two and lookups that agree
    const ring = async (p: NodeProcess): Promise<{ id: string, successor?: string }> => (await p.request({ op: 'status' }, 5000)).result.overlays.chord.vnodes[0]
    const formed = await until('a ring of the two NATed hosts', async () => {
      const [a, b] = [await ring(h1), await ring(h2)]
      return a.successor === b.id && b.successor === a.id
    }, 30_000)
    const owner = async (p: NodeProcess): Promise<string> => (await p.request({ op: 'lookup', key: 'behind-nat' }, 10_000)).result.owner.id
    await until('both hosts find the same owner', async () => await owner(h1) === await owner(h2), 20_000)

    // 2. gossip both ways, each update once
    await h1.request({ op: 'publish', topic: 't', data: 'from h1' })
    await h2.request({ op: 'publish', topic: 't', data: 'from h2' })
    const got = (p: NodeProcess, data: string): number => p.lines.filter(l => l.event === 'gossip:deliver' && l.data === data).length
    const spread = await until('gossip across the NATs', async () => got(h2, 'from h1') >= 1 && got(h1, 'from h2') >= 1, 20_000)
    assert.equal(got(h2, 'from h1'), 1)
    assert.equal(got(h1, 'from h2'), 1)
    const links = async (p: NodeProcess): Promise<Link[]> => (await p.request({ op: 'status' }, 5000)).result.links
    const toH2 = (await links(h1)).filter(l => l.peer === h2.peerId)
    assert.ok(toH2.some(l => l.addr.includes('/p2p-circuit')), `h1 reached h2 through the relay: ${JSON.stringify(toH2)}`)

    // 3. DCUtR: did a direct (unlimited, non-relayed) connection appear?
    let direct: Link | undefined
    const punchMs = await until('a direct connection after DCUtR', async () => {
      direct = [...await links(h1), ...await links(h2)].find(l => (l.peer === h2.peerId || l.peer === h1.peerId) && !l.limited && !l.addr.includes('/p2p-circuit'))
      return direct !== undefined
    }, 15_000).catch(() => undefined)
    const punched = direct !== undefined
    // libp2p's own account of the attempt (the home hosts run with DEBUG=libp2p:dcutr*)
    const logLines = [h1, h2].flatMap(p => p.stderr.split('\n'))
    const why = (logLines.find(l => /libp2p:dcutr.*no dialable/.test(l)) ?? logLines.find(l => /libp2p:dcutr.*error/.test(l)))?.replace(/^\S+ /, '').replace(/\/p2p\/\w+/g, '/p2p/…').slice(0, 240)
    console.log(`      ring of 2 NATed hosts formed in ${formed} ms, gossip across in ${spread} ms (over ${toH2.map(l => l.addr.replace(/\/p2p\/\w+$/, '')).join(', ')})`)
    console.log(`      hole punch (DCUtR): ${punched ? `succeeded after ${String(punchMs)} ms: direct connection ${direct!.addr}` : `did not succeed within 15 s; the connection between the NATed hosts stays relayed. libp2p says: ${why ?? '(nothing logged)'}`}`)

    // 4. BitTorrent: h1 seeds, h2 downloads from h1 (its bootstrap peer)
    const seeded = (await h1.request({ op: 'seed', path: 'payload.bin' }, 20_000)).result
    const download = h2.request({ op: 'download', torrent: seeded.torrent, into: 'dl' }, punched ? 60_000 : 20_000, true)
    const reply = await download.catch((err: Error) => ({ ok: false, error: err.message }) as const)
    if (punched) {
      assert.equal(reply.ok, true, `the download completes over the direct connection: ${JSON.stringify(reply)}`)
      const bytes = await readFile(join(dirs[1], 'dl', 'payload.bin'))
      assert.equal(createHash('sha256').update(bytes).digest('hex'), createHash('sha256').update(content).digest('hex'))
      console.log(`      BitTorrent h1 → h2: ${content.length} bytes directly in ${String((reply as any).result.seconds)} s`)
    } else {
      // the limitation: pieces never cross a limited (relayed) connection, so nothing arrives
      assert.notEqual(reply.ok, true, 'without a direct connection the download cannot complete through the relay')
      const progress = h2.lines.filter(l => l.event === 'bittorrent:progress' && (l.bytes ?? 0) > 0)
      assert.equal(progress.length, 0, 'no piece came through the relay')
      console.log(`      BitTorrent h1 → h2: not possible without a direct connection (pieces are bulk traffic; the relay's limits are for control traffic): ${String((reply as any).error ?? '').replace(/\{.*\}/, '{download}').slice(0, 160)}`)
    }
  })
})
