/**
 * Bridges between the synchronous machines and the async public API: promises with AbortSignal,
 * and a bounded push queue exposed as an async iterable.
 */
import { AbortError } from './errors.js'

/**
 * Start a machine operation and await its completion. `start` gets a `done` callback and returns a
 * cancel function, called when `signal` aborts (the promise then rejects with AbortError).
 */
export function operation<T> (
  start: (done: (err: Error | null, value?: T) => void) => (() => void) | void,
  signal?: AbortSignal
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted === true) { reject(new AbortError()); return }
    let settled = false
    const onAbort = (): void => {
      if (settled) return
      settled = true
      try { cancel?.() } finally { reject(new AbortError()) }
    }
    const cancel = start((err, value) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      if (err != null) reject(err); else resolve(value as T)
    })
    if (!settled) signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * A queue that producers push into and one consumer iterates. Ends on `end()`, throws on
 * `end(err)`. Items beyond `max` are dropped and counted (`dropped`) so a slow consumer cannot
 * grow memory without bound.
 */
export class PushQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = []
  private waiting: ((r: IteratorResult<T>) => void) | undefined
  private failWaiting: ((err: Error) => void) | undefined
  private ended = false
  private error: Error | undefined
  dropped = 0

  constructor (private readonly max = 10_000, private readonly onReturn?: () => void) {}

  push (item: T): void {
    if (this.ended) return
    if (this.waiting !== undefined) {
      const w = this.waiting; this.waiting = undefined; this.failWaiting = undefined
      w({ value: item, done: false })
      return
    }
    if (this.items.length >= this.max) { this.dropped++; return }
    this.items.push(item)
  }

  end (err?: Error): void {
    if (this.ended) return
    this.ended = true
    this.error = err
    if (this.waiting !== undefined) {
      const w = this.waiting; const f = this.failWaiting
      this.waiting = undefined; this.failWaiting = undefined
      if (err !== undefined && f !== undefined) f(err); else w({ value: undefined, done: true })
    }
  }

  [Symbol.asyncIterator] (): AsyncIterator<T> {
    return {
      next: async () => {
        if (this.items.length > 0) return { value: this.items.shift() as T, done: false }
        if (this.ended) {
          if (this.error !== undefined) { const e = this.error; this.error = undefined; throw e }
          return { value: undefined, done: true }
        }
        return await new Promise<IteratorResult<T>>((resolve, reject) => {
          this.waiting = resolve
          this.failWaiting = reject
        })
      },
      return: async () => {
        this.ended = true
        this.items.length = 0
        this.onReturn?.()
        return { value: undefined, done: true }
      }
    }
  }
}
