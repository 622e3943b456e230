/**
 * Canvas drawing for the browser demo: a Chord ring (nodes by identifier, one node's fingers, a
 * lookup path hop by hop) and a gossip spread (nodes coloured by when the rumour reached them).
 */

export interface RingView {
  /** Node positions on the ring as fractions of the identifier space, [0, 1). */
  nodes: number[]
  /** Index (into nodes) of the node whose fingers are drawn. */
  focus?: number
  /** Finger targets of the focus node (indexes into nodes). */
  fingers?: number[]
  /** The key being looked up, as a fraction. */
  key?: number
  /** The lookup path (indexes into nodes), drawn up to `step` hops. */
  path?: number[]
  step?: number
  /** The owner found (index), drawn once the path is complete. */
  owner?: number
}

const TAU = Math.PI * 2

function pos (frac: number, cx: number, cy: number, r: number): [number, number] {
  const a = frac * TAU - Math.PI / 2
  return [cx + r * Math.cos(a), cy + r * Math.sin(a)]
}

function arrow (ctx: CanvasRenderingContext2D, x1: number, y1: number, x2: number, y2: number, cx: number, cy: number): void {
  // a chord bent toward the centre, so long and short jumps are both visible
  const mx = (x1 + x2) / 2; const my = (y1 + y2) / 2
  const qx = mx + (cx - mx) * 0.35; const qy = my + (cy - my) * 0.35
  ctx.beginPath(); ctx.moveTo(x1, y1); ctx.quadraticCurveTo(qx, qy, x2, y2); ctx.stroke()
  const a = Math.atan2(y2 - qy, x2 - qx)
  ctx.beginPath(); ctx.moveTo(x2, y2)
  ctx.lineTo(x2 - 9 * Math.cos(a - 0.35), y2 - 9 * Math.sin(a - 0.35))
  ctx.lineTo(x2 - 9 * Math.cos(a + 0.35), y2 - 9 * Math.sin(a + 0.35))
  ctx.closePath(); ctx.fill()
}

export function drawRing (canvas: HTMLCanvasElement, v: RingView): void {
  const ctx = canvas.getContext('2d')
  if (ctx === null) return
  const w = canvas.width; const h = canvas.height
  const cx = w / 2; const cy = h / 2; const r = Math.min(w, h) / 2 - 28
  ctx.clearRect(0, 0, w, h)
  ctx.lineWidth = 1; ctx.strokeStyle = '#ced4da'
  ctx.beginPath(); ctx.arc(cx, cy, r, 0, TAU); ctx.stroke()
  // every node: a small dot on the ring
  ctx.fillStyle = '#4263eb'
  for (const f of v.nodes) { const [x, y] = pos(f, cx, cy, r); ctx.fillRect(x - 1.2, y - 1.2, 2.4, 2.4) }
  if (v.focus !== undefined && v.fingers !== undefined) {
    const [fx, fy] = pos(v.nodes[v.focus], cx, cy, r)
    ctx.strokeStyle = 'rgba(66, 99, 235, 0.35)'; ctx.fillStyle = 'rgba(66, 99, 235, 0.35)'; ctx.lineWidth = 1
    for (const t of v.fingers) { const [x, y] = pos(v.nodes[t], cx, cy, r); arrow(ctx, fx, fy, x, y, cx, cy) }
  }
  if (v.key !== undefined) {
    const [kx, ky] = pos(v.key, cx, cy, r + 14)
    ctx.fillStyle = '#d9480f'; ctx.font = 'bold 12px system-ui'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle'
    ctx.fillText('key', kx, ky)
    const [x1, y1] = pos(v.key, cx, cy, r - 6); const [x2, y2] = pos(v.key, cx, cy, r + 6)
    ctx.strokeStyle = '#d9480f'; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(x1, y1); ctx.lineTo(x2, y2); ctx.stroke()
  }
  if (v.path !== undefined && v.path.length > 0) {
    const upto = Math.min(v.step ?? v.path.length, v.path.length - 1)
    ctx.strokeStyle = '#d9480f'; ctx.fillStyle = '#d9480f'; ctx.lineWidth = 2
    for (let i = 0; i < upto; i++) {
      const [x1, y1] = pos(v.nodes[v.path[i]], cx, cy, r); const [x2, y2] = pos(v.nodes[v.path[i + 1]], cx, cy, r)
      arrow(ctx, x1, y1, x2, y2, cx, cy)
    }
    for (let i = 0; i <= upto; i++) {
      const [x, y] = pos(v.nodes[v.path[i]], cx, cy, r)
      ctx.beginPath(); ctx.arc(x, y, i === 0 ? 6 : 4.5, 0, TAU); ctx.fill()
      ctx.fillStyle = '#fff'; ctx.font = 'bold 9px system-ui'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle'
      ctx.fillText(String(i), x, y + 0.5); ctx.fillStyle = '#d9480f'
    }
  }
  if (v.owner !== undefined && (v.path === undefined || (v.step ?? 0) >= v.path.length - 1)) {
    const [x, y] = pos(v.nodes[v.owner], cx, cy, r)
    ctx.strokeStyle = '#2b8a3e'; ctx.lineWidth = 3; ctx.beginPath(); ctx.arc(x, y, 8, 0, TAU); ctx.stroke()
  }
}

export interface GossipView {
  /** Node positions in [0, 1]². */
  points: Array<[number, number]>
  /** Per node: virtual time the update arrived (Infinity: never). */
  deliveredAt: number[]
  /** Edges drawn faintly: who pushed to whom (indexes), with the time. */
  pushes: Array<[number, number, number]>
  origin: number
  /** Current animation time (virtual ms). */
  now: number
}

export function drawGossip (canvas: HTMLCanvasElement, v: GossipView): void {
  const ctx = canvas.getContext('2d')
  if (ctx === null) return
  const w = canvas.width; const h = canvas.height; const pad = 16
  const X = (p: [number, number]): [number, number] => [pad + p[0] * (w - 2 * pad), pad + p[1] * (h - 2 * pad)]
  ctx.clearRect(0, 0, w, h)
  ctx.lineWidth = 1
  for (const [a, b, t] of v.pushes) {
    if (t > v.now) continue
    const age = v.now - t
    ctx.strokeStyle = `rgba(217, 72, 15, ${Math.max(0.06, 0.6 - age / 2000)})`
    const [x1, y1] = X(v.points[a]); const [x2, y2] = X(v.points[b])
    ctx.beginPath(); ctx.moveTo(x1, y1); ctx.lineTo(x2, y2); ctx.stroke()
  }
  for (let i = 0; i < v.points.length; i++) {
    const [x, y] = X(v.points[i])
    const got = v.deliveredAt[i] <= v.now
    ctx.fillStyle = i === v.origin ? '#d9480f' : got ? '#2b8a3e' : '#adb5bd'
    ctx.beginPath(); ctx.arc(x, y, i === v.origin ? 6 : 4, 0, TAU); ctx.fill()
  }
}
