/**
 * A "public" network and home networks behind NATs, all in Linux network namespaces created here:
 *
 *   wan switch (bridge)  ── pub   11.231.S.10        the relay
 *                        ── r1    11.231.S.21 | 192.168.1.1 ── h1 192.168.1.2
 *                        ── r2    11.231.S.22 | 192.168.2.1 ── h2 192.168.2.2
 *
 * Each router forwards only what its LAN host started (nftables: masquerade out of wan0, a forward
 * chain that admits established/related traffic from the WAN and drops the rest; iptables when nft is
 * missing). The WAN addresses are outside the private ranges on purpose, so libp2p treats them as
 * public; nothing is configured in the machine's own namespace, so they are reachable only from inside
 * these namespaces. Needs root, `ip`, and `nft` or `iptables`.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

async function sh (cmd: string, args: string[], input?: string): Promise<string> {
  if (input === undefined) return (await run(cmd, args, { timeout: 10_000 })).stdout
  return await new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => { out += d.toString() })
    child.stderr.on('data', (d: Buffer) => { err += d.toString() })
    child.on('exit', code => { code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')}: ${err.trim()}`)) })
    child.stdin.end(input)
  })
}
const ip = async (...args: string[]): Promise<string> => await sh('ip', args)
const inNs = async (ns: string, cmd: string, args: string[], input?: string): Promise<string> => await sh('ip', ['netns', 'exec', ns, cmd, ...args], input)

/** 'nft', 'iptables', or null with neither installed. */
export async function natTool (): Promise<'nft' | 'iptables' | null> {
  for (const t of ['nft', 'iptables'] as const) {
    try { await run(t, ['--version'], { timeout: 5000 }); return t } catch {}
  }
  return null
}

export interface NatHost { ns: string, addr: string }

export class NatNet {
  readonly tag = `${process.pid % 10000}n${Math.floor(Math.random() * 1000)}`
  readonly subnet = 1 + Math.floor(Math.random() * 250)
  readonly pub: NatHost
  /** The hosts behind NAT (index 0 → h1 behind r1, …). */
  readonly homes: NatHost[] = []
  /** Their routers' public addresses. */
  readonly routers: string[] = []
  private readonly namespaces: string[] = []
  private readonly children = new Set<ChildProcess>()
  private readonly wan: string

  private constructor (readonly tool: 'nft' | 'iptables') {
    this.wan = `okit-${this.tag}-wan`
    this.pub = { ns: `okit-${this.tag}-pub`, addr: `11.231.${this.subnet}.10` }
  }

  static async create (homes: number, tool: 'nft' | 'iptables'): Promise<NatNet> {
    const net = new NatNet(tool)
    try { await net.build(homes) } catch (err) { await net.destroy(); throw err }
    return net
  }

  private async addNs (ns: string): Promise<void> {
    await ip('netns', 'add', ns)
    this.namespaces.push(ns)
    await ip('-n', ns, 'link', 'set', 'lo', 'up')
  }

  /** A veth pair from `a` (named ifA) to `b` (named ifB). */
  private async link (a: string, ifA: string, b: string, ifB: string): Promise<void> {
    await ip('-n', a, 'link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB)
    await ip('-n', a, 'link', 'set', ifB, 'netns', b)
    await ip('-n', a, 'link', 'set', ifA, 'up')
    await ip('-n', b, 'link', 'set', ifB, 'up')
  }

  private async build (homes: number): Promise<void> {
    process.once('exit', this.onExit)
    await this.addNs(this.wan)
    await ip('-n', this.wan, 'link', 'add', 'br0', 'type', 'bridge')
    await ip('-n', this.wan, 'link', 'set', 'br0', 'up')
    const onWan = async (ns: string, port: string, addr: string, dev: string): Promise<void> => {
      await this.link(ns, dev, this.wan, port)
      await ip('-n', this.wan, 'link', 'set', port, 'master', 'br0')
      await ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev)
    }
    await this.addNs(this.pub.ns)
    await onWan(this.pub.ns, 'pp', this.pub.addr, 'eth0')
    for (let k = 1; k <= homes; k++) {
      const r = `okit-${this.tag}-r${k}`
      const h = `okit-${this.tag}-h${k}`
      const wanAddr = `11.231.${this.subnet}.${20 + k}`
      await this.addNs(r)
      await this.addNs(h)
      await onWan(r, `pr${k}`, wanAddr, 'wan0')
      await this.link(r, 'lan0', h, 'eth0')
      await ip('-n', r, 'addr', 'add', `192.168.${k}.1/24`, 'dev', 'lan0')
      await ip('-n', h, 'addr', 'add', `192.168.${k}.2/24`, 'dev', 'eth0')
      await ip('-n', h, 'route', 'add', 'default', 'via', `192.168.${k}.1`)
      await inNs(r, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1'])
      await this.masquerade(r)
      this.homes.push({ ns: h, addr: `192.168.${k}.2` })
      this.routers.push(wanAddr)
    }
  }

  private async masquerade (r: string): Promise<void> {
    if (this.tool === 'nft') {
      await inNs(r, 'nft', ['-f', '-'], [
        'table ip okit {',
        '  chain okpost { type nat hook postrouting priority srcnat; oifname "wan0" masquerade; }',
        '  chain okfwd { type filter hook forward priority filter; policy drop;',
        '    ct state established,related accept',
        '    iifname "lan0" oifname "wan0" accept',
        '  }',
        '}', ''
      ].join('\n'))
    } else {
      await inNs(r, 'iptables', ['-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE'])
      await inNs(r, 'iptables', ['-P', 'FORWARD', 'DROP'])
      await inNs(r, 'iptables', ['-A', 'FORWARD', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'])
      await inNs(r, 'iptables', ['-A', 'FORWARD', '-i', 'lan0', '-o', 'wan0', '-j', 'ACCEPT'])
    }
  }

  /** Starts a process inside namespace `ns`; destroy() kills it. */
  spawn (ns: string, command: string, args: string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns, command, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    this.children.add(child)
    child.on('exit', () => this.children.delete(child))
    return child
  }

  /** True when a TCP connection from namespace `ns` to host:port opens within 1.5 s. */
  async tcpReachable (ns: string, host: string, port: number): Promise<boolean> {
    const probe = `const s=require('net').connect(${port},'${host}');s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(2),1500)`
    try { await inNs(ns, process.execPath, ['-e', probe]); return true } catch { return false }
  }

  private readonly onExit = (): void => {
    for (const c of this.children) c.kill('SIGKILL')
    for (const ns of this.namespaces) { try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }) } catch {} }
  }

  /** Kills every process it started and deletes every namespace (links, rules and conntrack state go with them). */
  async destroy (): Promise<void> {
    process.off('exit', this.onExit)
    await Promise.all([...this.children].map(async c => await new Promise<void>(resolve => {
      if (c.exitCode !== null || c.signalCode !== null) { resolve(); return }
      const t = setTimeout(() => { c.kill('SIGKILL'); resolve() }, 3000)
      c.once('exit', () => { clearTimeout(t); resolve() })
      c.kill('SIGTERM')
    })))
    for (const ns of this.namespaces.reverse()) await ip('netns', 'del', ns).catch(() => {})
    this.namespaces.length = 0
  }
}
