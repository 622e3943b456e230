/**
 * Choking (Cohen 2003): every rechoke the `slots` interested peers with the best rate are
 * unchoked — download rate from them while we leech (tit-for-tat), upload rate to them while we
 * seed — plus one optimistic unchoke rotated every few rechokes. A peer that has sent us nothing
 * for a minute while we wanted data is "snubbed": it keeps only the optimistic chance.
 */
import type { Rng } from '../overlay/rng.js'

export interface ChokeCandidate {
  id: string
  interested: boolean
  snubbed: boolean
  downRate: number
  upRate: number
}

export interface ChokeDecision {
  unchoke: Set<string>
  optimistic: string | undefined
}

export function chooseUnchoked (peers: ChokeCandidate[], opts: { slots: number, seeding: boolean, rotateOptimistic: boolean, optimistic: string | undefined, rng: Rng }): ChokeDecision {
  const interested = opts.rng.shuffle(peers.filter(p => p.interested))
  const rate = (p: ChokeCandidate): number => opts.seeding ? p.upRate : p.downRate
  const regular = interested.filter(p => opts.seeding || !p.snubbed).sort((a, b) => rate(b) - rate(a)).slice(0, opts.slots)
  const unchoke = new Set(regular.map(p => p.id))
  let optimistic = opts.optimistic
  const stillThere = interested.some(p => p.id === optimistic)
  if (opts.rotateOptimistic || !stillThere || (optimistic !== undefined && unchoke.has(optimistic))) {
    const choked = interested.filter(p => !unchoke.has(p.id))
    optimistic = choked.length > 0 ? opts.rng.pick(choked).id : undefined
  }
  if (optimistic !== undefined) unchoke.add(optimistic)
  return { unchoke, optimistic }
}
