/** `overlaykit sim gossip`: the SimCommand runs the experiment and prints the documented fields. */
import assert from 'node:assert/strict'
import { Command } from 'commander'
import command from '../../src/cli/sim/gossip.js'
import type { CliIo } from '../../src/cli/plugin.js'

const io: CliIo = {
  result: () => {},
  info: () => {},
  progress: () => ({ tick: () => {}, update: () => {}, stop: () => {} })
}

function parse (args: string[]): Record<string, any> {
  const cmd = new Command('gossip').exitOverride()
  command.configure(cmd)
  cmd.option('--seed <s>', 'seed', (v: string) => Number(v), 1)
  cmd.parse(args, { from: 'user' })
  return cmd.opts()
}

describe('overlaykit sim gossip', () => {
  it('prints nodes, runs, residue, traffic, tAve, tLast (push, feedback-counter)', async () => {
    const out = await command.run(parse(['--nodes', '300', '--mode', 'push', '--stop', 'feedback-counter', '--k', '2', '--runs', '3', '--seed', '4']), io) as Record<string, number>
    assert.equal(out.nodes, 300)
    assert.equal(out.runs, 3)
    assert.ok(out.residue > 0 && out.residue < 0.2, `residue ${out.residue}`)
    assert.ok(out.traffic > 2 && out.traffic < 5, `traffic ${out.traffic}`)
    assert.ok(out.tAve > 4 && out.tAve < out.tLast)
    const again = await command.run(parse(['--nodes', '300', '--mode', 'push', '--stop', 'feedback-counter', '--k', '2', '--runs', '3', '--seed', '4']), io)
    assert.deepEqual(again, out, 'same seed, same result')
  })

  it('with anti-entropy and loss every node is reached', async () => {
    const out = await command.run(parse(['--nodes', '300', '--mode', 'pull', '--k', '1', '--loss', '0.05', '--anti-entropy', '3', '--runs', '2']), io) as Record<string, number>
    assert.equal(out.residue, 0)
  })

  it('rejects an unknown mode', () => {
    assert.throws(() => parse(['--mode', 'sideways']), /--mode must be one of/)
  })
})
