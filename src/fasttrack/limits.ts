/**
 * Hard limits of the FastTrack codec and machine. Frames beyond them are refused by the decoder
 * (DecodeError) and, for messages that arrive as objects in the simulator, by the machine.
 */
export const LIMITS = {
  /** Largest frame, bytes. A full share batch (500 files with long names) fits with room to spare. */
  maxFrameBytes: 1024 * 1024,
  /** Refresh list length (KaZaA kept up to 200 supernodes). */
  maxSupernodes: 200,
  maxCandidates: 64,
  /** Files per `shares` frame; a leaf uploads larger lists in batches. */
  maxFilesPerFrame: 500,
  maxHashesPerFrame: 500,
  /** Supernode ids an `elect` may list as full. */
  maxFullIds: 32,
  maxHitsPerFrame: 100,
  maxKeywordsPerFile: 32,
  maxAddrs: 16,
  maxAddrLength: 256,
  maxPeerIdLength: 128,
  maxNameLength: 1024,
  maxHashLength: 128,
  maxKeywordLength: 64,
  maxQueryLength: 256,
  maxTokenLength: 128,
  /** Query ids are 16 bytes, as Gnutella's descriptor ids. */
  qidBytes: 16,
  /** Largest TTL + hops accepted, as in Gnutella. */
  maxTtl: 7
} as const
