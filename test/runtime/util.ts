/** Poll a condition with a bounded loop that yields to the event loop (no blind sleeps). */
export async function waitFor (cond: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const deadline = performance.now() + limitMs
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 2))
  }
}
