/** A process that starts a 16-node live swarm and stops it exits by itself: nothing leaked. */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const fixture = fileURLToPath(new URL('./fixtures/swarm-exit.js', import.meta.url))

async function runChild (transport: string, limitMs: number): Promise<{ code: number | null, out: string, err: string, exitAfterStopMs: number }> {
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, transport], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let stoppedAt = 0
    const killer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`child still running after ${limitMs} ms; stdout: ${out} stderr: ${err}`)) }, limitMs)
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); if (stoppedAt === 0 && out.includes('stopped')) stoppedAt = performance.now() })
    child.stderr.on('data', (d: Buffer) => { err += d.toString() })
    child.on('exit', (code) => {
      clearTimeout(killer)
      resolve({ code, out, err, exitAfterStopMs: stoppedAt === 0 ? -1 : performance.now() - stoppedAt })
    })
  })
}

describe('process exit', function () {
  it('16-node tcp, memory and ws swarms started and stopped in child processes exit by themselves', async function () {
    // the three children run side by side to keep this test area's wall time down
    const transports = ['tcp', 'memory', 'ws']
    const results = await Promise.all(transports.map(async t => await runChild(t, 30_000)))
    results.forEach((r, i) => {
      assert.equal(r.code, 0, `${transports[i]}: ${r.err}`)
      assert.match(r.out, /stopped 16/)
      // "within a few seconds": the swarm is stopped, the event loop must empty promptly. (libp2p's
      // address manager arms a 1 s debounce timer when its listeners close, so about 1 s is the floor.)
      assert.ok(r.exitAfterStopMs >= 0 && r.exitAfterStopMs < 5000, `${transports[i]}: exited ${r.exitAfterStopMs.toFixed(0)} ms after stop`)
    })
  })
})
