/**
 * Real multi-host: five Linux network namespaces joined by veth links and a bridge (addresses
 * 10.231.x.y inside the namespaces only), one `overlaykit node --overlay chord,gossip` per host over
 * TCP. The Chord ring and the gossip group form across the hosts; one host is cut off and healed:
 * the ring re-merges, lookups resolve again, and gossip delivers every update published on either
 * side of the cut. Skipped, with the reason, where namespaces cannot be created (not root, no `ip`).
 */
import assert from 'node:assert/strict'
import { mainJs } from '../cli/helpers.js'
import { NodeProcess } from '../cli/node-process.js'
import { probeNetns, VirtualNet } from './netns.js'

const HOSTS = 5
const CUT = 3

interface VnodeStatus { id: string, predecessor?: string, successor?: string }

/** The successor pointers form one cycle through exactly these hosts' ids, in ring order. */
function ringOk (statuses: VnodeStatus[][]): boolean {
  const vnodes = statuses.flat()
  const ids = vnodes.map(v => v.id).sort((a, b) => { const x = BigInt('0x' + a); const y = BigInt('0x' + b); return x < y ? -1 : x > y ? 1 : 0 })
  const succ = new Map(vnodes.map(v => [v.id, v.successor]))
  return ids.every((id, i) => succ.get(id) === ids[(i + 1) % ids.length])
}

async function until (what: string, cond: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const t0 = Date.now()
  for (;;) {
    try { if (await cond()) return Date.now() - t0 } catch { /* a request during the cut may fail: poll again */ }
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 250))
  }
}

describe('multihost: overlaykit node on 5 network namespaces', function () {
  this.timeout(180_000)
  let net: VirtualNet | undefined
  const nodes: NodeProcess[] = []

  before(async function () {
    const why = await probeNetns()
    if (why !== null) {
      console.log(`      (skipped: ${why})`)
      this.skip()
    }
    net = await VirtualNet.create(HOSTS)
  })

  after(async () => {
    await Promise.all(nodes.map(async n => await n.stop(5000).catch(() => null)))
    await net?.destroy()
  })

  const status = async (i: number): Promise<VnodeStatus[]> => (await nodes[i].request({ op: 'status' }, 3000)).result.overlays.chord.vnodes
  const statuses = async (hosts: number[]): Promise<VnodeStatus[][]> => await Promise.all(hosts.map(status))
  /** host: id -> successor (pred predecessor), for failure messages. */
  const describe = async (hosts: number[]): Promise<string> => (await Promise.all(hosts.map(async i => {
    const st = await status(i).catch((e: Error) => e.message)
    return typeof st === 'string' ? `host${i}: ${st}` : `host${i}: ${st.map(v => `${v.id.slice(0, 8)} -> ${v.successor?.slice(0, 8) ?? 'none'} (pred ${v.predecessor?.slice(0, 8) ?? 'none'})`).join(', ')}`
  }))).join('; ')
  /** Who published what: a publisher has its update without a delivery event. */
  const publisher = new Map<string, number>()
  const deliveries = (i: number, data: string): number => nodes[i].lines.filter(l => l.event === 'gossip:deliver' && l.data === data).length
  const delivered = (i: number, data: string): boolean => publisher.get(data) === i || deliveries(i, data) > 0
  const publish = async (i: number, data: string): Promise<void> => { publisher.set(data, i); await nodes[i].request({ op: 'publish', topic: 't', data }) }
  const all = Array.from({ length: HOSTS }, (_, i) => i)

  /** Stops the nodes of an earlier attempt or case and restores the network. */
  const cleanSlate = async (): Promise<VirtualNet> => {
    const v = net as VirtualNet
    await Promise.all(nodes.splice(0).map(async n => await n.stop(5000).catch(() => null)))
    publisher.clear()
    await v.heal(CUT).catch(() => {})
    await v.unsplit().catch(() => {})
    return v
  }

  /** `rejoinCheckMs`: how often the CLI re-joins a host that is alone on its ring (overlaykit node's own fallback). */
  const startHost = (i: number, overlays: string, bootstrap: string[], rejoinCheckMs = 1000): NodeProcess => {
    const v = net as VirtualNet
    const args = [mainJs, 'node', '--overlay', overlays, '--listen', `/ip4/${v.hosts[i].addr}/tcp/4001`,
      '--opt', 'stabilizeMs=300', '--opt', 'fixFingersMs=200', '--opt', 'rpcTimeoutMs=1000', '--opt', 'checkPredecessorMs=1000',
      '--opt', 'periodMs=200', '--opt', 'antiEntropyMs=1000', '--opt', `rejoinCheckMs=${rejoinCheckMs}`,
      ...bootstrap.flatMap(b => ['--bootstrap', b])]
    const p = new NodeProcess(v.spawn(i, process.execPath, args), `host${i}`)
    nodes[i] = p
    return p
  }

  const ownerOf = async (i: number, key: string): Promise<string> => (await nodes[i].request({ op: 'lookup', key }, 8000)).result.owner.id
  // lookups agree once stabilization has settled every finger: poll (bounded) rather than take one sample
  const agreedOwner = async (what: string, hosts: number[], ok: (owner: string) => boolean = () => true): Promise<string[]> => {
    let last: string[] = []
    await until(what, async () => {
      last = await Promise.all(hosts.map(async i => await ownerOf(i, 'multihost-key')))
      return new Set(last).size === 1 && ok(last[0])
    }, 20_000).catch((err: Error) => { throw new Error(`${err.message}; owners seen: ${last.join(' ')}`) })
    return last
  }

  it('forms a ring and a gossip group, survives a cut host and re-merges after the heal', async function () {
    // Seen once in CI before Chord had its ring-merge check: the cut host's ring did not re-merge
    // within the limit after the heal (then only the CLI's re-join of a lone host brought it back).
    // Not reproduced since; one retry, from a clean slate (nodes stopped, link healed), stays as a guard.
    this.retries(1)
    const v = await cleanSlate()
    const start = (i: number, bootstrap: string[]): NodeProcess => startHost(i, 'chord,gossip', bootstrap)
    // 1. the ring and the group form across the hosts
    const [boot] = await start(0, []).listening()
    assert.ok(boot.startsWith(`/ip4/${v.hosts[0].addr}/tcp/4001/p2p/`), boot)
    for (let i = 1; i < HOSTS; i++) start(i, [boot])
    await Promise.all(nodes.map(async n => await n.listening()))
    await Promise.all(nodes.slice(1).map(async n => await n.waitLine(l => l.event === 'joined' && l.overlay === 'chord', 30_000, 'chord join')))
    const formed = await until('ring of 5', async () => ringOk(await statuses(all)), 40_000)
    const owners = await agreedOwner('every host finds the same owner', all)
    await publish(1, 'before the cut')
    await until('gossip before the cut', async () => all.every(i => delivered(i, 'before the cut')), 15_000).catch(async (err: Error) => {
      const peers = await Promise.all(all.map(async i => (await nodes[i].request({ op: 'peers', overlay: 'gossip' }, 3000, true)).result?.length))
      throw new Error(`${err.message}; delivered on ${all.filter(i => delivered(i, 'before the cut')).join(',')}; gossip peers per host ${peers.join(',')}`)
    })

    // 2. cut one host off: the other four repair their ring; both sides keep publishing
    await v.cut(CUT)
    const rest = all.filter(i => i !== CUT)
    const repaired = await until('ring of the other 4', async () => ringOk(await statuses(rest)), 40_000).catch(async (err: Error) => {
      throw new Error(`${err.message}; pointers per host: ${await describe(rest)}`)
    })
    const restOwners = await agreedOwner('the 4 agree on a live owner during the cut', rest, owner => owner !== nodes[CUT].peerId)
    assert.notEqual(restOwners[0], nodes[CUT].peerId, 'the cut host owns nothing on the other side')
    for (const k of [1, 2, 3]) await publish(rest[k % rest.length], `during the cut ${k}`)
    await publish(CUT, 'from the cut host')
    await until('gossip among the 4 during the cut', async () => rest.every(i => delivered(i, 'during the cut 3')), 15_000)
    assert.equal(delivered(CUT, 'during the cut 1'), false, 'nothing crosses the cut')

    // 3. heal: one ring of 5 again, lookups agree, every update reaches every host
    await v.heal(CUT)
    // each host runs Chord's ring-merge check (src/chord/merge.ts) and the cut host also re-joins
    // through its bootstrap peer when alone; a failure says where every host's pointers stand
    const merged = await until('ring of 5 after the heal', async () => ringOk(await statuses(all)), 60_000).catch(async (err: Error) => {
      throw new Error(`${err.message}; pointers per host: ${await describe(all)}`)
    })
    const after = await agreedOwner('every host finds the pre-cut owner after the heal', all, owner => owner === owners[0])
    assert.equal(after[0], owners[0], 'the owner is the one from before the cut')
    await publish(CUT, 'after the heal')
    const everything = ['before the cut', 'during the cut 1', 'during the cut 2', 'during the cut 3', 'from the cut host', 'after the heal']
    const spread = await until('every update on every host', async () => all.every(i => everything.every(d => delivered(i, d))), 30_000)
    // each update exactly once per host
    for (const i of all) {
      for (const d of everything) assert.equal(deliveries(i, d), publisher.get(d) === i ? 0 : 1, `host ${i} delivered "${d}" exactly once`)
    }
    console.log(`      ring formed in ${formed} ms, repaired in ${repaired} ms during the cut, merged ${merged} ms after the heal; gossip caught up in ${spread} ms; the cut host ${nodes[CUT].lines.some(l => l.event === 'chord:rejoined') ? 're-joined through its bootstrap peer (alone on its own ring)' : 'rejoined without a bootstrap re-join'}`)
  })

  it('Chord alone: a 2 | 3 split forms two rings, and they merge into one after the heal', async function () {
    // Chord's own ring-merge check (src/chord/merge.ts) must do it: the CLI's re-join of a host that
    // is alone is switched off (an hour), and classic Chord never merges two rings
    const v = await cleanSlate()
    const [boot] = await startHost(0, 'chord', [], 3_600_000).listening()
    for (let i = 1; i < HOSTS; i++) startHost(i, 'chord', [boot], 3_600_000)
    await Promise.all(nodes.map(async n => await n.listening()))
    await Promise.all(nodes.slice(1).map(async n => await n.waitLine(l => l.event === 'joined' && l.overlay === 'chord', 30_000, 'chord join')))
    await until('ring of 5', async () => ringOk(await statuses(all)), 40_000)
    const owners = await agreedOwner('every host finds the same owner', all)
    const sides = [[0, 2, 4], [1, 3]]
    await v.split(sides[1])
    const apart = await until('a ring on each side', async () => ringOk(await statuses(sides[0])) && ringOk(await statuses(sides[1])), 40_000).catch(async (err: Error) => {
      throw new Error(`${err.message}; pointers per host: ${await describe(all)}`)
    })
    await v.unsplit()
    const merged = await until('ring of 5 after the heal', async () => ringOk(await statuses(all)), 60_000).catch(async (err: Error) => {
      throw new Error(`${err.message}; pointers per host: ${await describe(all)}`)
    })
    const after = await agreedOwner('every host finds the pre-split owner after the heal', all, owner => owner === owners[0])
    assert.equal(after[0], owners[0])
    console.log(`      two rings ${apart} ms after the split; one ring ${merged} ms after the heal`)
  })
})
