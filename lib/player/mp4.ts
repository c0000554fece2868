// Just enough ISO BMFF (MP4) parsing for chunked MSE streaming of fragmented originals: the init
// segment (ftyp + moov) with each track's codec string and timescale, whether the file is
// fragmented (moov/mvex), the random-access index in `mfra` (time -> moof offset), and moof
// discovery in a run of bytes. Pure functions over Uint8Array; no I/O.

export interface BoxHeader {
  type: string
  /** Offset of the box in the buffer given. */
  offset: number
  /** Whole box size in bytes (header included). */
  size: number
  headerSize: number
}

export interface TrackInfo {
  id: number
  kind: 'video' | 'audio' | 'other'
  timescale: number
  /** RFC 6381 codec string, or null when we cannot name it (then MSE is not attempted). */
  codec: string | null
}

export interface InitInfo {
  /** Byte offset just past the moov box: the init segment is bytes [0, initEnd). */
  initEnd: number
  /** moov carries mvex: the media lives in moof/mdat fragments. */
  fragmented: boolean
  tracks: TrackInfo[]
  /** Duration from mvhd or mehd in seconds, when the muxer wrote one (empty_moov files often do not). */
  durationSec: number | null
  /** `video/mp4; codecs="..."` when every track's codec is known. */
  mimeType: string | null
}

export type InitResult = { ok: true; info: InitInfo } | { ok: false; needBytes: number } | { ok: false; reason: string }

export interface FragmentEntry {
  /** Seconds (track time). */
  time: number
  /** Byte offset of the moof box in the file. */
  offset: number
}

const text = (b: Uint8Array, o: number) => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3])
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0
const u64 = (b: Uint8Array, o: number) => u32(b, o) * 2 ** 32 + u32(b, o + 4)
const hex2 = (n: number) => n.toString(16).padStart(2, '0')

/** The box header at `offset`, or null when fewer than its header bytes are present. `size` may exceed the buffer. */
export function readBoxHeader(b: Uint8Array, offset: number, end = b.length): BoxHeader | null {
  if (offset + 8 > end) return null
  let size = u32(b, offset)
  const type = text(b, offset + 4)
  let headerSize = 8
  if (size === 1) {
    if (offset + 16 > end) return null
    size = u64(b, offset + 8)
    headerSize = 16
  } else if (size === 0) {
    size = end - offset
  }
  if (size < headerSize) return null
  return { type, offset, size, headerSize }
}

/** Child boxes of the box [start, end) whose payload starts at `start`. */
function* children(b: Uint8Array, start: number, end: number): Generator<BoxHeader> {
  let o = start
  while (o < end) {
    const h = readBoxHeader(b, o, end)
    if (!h || o + h.size > end) return
    yield h
    o += h.size
  }
}

function child(b: Uint8Array, parent: BoxHeader, type: string, skip = 0): BoxHeader | null {
  for (const h of children(b, parent.offset + parent.headerSize + skip, parent.offset + parent.size)) if (h.type === type) return h
  return null
}

function path(b: Uint8Array, parent: BoxHeader, ...types: string[]): BoxHeader | null {
  let cur: BoxHeader | null = parent
  for (const t of types) {
    if (!cur) return null
    cur = child(b, cur, t)
  }
  return cur
}

/**
 * Parses the init segment at the start of a file. Returns `needBytes` when moov is not complete
 * in `b` yet, and a reason when the file does not start with ftyp/moov (e.g. moov at the end).
 */
export function parseInit(b: Uint8Array): InitResult {
  let o = 0
  let sawFtyp = false
  while (true) {
    const h = readBoxHeader(b, o)
    if (!h) return { ok: false, needBytes: o + 16 }
    if (h.type === 'ftyp') sawFtyp = true
    else if (h.type === 'moov') {
      if (o + h.size > b.length) return { ok: false, needBytes: o + h.size }
      return { ok: true, info: parseMoov(b, h) }
    } else if (h.type === 'mdat' || h.type === 'moof') {
      return { ok: false, reason: `${h.type} before moov (not a streamable fragmented MP4)` }
    } else if (!sawFtyp && o === 0) {
      return { ok: false, reason: `not an MP4 file (first box "${h.type}")` }
    }
    o += h.size
    if (o > 64 * 1024 * 1024) return { ok: false, reason: 'no moov in the first 64 MB' }
  }
}

function parseMoov(b: Uint8Array, moov: BoxHeader): InitInfo {
  const tracks: TrackInfo[] = []
  let movieTimescale = 1000
  let durationUnits = 0
  const mvhd = child(b, moov, 'mvhd')
  if (mvhd) {
    const p = mvhd.offset + mvhd.headerSize
    const v1 = b[p] === 1
    movieTimescale = u32(b, p + (v1 ? 20 : 12)) || 1000
    durationUnits = v1 ? u64(b, p + 24) : u32(b, p + 16)
  }
  const mvex = child(b, moov, 'mvex')
  const mehd = mvex ? child(b, mvex, 'mehd') : null
  if (mehd) {
    const p = mehd.offset + mehd.headerSize
    durationUnits = Math.max(durationUnits, b[p] === 1 ? u64(b, p + 4) : u32(b, p + 4))
  }
  for (const trak of children(b, moov.offset + moov.headerSize, moov.offset + moov.size)) {
    if (trak.type !== 'trak') continue
    const tkhd = child(b, trak, 'tkhd')
    const mdhd = path(b, trak, 'mdia', 'mdhd')
    const hdlr = path(b, trak, 'mdia', 'hdlr')
    const stsd = path(b, trak, 'mdia', 'minf', 'stbl', 'stsd')
    if (!tkhd || !mdhd || !hdlr) continue
    const tp = tkhd.offset + tkhd.headerSize
    const id = u32(b, tp + (b[tp] === 1 ? 20 : 12))
    const mp = mdhd.offset + mdhd.headerSize
    const timescale = u32(b, mp + (b[mp] === 1 ? 20 : 12))
    const handler = text(b, hdlr.offset + hdlr.headerSize + 8)
    const kind = handler === 'vide' ? 'video' : handler === 'soun' ? 'audio' : 'other'
    const entry = stsd ? readBoxHeader(b, stsd.offset + stsd.headerSize + 8, stsd.offset + stsd.size) : null
    tracks.push({ id, kind, timescale, codec: entry ? codecOf(b, entry, kind) : null })
  }
  const media = tracks.filter((t) => t.kind !== 'other')
  const known = media.length > 0 && media.every((t) => t.codec)
  return {
    initEnd: moov.offset + moov.size,
    fragmented: mvex !== null,
    tracks,
    durationSec: durationUnits > 0 ? durationUnits / movieTimescale : null,
    mimeType: known ? `${media.some((t) => t.kind === 'video') ? 'video' : 'audio'}/mp4; codecs="${media.map((t) => t.codec).join(', ')}"` : null,
  }
}

// Offsets of the child boxes inside a sample entry (ISO/IEC 14496-12 8.5.2): 8 bytes of
// SampleEntry fields, then 70 bytes of VisualSampleEntry or 20 of AudioSampleEntry.
const VISUAL_CHILDREN = 8 + 70
const AUDIO_CHILDREN = 8 + 20

function codecOf(b: Uint8Array, entry: BoxHeader, kind: TrackInfo['kind']): string | null {
  const t = entry.type
  const end = entry.offset + entry.size
  if (t === 'avc1' || t === 'avc3') {
    for (const h of children(b, entry.offset + entry.headerSize + VISUAL_CHILDREN, end)) {
      if (h.type === 'avcC') {
        const p = h.offset + h.headerSize
        return `${t}.${hex2(b[p + 1])}${hex2(b[p + 2])}${hex2(b[p + 3])}`
      }
    }
    return null
  }
  if (t === 'mp4a') {
    for (const h of children(b, entry.offset + entry.headerSize + AUDIO_CHILDREN, end)) {
      if (h.type === 'esds') return esdsCodec(b, h.offset + h.headerSize + 4, h.offset + h.size)
    }
    return 'mp4a.40.2'
  }
  if (t === 'Opus') return 'opus'
  if (t === 'fLaC') return 'flac'
  if (t === 'ac-3' || t === 'ec-3') return t
  return kind === 'other' ? t : null
}

/** `mp4a.40.<audio object type>` from an ES_Descriptor. */
function esdsCodec(b: Uint8Array, start: number, end: number): string {
  let o = start
  const readDescriptor = (): { tag: number; size: number; body: number } | null => {
    if (o >= end) return null
    const tag = b[o++]
    let size = 0
    for (let i = 0; i < 4 && o < end; i++) {
      const byte = b[o++]
      size = (size << 7) | (byte & 0x7f)
      if (!(byte & 0x80)) break
    }
    return { tag, size, body: o }
  }
  const es = readDescriptor()
  if (es?.tag !== 0x03) return 'mp4a.40.2'
  const flags = b[o + 2]
  o += 3
  if (flags & 0x80) o += 2
  if (flags & 0x40) o += 1 + b[o]
  if (flags & 0x20) o += 2
  const dc = readDescriptor()
  if (dc?.tag !== 0x04) return 'mp4a.40.2'
  const oti = b[o]
  o += 13
  if (oti !== 0x40) return `mp4a.${hex2(oti)}`
  const dsi = readDescriptor()
  if (dsi?.tag !== 0x05) return 'mp4a.40.2'
  let aot = b[o] >> 3
  if (aot === 31) aot = 32 + (((b[o] & 0x07) << 3) | (b[o + 1] >> 5))
  return `mp4a.40.${aot}`
}

/** The size of the `mfra` box from the trailing `mfro` (last 16 bytes of a file), or null. */
export function parseMfro(tail: Uint8Array): number | null {
  if (tail.length < 16) return null
  const o = tail.length - 16
  if (u32(tail, o) !== 16 || text(tail, o + 4) !== 'mfro') return null
  const size = u32(tail, o + 12)
  return size >= 16 ? size : null
}

/** tfra entries of one track (by id, else the first) from an `mfra` box, as seconds and moof offsets. */
export function parseMfra(b: Uint8Array, timescales: Map<number, number>, trackId?: number): FragmentEntry[] {
  const mfra = readBoxHeader(b, 0)
  if (mfra?.type !== 'mfra') return []
  const tables = new Map<number, FragmentEntry[]>()
  for (const h of children(b, mfra.headerSize, Math.min(mfra.size, b.length))) {
    if (h.type !== 'tfra') continue
    let p = h.offset + h.headerSize
    const v1 = b[p] === 1
    const id = u32(b, p + 4)
    const sizes = u32(b, p + 8)
    const count = u32(b, p + 12)
    p += 16
    const skip = ((sizes >> 4) & 3) + 1 + (((sizes >> 2) & 3) + 1) + ((sizes & 3) + 1)
    const scale = timescales.get(id) ?? 1000
    const list: FragmentEntry[] = []
    for (let i = 0; i < count && p + (v1 ? 16 : 8) + skip <= h.offset + h.size; i++) {
      const time = v1 ? u64(b, p) : u32(b, p)
      const offset = v1 ? u64(b, p + 8) : u32(b, p + 4)
      p += (v1 ? 16 : 8) + skip
      list.push({ time: time / scale, offset })
    }
    tables.set(id, list)
  }
  const list = (trackId !== undefined ? tables.get(trackId) : undefined) ?? tables.values().next().value ?? []
  return dedupe(list)
}

function dedupe(list: FragmentEntry[]): FragmentEntry[] {
  const out: FragmentEntry[] = []
  for (const e of [...list].sort((a, b) => a.offset - b.offset)) if (out.at(-1)?.offset !== e.offset) out.push(e)
  return out
}

/**
 * Walks the top-level boxes of a contiguous run of file bytes that starts on a box boundary
 * (`fileOffset` is where `b` sits in the file) and returns the moofs found with their decode
 * time, plus the file offset where parsing stopped (the start of an incomplete box).
 */
export function scanFragments(
  b: Uint8Array,
  fileOffset: number,
  timescales: Map<number, number>,
  trackId?: number,
): { fragments: FragmentEntry[]; parsedTo: number } {
  const fragments: FragmentEntry[] = []
  let o = 0
  while (true) {
    const h = readBoxHeader(b, o)
    if (!h || o + h.size > b.length) break
    if (h.type === 'moof') {
      const time = moofTime(b, h, timescales, trackId)
      if (time !== null) fragments.push({ time, offset: fileOffset + o })
    }
    o += h.size
  }
  return { fragments, parsedTo: fileOffset + o }
}

function moofTime(b: Uint8Array, moof: BoxHeader, timescales: Map<number, number>, trackId?: number): number | null {
  let first: number | null = null
  for (const traf of children(b, moof.offset + moof.headerSize, moof.offset + moof.size)) {
    if (traf.type !== 'traf') continue
    const tfhd = child(b, traf, 'tfhd')
    const tfdt = child(b, traf, 'tfdt')
    if (!tfhd || !tfdt) continue
    const id = u32(b, tfhd.offset + tfhd.headerSize + 4)
    const p = tfdt.offset + tfdt.headerSize
    const t = (b[p] === 1 ? u64(b, p + 4) : u32(b, p + 4)) / (timescales.get(id) ?? 1000)
    if (trackId === undefined || id === trackId) return t
    first ??= t
  }
  return first
}

/**
 * Finds the first plausible moof box start in arbitrary bytes (a chunk fetched at a guessed
 * offset): a size and the type 'moof', followed by an 'mfhd' child. Returns its index or -1.
 */
export function findMoof(b: Uint8Array, from = 0): number {
  for (let i = Math.max(from, 4); i + 12 <= b.length; i++) {
    if (b[i] === 0x6d && b[i + 1] === 0x6f && b[i + 2] === 0x6f && b[i + 3] === 0x66 && text(b, i + 8) === 'mfhd') {
      const size = u32(b, i - 4)
      if (size >= 24 && size < 16 * 1024 * 1024) return i - 4
    }
  }
  return -1
}

/** The last fragment starting at or before `time` (the index is sorted by offset and time). */
export function fragmentAt(index: FragmentEntry[], time: number): FragmentEntry | null {
  let lo = 0
  let hi = index.length - 1
  let found: FragmentEntry | null = null
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    if (index[mid].time <= time + 1e-6) {
      found = index[mid]
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}
