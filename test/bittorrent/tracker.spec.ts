/** The tracker machine in the simulator, and its codec under fuzzing. */
import assert from 'node:assert/strict'
import { Simulator, type SimNode } from '../../src/sim/index.js'
import { Rng } from '../../src/overlay/rng.js'
import { DecodeError } from '../../src/overlay/errors.js'
import { trackerSpec, type AnnounceReply, type TrackerMachine } from '../../src/bittorrent/tracker.js'
import { trackerCodec, type TrackerMsg } from '../../src/bittorrent/tracker-codec.js'

type T = SimNode<TrackerMsg, TrackerMachine>

describe('bittorrent tracker', function () {
  this.timeout(30_000)
  const ih = new Uint8Array(20).fill(1)
  const pid = (i: number): Uint8Array => new Uint8Array(20).fill(i)

  it('announce returns the other peers, scrape counts seeds and leechers, stopped and expiry remove peers', () => {
    const sim = new Simulator({ seed: 1, wire: true })
    const server = sim.spawn(trackerSpec, { serve: true, intervalSec: 10 }, { id: 'tracker' }) as T
    const clients = Array.from({ length: 4 }, (_x, i) => sim.spawn(trackerSpec, { timeoutMs: 2000 }, { id: `c${i}` }) as T)
    const replies: Array<AnnounceReply | Error> = []
    clients.forEach((c, i) => {
      c.machine.announce(server.ref, { infoHash: ih, peerId: pid(i), event: 'started', left: i === 0 ? 0 : 100, uploaded: 0, downloaded: 0, addrs: [`/ip4/127.0.0.${i}/tcp/1`] }, (err, r) => { replies.push(err ?? r!) })
      sim.run({ until: sim.now + 100 })
    })
    assert.equal(replies.length, 4)
    const last = replies[3] as AnnounceReply
    assert.deepEqual(last.peers.map(p => p.id).sort(), ['c0', 'c1', 'c2'])
    assert.deepEqual(last.peers.find(p => p.id === 'c0')!.addrs, ['/ip4/127.0.0.0/tcp/1'])
    assert.equal(last.complete, 1); assert.equal(last.incomplete, 3); assert.equal(last.interval, 10)
    let scraped: any
    clients[1].machine.scrape(server.ref, [ih, new Uint8Array(20)], (err, f) => { scraped = err ?? f })
    clients[1].machine.announce(server.ref, { infoHash: ih, peerId: pid(1), event: 'stopped', left: 100, uploaded: 0, downloaded: 0, addrs: [] }, () => {})
    sim.run({ until: sim.now + 100 })
    assert.deepEqual(scraped.map((f: any) => [f.complete, f.incomplete]), [[1, 3], [0, 0]])
    assert.equal(server.machine.swarms.get(Buffer.from(ih).toString('hex'))!.peers.size, 3)
    // nobody re-announces: after two intervals the sweep forgets them
    sim.run({ until: sim.now + 35_000 })
    assert.equal(server.machine.swarms.size, 0)
  })

  it('a client times out on a dead tracker; a non-tracker answers with a failure', () => {
    const sim = new Simulator({ seed: 1 })
    const c = sim.spawn(trackerSpec, { timeoutMs: 500 }, { id: 'c' }) as T
    const notTracker = sim.spawn(trackerSpec, {}, { id: 'n' }) as T
    const errs: string[] = []
    c.machine.announce({ id: 'nobody' }, { infoHash: ih, peerId: pid(1), event: '', left: 0, uploaded: 0, downloaded: 0, addrs: [] }, (err) => { errs.push(err!.name) })
    c.machine.announce(notTracker.ref, { infoHash: ih, peerId: pid(1), event: '', left: 0, uploaded: 0, downloaded: 0, addrs: [] }, (err) => { errs.push(err!.message) })
    sim.run({ until: 2000 })
    assert.deepEqual(errs.sort(), ['TimeoutError', 'not a tracker'].sort())
  })

  it('the codec round-trips and only throws DecodeError on 10^5 random and mutated inputs', function () {
    this.timeout(60_000)
    const msgs: TrackerMsg[] = [
      { type: 'announce', t: 5, infoHash: ih, peerId: pid(2), event: 'completed', left: 0, uploaded: 10, downloaded: 20, numwant: 50, addrs: ['/ip4/1.2.3.4/tcp/5'] },
      { type: 'announce_ok', t: 5, interval: 60, complete: 1, incomplete: 2, peers: [{ id: 'x', addrs: ['/a'] }] },
      { type: 'scrape', t: 1, infoHashes: [ih] },
      { type: 'scrape_ok', t: 1, files: [{ infoHash: ih, complete: 1, incomplete: 0, downloaded: 3 }] },
      { type: 'failure', t: 2, reason: 'no' }
    ]
    for (const m of msgs) assert.deepEqual(trackerCodec.decode(trackerCodec.encode(m)), m)
    const enc = msgs.map(m => trackerCodec.encode(m))
    const rng = new Rng('tracker-fuzz')
    const stackLimit = Error.stackTraceLimit
    Error.stackTraceLimit = 1 // most inputs fail; deep stacks for 10^5 DecodeErrors cost more than decoding
    try {
    for (let i = 0; i < 100_000; i++) {
      let input: Uint8Array
      if (i % 5 === 0) input = rng.bytes(rng.int(60))
      else {
        input = rng.pick(enc).slice()
        if (rng.bool()) input = input.subarray(0, rng.int(input.length + 1))
        else for (let k = 0; k < 1 + rng.int(3); k++) input[rng.int(input.length)] = rng.int(256)
      }
      try { trackerCodec.decode(input) } catch (err) { if (!(err instanceof DecodeError)) assert.fail(`non-DecodeError ${String(err)}`) }
    }
    } finally { Error.stackTraceLimit = stackLimit }
  })
})
