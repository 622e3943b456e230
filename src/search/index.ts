/**
 * overlaykit/search — the parts shared by the search overlays (napster, gnutella, fasttrack).
 * They are overlay-neutral: nothing here knows about servers, floods or supernodes.
 *
 * ## Keywords — keywords.ts
 * - `keywordsOf(text)`: lower-case tokens (split on non-letters/digits), deduplicated, ≤ 16 of ≤ 32 chars.
 * - `matches(queryKeywords, fileKeywords)`: AND of whole tokens (Napster/Gnutella semantics).
 * - `KeywordIndex<K, V>`: inverted index with `add/remove/search(keywords, limit)`; a search walks the
 *   rarest keyword's posting list, so cost is bounded by it.
 *
 * ## Catalog — catalog.ts
 * - `FileCatalog`: what one peer shares. `add(file: SharedFile, store)` (store = io store name: a path
 *   on disk for file storage, a blob name in memory or in the simulator), `remove(hash)`, `get(hash)`,
 *   `getByIndex(n)` (stable 32-bit file index for wire formats), `search(query, limit)`, `list()`.
 * - `validateSharedFile(file)`: name 1..255 chars, integer size, 64-hex SHA-256.
 * - `describeBytes(name, bytes)` hashes in-memory content into a SharedFile.
 *
 * ## Direct transfer — transfer.ts, transfer-codec.ts
 * A machine part: an overlay machine owns `new Transfers(env, send, lookup, options)` and forwards to it
 * `xfer-*` messages (`onMessage`), timers with keys `xfer:*` (`onTimer` returns true when it took one),
 * io completions with tokens `xfer:*` (`onIo`), and `onPeerUnreachable`.
 * - holder: answers `xfer-get {hash, offset, length}` from its catalog through env.io, bounded concurrency;
 * - downloader: `download({ holder, hash, size, store, offset?, viaPush?, push? }, { onProgress, done })`
 *   → cancel function. Pipelined chunk requests, retries, written through env.io in any order, then the
 *   whole store is read back and checked against SHA-256 before `done(null, result)`.
 *   A resume from `offset` assumes bytes [0, offset) are in the store and verifies them too.
 * - push: when the holder is firewalled (`viaPush`, or a direct request hits onPeerUnreachable), the part
 *   calls `push()` — the overlay routes a push request (Gnutella Push, OpenNap 500/501); the holder's
 *   overlay then calls `transfers.pushTo(downloader, hash)`, which connects out with `xfer-offer`, and
 *   the download proceeds over that connection.
 * - wire: `encodeXfer/decodeXfer` (binary, limits in transfer-codec.ts). An overlay codec carries them
 *   beside its own format behind a one-byte channel tag (`XFER_CHANNEL`, see `frameChannel`).
 *
 * ## FileSearch capability — api.ts
 * `new FileSearchApi(() => machine, { downloadStore?, shareStore? })` implements `FileSearch` for any
 * machine that implements `SearchMachine` (share/unshare/search/fetch with callbacks): hits as an async
 * iterable with `limit`, `timeoutMs`, `signal`; `fetch(hit, { offset, signal, onProgress })` → bytes.
 *
 * ## ContentRouting over search — content-routing.ts
 * `new SearchContentRouting(fileSearch)`: `provide(key)` shares a zero-byte virtual file `provide-<hex>`
 * (hash = SHA-256(key)); `findProviders(key)` searches for it and yields the peers. The napster and
 * gnutella services expose it as their `provide` / `findProviders`.
 *
 * ## Driver-side glue (not exported here: live/ and sim/ sit on the overlay floor, above the drivers)
 * This folder is pure (no runtime, no simulator). The search overlays' shared driver-side parts live in
 * two subfolders that only napster, gnutella and fasttrack import:
 * - live/service.ts: `SearchOverlayService`, the libp2p service base of the three search overlays;
 *   live/node-ops.ts: the `overlaykit node` operations share / search / download.
 *
 * ### Live sharing — live/stored.ts
 * `describeStored(storage, store, name?)` hashes a blob already in a node's BlobStorage (a file under an
 * FsBlobStorage root) so a service can share it (`service.shareStored(store)`); `storeBytes(storage, name,
 * bytes)` writes in-memory content to `share/<hash>` first (`service.shareBytes(name, bytes)`).
 *
 * ### Measuring in the simulator — sim/run.ts
 * `runQueryPhase(sim, nodes, workload, { startAt, queryTimeoutMs })` issues the workload's queries through
 * each node's `SearchMachine.search` and records success (a hit with the wanted hash), hops, latency,
 * messages by type and the most loaded node; `summarize(overlay, workload, r)` makes the common
 * `SearchRunResult` fields from it. napster and gnutella's `simulateSearch` are built on these.
 *
 * ## Workload — workload.ts
 * `makeSearchWorkload({ nodes, files?, zipf?, freeRiderShare?, sharesPerSharer?, queries, seed,
 * queryIntervalMs? })` → `{ catalog, shares, queries, params }`, and `SearchRunResult`, the row every
 * overlay's `simulateSearch(workload, options)` returns.
 */
export * from './keywords.js'
export * from './workload.js'
export * from './catalog.js'
export * from './transfer.js'
export * from './transfer-codec.js'
export * from './api.js'
export * from './channel.js'
export { describeBytes } from './describe.js'
export { SearchContentRouting, providerRecord } from './content-routing.js'
