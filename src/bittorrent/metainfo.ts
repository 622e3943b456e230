/**
 * Metainfo (.torrent) files, BEP 3: single- and multi-file, byte-compatible with stock tools.
 * The info hash is SHA-1 over the `info` value exactly as it appears in the file.
 */
import { DecodeError, InvalidArgumentError } from '../overlay/errors.js'
import { asBytes, asDict, asInt, asList, asText, bdecode, bencode, type BDict } from './bencode.js'
import { sha1, toHex } from './sha1.js'

export interface TorrentFile {
  /** Path components inside the torrent (for a single-file torrent: [name]). */
  path: string[]
  length: number
  /** Byte offset of the file inside the concatenated torrent content. */
  offset: number
}

export interface Metainfo {
  /** Lowercase hex SHA-1 of the bencoded info dict. */
  infoHash: string
  infoHashBytes: Uint8Array
  name: string
  pieceLength: number
  pieceCount: number
  /** Concatenated 20-byte SHA-1 piece hashes. */
  pieces: Uint8Array
  length: number
  files: TorrentFile[]
  /** True when the info dict had `files` (a directory torrent). */
  multiFile: boolean
  announce: string[]
  private: boolean
  /** The exact bencoded info dict (for BEP 9 metadata exchange). */
  infoBytes: Uint8Array
}

/** Hard limits on torrents we accept from others. */
export const METAINFO_LIMITS = {
  maxTorrentBytes: 16 * 1024 * 1024,
  maxFiles: 100_000,
  maxPathDepth: 64,
  maxPieces: 4_000_000,
  maxPieceLength: 64 * 1024 * 1024
}

export function pieceHash (m: Metainfo, index: number): Uint8Array {
  return m.pieces.subarray(index * 20, index * 20 + 20)
}

export function pieceSize (m: Pick<Metainfo, 'length' | 'pieceLength' | 'pieceCount'>, index: number): number {
  return index === m.pieceCount - 1 ? m.length - m.pieceLength * (m.pieceCount - 1) : m.pieceLength
}

/** Parse a .torrent file. Throws DecodeError on anything malformed. */
export function parseTorrent (bytes: Uint8Array): Metainfo {
  const root = asDict(bdecode(bytes, { maxBytes: METAINFO_LIMITS.maxTorrentBytes }), 'torrent')
  const span = root.spans.get('info')
  if (span === undefined) throw new DecodeError('torrent: missing info')
  const infoBytes = bytes.slice(span[0], span[1])
  const m = parseInfo(asDict(root.entries.get('info'), 'info'), infoBytes)
  const announce: string[] = []
  const list = root.entries.get('announce-list')
  if (list !== undefined) {
    for (const tier of asList(list, 'announce-list', 1000)) {
      for (const url of asList(tier, 'announce-list tier', 1000)) announce.push(asText(url, 'announce-list url'))
    }
  }
  const single = root.entries.get('announce')
  if (single !== undefined) {
    const url = asText(single, 'announce')
    if (!announce.includes(url)) announce.unshift(url)
  }
  m.announce = announce
  return m
}

/** Parse an info dict alone (from a magnet's metadata exchange): checks it hashes to `expected` when given. */
export function parseInfoBytes (infoBytes: Uint8Array, expected?: Uint8Array): Metainfo {
  const info = asDict(bdecode(infoBytes, { maxBytes: METAINFO_LIMITS.maxTorrentBytes }), 'info')
  const m = parseInfo(info, infoBytes.slice())
  if (expected !== undefined && toHex(expected) !== m.infoHash) throw new DecodeError('info: hash mismatch')
  return m
}

function parseInfo (info: BDict, infoBytes: Uint8Array): Metainfo {
  const L = METAINFO_LIMITS
  const name = asText(info.entries.get('name'), 'info.name')
  const pieceLength = asInt(info.entries.get('piece length'), 'info.piece length', 1, L.maxPieceLength)
  const pieces = asBytes(info.entries.get('pieces'), 'info.pieces', L.maxPieces * 20)
  if (pieces.length % 20 !== 0) throw new DecodeError('info.pieces: length is not a multiple of 20')
  const files: TorrentFile[] = []
  let length = 0
  const filesValue = info.entries.get('files')
  if (filesValue !== undefined) {
    for (const f of asList(filesValue, 'info.files', L.maxFiles)) {
      const fd = asDict(f, 'info.files[]')
      const len = asInt(fd.entries.get('length'), 'file length')
      const path = asList(fd.entries.get('path'), 'file path', L.maxPathDepth).map(p => asText(p, 'path element', 1024))
      if (path.length === 0) throw new DecodeError('file path: empty')
      for (const p of path) if (p === '' || p === '.' || p === '..' || p.includes('/') || p.includes('\\') || p.includes('\0')) throw new DecodeError(`file path: unsafe element "${p}"`)
      files.push({ path, length: len, offset: length })
      length += len
    }
    if (files.length === 0) throw new DecodeError('info.files: empty')
  } else {
    length = asInt(info.entries.get('length'), 'info.length')
    files.push({ path: [name], length, offset: 0 })
  }
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\')) throw new DecodeError(`info.name: unsafe "${name}"`)
  if (!Number.isSafeInteger(length)) throw new DecodeError('info: total length too large')
  const pieceCount = pieces.length / 20
  if (pieceCount !== Math.ceil(length / pieceLength) || pieceCount === 0) {
    throw new DecodeError(`info: ${pieceCount} piece hashes for ${length} bytes at piece length ${pieceLength}`)
  }
  const hash = sha1(infoBytes)
  const priv = info.entries.get('private')
  return {
    infoHash: toHex(hash),
    infoHashBytes: hash,
    name,
    pieceLength,
    pieceCount,
    pieces: pieces.slice(),
    length,
    files,
    multiFile: filesValue !== undefined,
    announce: [],
    private: typeof priv === 'number' && priv === 1,
    infoBytes
  }
}

export interface CreateFile {
  /** Path inside the torrent, components or a '/'-separated string. */
  path: string[] | string
  data: Uint8Array
}

export interface CreateTorrentOptions {
  /** Torrent name; for a single file, its file name. */
  name: string
  /** @default 256 KiB (2^18), like most clients */
  pieceLength?: number
  announce?: string[]
  private?: boolean
  /** Force a multi-file (`files`) torrent even for one file. @default false */
  multiFile?: boolean
  comment?: string
  /** Seconds since the epoch; omitted when undefined (keeps output deterministic). */
  creationDate?: number
  createdBy?: string
  /** SHA-1 for the piece hashes (e.g. node:crypto's, several times faster than the portable one). @default @noble/hashes sha1 */
  sha1?: (data: Uint8Array) => Uint8Array
}

/**
 * Build a torrent from in-memory files (the CLI reads files from disk and calls this). The info
 * dict carries exactly the BEP 3 keys stock tools write, so the same files, name and piece length
 * give the same info hash as `create-torrent`.
 */
export function createTorrent (files: CreateFile[], opts: CreateTorrentOptions): { torrent: Uint8Array, metainfo: Metainfo } {
  if (files.length === 0) throw new InvalidArgumentError('createTorrent: no files')
  const pieceLength = opts.pieceLength ?? 262144
  if (!Number.isSafeInteger(pieceLength) || pieceLength < 1) throw new InvalidArgumentError('createTorrent: bad piece length')
  const total = files.reduce((s, f) => s + f.data.length, 0)
  if (total === 0) throw new InvalidArgumentError('createTorrent: empty content')
  const pieceCount = Math.ceil(total / pieceLength)
  const pieces = new Uint8Array(pieceCount * 20)
  const hash = opts.sha1 ?? sha1
  // hash piece by piece across file boundaries without concatenating everything
  const buf = new Uint8Array(pieceLength)
  let fill = 0
  let index = 0
  for (const f of files) {
    let off = 0
    while (off < f.data.length) {
      const n = Math.min(pieceLength - fill, f.data.length - off)
      buf.set(f.data.subarray(off, off + n), fill)
      fill += n; off += n
      if (fill === pieceLength) { pieces.set(hash(buf), index * 20); index++; fill = 0 }
    }
  }
  if (fill > 0) { pieces.set(hash(buf.subarray(0, fill)), index * 20); index++ }

  const info: Record<string, unknown> = { name: opts.name, 'piece length': pieceLength, pieces }
  if (files.length === 1 && opts.multiFile !== true) {
    info.length = total
  } else {
    info.files = files.map(f => ({ length: f.data.length, path: typeof f.path === 'string' ? f.path.split('/').filter(p => p !== '') : f.path }))
  }
  if (opts.private === true) info.private = 1
  const root: Record<string, unknown> = { info }
  const announce = opts.announce ?? []
  if (announce.length > 0) {
    root.announce = announce[0]
    root['announce-list'] = announce.map(u => [u])
  }
  if (opts.comment !== undefined) root.comment = opts.comment
  if (opts.createdBy !== undefined) root['created by'] = opts.createdBy
  if (opts.creationDate !== undefined) root['creation date'] = opts.creationDate
  const torrent = bencode(root)
  return { torrent, metainfo: parseTorrent(torrent) }
}
