/** Runs the compiled CLI (beside this compiled test) as a child process. */
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const mainJs = join(outDir, 'src', 'cli', 'main.js')

export interface CliRun { code: number | null, stdout: string, stderr: string }

export async function runCli (args: string[], opts: { timeoutMs?: number, input?: string } = {}): Promise<CliRun> {
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainJs, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''; let stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`overlaykit ${args.join(' ')} timed out; stderr: ${stderr}`)) }, opts.timeoutMs ?? 30_000)
    child.on('error', reject)
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }) })
    child.stdin.end(opts.input ?? '')
  })
}
