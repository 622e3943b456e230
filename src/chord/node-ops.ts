/**
 * `overlaykit node --overlay chord`: joins the ring through the first reachable bootstrap peer.
 * Ops: lookup {key}, put {key, value}, get {key}, delete {key}, ring. Options (--opt): every number
 * and boolean option of DEFAULTS (options.ts: vnodes, replicas, stabilizeMs, rpcTimeoutMs, verifyOwner
 * true|false, …), and rejoinCheckMs (the node's own fallback below).
 * `overlaykit node` is a lab tool: its nodes are `open` (plain keys accepted, unvalidated) unless
 * `--opt open=false`, which leaves only the validated namespaces (/imm/, /signed/) writable.
 */
import { NotFoundError } from '../overlay/errors.js'
import { utf8 } from '../overlay/ids.js'
import { optionsFromStrings, type NodeOpsContext, type NodeOpsFactory } from '../overlay/node-ops.js'
import { DEFAULTS } from './options.js'
import { chord, type ChordService } from './service.js'

const svc = (ctx: NodeOpsContext): ChordService => ctx.node.services.chord as ChordService

const keyArg = (args: Record<string, unknown>): string => {
  if (typeof args.key !== 'string' || args.key === '') throw new Error('needs "key" (a string)')
  return args.key
}

/** Every number and boolean option of Chord's DEFAULTS is an --opt (e.g. vnodes=4, verifyOwner=true). */
function services (o: Record<string, string>, seed: string): Record<string, (components: any) => unknown> {
  return { chord: chord({ open: true, ...optionsFromStrings(DEFAULTS, o), driver: { seed } }) }
}

export const chordNodeOps: NodeOpsFactory = (o, seed) => ({
  services: services(o, seed),
  async join (ctx) {
    const s = svc(ctx)
    s.onEvent((e) => {
      if (e.type === 'chord:successor' || e.type === 'chord:predecessor' || e.type === 'chord:joined') ctx.emit({ event: e.type, ...e, type: undefined })
    })
    if (ctx.bootstrap.length === 0) return // this node starts a new ring
    // Rings that formed apart during a network cut merge again through Chord's own ring-merge check
    // (mergeCheckMs). As a fallback, a long-running node that finds itself alone on its own ring
    // also re-joins through its bootstrap peers.
    let rejoining = false
    let next = 0
    ctx.every(Number(ctx.options.rejoinCheckMs ?? 3000), () => {
      if (rejoining || !s.isStarted()) return
      const alone = s.ring().vnodes.every(v => v.successors.length === 0 || v.successors[0] === v.id)
      if (!alone) return
      rejoining = true
      const b = ctx.bootstrap[next++ % ctx.bootstrap.length]
      ctx.log(`chord: alone on the ring, re-joining through ${b}`)
      s.join(b, { signal: AbortSignal.timeout(10_000) })
        .then(() => ctx.emit({ event: 'chord:rejoined', via: b }), (err: Error) => ctx.log(`chord: re-join failed: ${err.message}`))
        .finally(() => { rejoining = false })
    })
    let last: Error | undefined
    for (let attempt = 0; attempt < 3 * ctx.bootstrap.length; attempt++) {
      const b = ctx.bootstrap[attempt % ctx.bootstrap.length]
      try {
        await s.join(b, { signal: AbortSignal.timeout(15_000) })
        return
      } catch (err) {
        last = err as Error
        ctx.log(`chord: join through ${b} failed: ${last.message}`)
      }
    }
    throw last ?? new Error('join failed')
  },
  ops: {
    async lookup (args, ctx, signal) { return await svc(ctx).lookup(keyArg(args), { signal }) },
    async put (args, ctx, signal) {
      const key = keyArg(args)
      if (typeof args.value !== 'string') throw new Error('put needs "value" (a string)')
      await svc(ctx).put(key, utf8(args.value), { signal })
      return { key, bytes: utf8(args.value).length }
    },
    async get (args, ctx, signal) {
      const key = keyArg(args)
      // not found is an answer, not a failure: the same shape as gossip's get
      try {
        return { key, found: true, value: new TextDecoder().decode(await svc(ctx).get(key, { signal })) }
      } catch (err) {
        if (err instanceof NotFoundError) return { key, found: false, value: null }
        throw err
      }
    },
    async delete (args, ctx, signal) { const key = keyArg(args); await svc(ctx).delete(key, { signal }); return { key, deleted: true } },
    async ring (_args, ctx) { return svc(ctx).ring() }
  },
  status (ctx) {
    const r = svc(ctx).ring()
    return { vnodes: r.vnodes.map(v => ({ id: v.id, predecessor: v.predecessor, successor: v.successors[0] })), items: r.items }
  }
})
