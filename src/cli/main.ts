#!/usr/bin/env node
/**
 * `overlaykit`: one entry for everything a user does from a shell. Sub-commands come from the static
 * lists commands/index.ts and sim/index.ts (see plugin.ts).
 *
 * Global options: `--json` (exactly one JSON object on stdout, nothing else there), `--seed`.
 */
import '../node-check/index.js' // first: one clear line and exit 1 on Node.js < 22
import { Command, CommanderError, Option } from 'commander'
import { createIo } from '../report/io.js'
import { isCommand, loadCommands, loadSimCommands, type LoadFailure } from './discover.js'
import { parseSeed } from './options.js'
import { CommandFailed, oneLine } from './errors.js'

function wantsJson (argv: string[]): boolean {
  return argv.includes('--json')
}

/** The first word that is not a global option (or its value): the command the user asked for. */
function firstCommand (args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--seed') { i++; continue }
    if (a.startsWith('-')) continue
    return /^[a-z][a-z0-9-]*$/.test(a) ? a : undefined
  }
  return undefined
}

async function main (argv: string[]): Promise<number> {
  const json = wantsJson(argv)
  // In --json mode stdout carries exactly one JSON object: route stray console output to stderr.
  if (json) {
    const toErr = (...args: unknown[]): void => { process.stderr.write(args.map(String).join(' ') + '\n') }
    console.log = toErr; console.info = toErr; console.debug = toErr
  }
  const io = createIo()
  const program = new Command('overlaykit')
  program
    .description('Classic peer-to-peer overlays on libp2p: live swarms, a deterministic simulator, benchmarks and a comparison lab')
    .addOption(new Option('--json', 'print exactly one JSON object on stdout (human output goes to stderr)').default(false))
    .addOption(new Option('--seed <seed>', 'seed for every random choice (number or string)').argParser(parseSeed).default(1))
    .showHelpAfterError('(add --help for usage)')
    // every command's --help lists --json and --seed too (they apply everywhere)
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()

  // Load only what this invocation needs: every plug-in imports its overlay (and some libp2p), which
  // costs seconds on a busy machine. `overlaykit <cmd> …` for a listed command loads just that
  // one; `sim …` loads the simulator plug-ins; anything else (help, typos) loads everything.
  const first = firstCommand(argv.slice(2))
  const onlyCommand = first !== undefined && first !== 'sim' && first !== 'help' && isCommand(first) ? first : undefined
  const loadSims = onlyCommand === undefined
  const failures: LoadFailure[] = []
  const simCommands = loadSims ? await loadSimCommands(failures) : []
  const sim = program.command('sim').description('run an overlay in the deterministic discrete-event simulator')
  for (const plugin of simCommands) {
    const cmd = sim.command(plugin.name).description(plugin.description)
    plugin.configure(cmd)
    cmd.action(async (_opts: unknown, self: Command) => {
      const options = self.optsWithGlobals()
      const result = await plugin.run(options, io)
      io.result(result, options.json === true)
    })
  }
  if (simCommands.length === 0 && loadSims) sim.action(() => { throw new Error('no simulator command could be loaded') })

  for (const { register } of await loadCommands(failures, onlyCommand)) register(program, io)
  for (const f of failures) io.info(`overlaykit: warning: could not load plug-in ${f.file}: ${f.error}`)

  try {
    await program.parseAsync(argv, { from: 'node' })
    return 0
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version print their own text and exit 0; usage errors are already on stderr.
      return err.exitCode
    }
    const e = err as Error
    process.stderr.write(`overlaykit: error: ${oneLine(e)}\n`)
    if (process.env.OVERLAYKIT_DEBUG != null) process.stderr.write(`${e.stack ?? ''}\n`)
    if (json && !(e instanceof CommandFailed)) process.stdout.write(JSON.stringify({ error: { name: e.name, message: oneLine(e) } }) + '\n')
    return 1
  }
}

const code = await main(process.argv)
process.exitCode = code
// The command is done (long-running ones such as `node` return only when they stop). If something
// (a stray timer or socket in a plug-in) still holds the event loop, say so and leave instead of
// hanging; an unref'd timer never delays a clean exit.
setTimeout(() => {
  process.stderr.write('overlaykit: warning: open handles kept the process alive after the command finished; exiting\n')
  process.exit(code)
}, 3000).unref()
