/**
 * Node's crypto, reached synchronously where the runtime offers it (`process.getBuiltinModule`,
 * Node >= 22.3), probed at run time so protocol code imports no Node built-in; undefined in browsers,
 * where callers keep their portable (noble / libp2p) path. Only the calls overlay code makes are typed.
 */
export interface NodeCrypto {
  hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Uint8Array
  createPublicKey: (k: { key: Uint8Array, format: 'der', type: 'spki' }) => unknown
  createPrivateKey: (k: { key: Uint8Array, format: 'der', type: 'pkcs8' }) => unknown
  verify: ((alg: null, data: Uint8Array, key: unknown, sig: Uint8Array) => boolean) &
  /** With a callback the check runs on libuv's thread pool, off the event loop. */
  ((alg: null, data: Uint8Array, key: unknown, sig: Uint8Array, done: (err: Error | null, ok: boolean) => void) => void)
  sign: (alg: null, data: Uint8Array, key: unknown) => Uint8Array
}

export const nodeCrypto: NodeCrypto | undefined = (() => {
  try {
    const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule
    return typeof get === 'function' ? get('node:crypto') as NodeCrypto | undefined : undefined
  } catch {
    return undefined
  }
})()
