/**
 * A small virtual network of Linux network namespaces for the multi-host test: `n` host namespaces,
 * each with one veth link to a bridge that lives in a switch namespace of its own. Nothing is
 * configured in the machine's own namespace (no addresses, no routes), so traffic stays inside the
 * namespaces this creates. Addresses are 10.231.<subnet>.<10+i>/24.
 *
 * Needs root (or CAP_NET_ADMIN + CAP_SYS_ADMIN) and the `ip` tool; `probeNetns()` says whether it can.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

async function ip (...args: string[]): Promise<string> {
  const { stdout } = await run('ip', args, { timeout: 10_000 })
  return stdout
}

/** null when namespaces work here, otherwise the reason they do not. */
export async function probeNetns (): Promise<string | null> {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`
  const name = `okit-probe-${process.pid}`
  try {
    await ip('netns', 'add', name)
  } catch (err) {
    return `cannot create a network namespace (needs root / CAP_SYS_ADMIN and iproute2): ${String((err as Error).message).split('\n')[0]}`
  }
  try {
    await ip('-n', name, 'link', 'set', 'lo', 'up')
    await ip('-n', name, 'link', 'add', 'okp0', 'type', 'veth', 'peer', 'name', 'okp1')
    return null
  } catch (err) {
    return `cannot create veth links inside a namespace: ${String((err as Error).message).split('\n')[0]}`
  } finally {
    await ip('netns', 'del', name).catch(() => {})
  }
}

export interface Host {
  index: number
  ns: string
  addr: string
  /** The switch-side end of this host's link (cut it to isolate the host). */
  port: string
}

export class VirtualNet {
  readonly hosts: Host[] = []
  readonly switchNs: string
  private readonly children = new Set<ChildProcess>()
  private readonly namespaces: string[] = []

  private constructor (readonly tag: string, readonly subnet: number) {
    this.switchNs = `okit-${tag}-sw`
  }

  /** Creates the switch and `n` hosts. On failure, removes whatever it created and rethrows. */
  static async create (n: number): Promise<VirtualNet> {
    const tag = `${process.pid % 100000}`
    const net = new VirtualNet(tag, 1 + (process.pid % 250))
    try {
      await net.setup(n)
    } catch (err) {
      await net.destroy()
      throw err
    }
    return net
  }

  private async setup (n: number): Promise<void> {
    // leftovers of an earlier run that died with the same pid: ours by name, safe to remove
    for (const ns of [this.switchNs, ...Array.from({ length: n }, (_, i) => `okit-${this.tag}-h${i}`)]) await ip('netns', 'del', ns).catch(() => {})
    // if this process dies without destroy(), still remove the namespaces (their links go with them)
    process.once('exit', this.onExit)
    await ip('netns', 'add', this.switchNs)
    this.namespaces.push(this.switchNs)
    await ip('-n', this.switchNs, 'link', 'set', 'lo', 'up')
    await ip('-n', this.switchNs, 'link', 'add', 'br0', 'type', 'bridge')
    await ip('-n', this.switchNs, 'link', 'set', 'br0', 'up')
    for (let i = 0; i < n; i++) {
      const ns = `okit-${this.tag}-h${i}`
      const port = `p${i}`
      const addr = `10.231.${this.subnet}.${10 + i}`
      await ip('netns', 'add', ns)
      this.namespaces.push(ns)
      await ip('-n', ns, 'link', 'set', 'lo', 'up')
      // both ends are created inside the host namespace, then one is moved to the switch
      await ip('-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', port)
      await ip('-n', ns, 'link', 'set', port, 'netns', this.switchNs)
      await ip('-n', this.switchNs, 'link', 'set', port, 'master', 'br0')
      await ip('-n', this.switchNs, 'link', 'set', port, 'up')
      await ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', 'eth0')
      await ip('-n', ns, 'link', 'set', 'eth0', 'up')
      this.hosts.push({ index: i, ns, addr, port })
    }
  }

  /** Starts a process inside host i's namespace; it is killed by destroy(). */
  spawn (i: number, command: string, args: string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.hosts[i].ns, command, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    this.children.add(child)
    child.on('exit', () => this.children.delete(child))
    return child
  }

  /** Cuts host i off the switch (its link goes down: packets vanish, connections stall). */
  async cut (i: number): Promise<void> {
    await ip('-n', this.switchNs, 'link', 'set', this.hosts[i].port, 'down')
  }

  async heal (i: number): Promise<void> {
    await ip('-n', this.switchNs, 'link', 'set', this.hosts[i].port, 'up')
  }

  /**
   * Splits the network in two: the hosts in `side` move to a second bridge of their own. Each side
   * still talks within itself (links stay up, unlike cut()); nothing crosses between the two.
   */
  async split (side: number[]): Promise<void> {
    if (!this.split2) {
      await ip('-n', this.switchNs, 'link', 'add', 'br1', 'type', 'bridge')
      await ip('-n', this.switchNs, 'link', 'set', 'br1', 'up')
      this.split2 = true
    }
    for (const i of side) await ip('-n', this.switchNs, 'link', 'set', this.hosts[i].port, 'master', 'br1')
  }

  /** Ends a split: every host is back on the first bridge. */
  async unsplit (): Promise<void> {
    for (const h of this.hosts) await ip('-n', this.switchNs, 'link', 'set', h.port, 'master', 'br0')
  }

  private split2 = false

  private readonly onExit = (): void => {
    for (const c of this.children) c.kill('SIGKILL')
    for (const ns of this.namespaces) { try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }) } catch {} }
  }

  /** Kills every process it started and deletes every namespace (and with them the links). */
  async destroy (): Promise<void> {
    process.off('exit', this.onExit)
    const exits: Array<Promise<void>> = []
    for (const c of this.children) {
      exits.push(new Promise(resolve => {
        if (c.exitCode !== null || c.signalCode !== null) { resolve(); return }
        const t = setTimeout(() => { c.kill('SIGKILL'); resolve() }, 3000)
        c.once('exit', () => { clearTimeout(t); resolve() })
        c.kill('SIGTERM')
      }))
    }
    await Promise.all(exits)
    for (const ns of this.namespaces.reverse()) await ip('netns', 'del', ns).catch(() => {})
    this.namespaces.length = 0
  }
}
