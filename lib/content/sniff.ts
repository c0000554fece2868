import type { RejectReason } from '@/lib/pipeline/errors'

/**
 * Containers we accept, named as FFmpeg demuxers. Each one only carries its own data: none can make
 * FFmpeg open another file (playlists, concat lists, manifests and image sequences are not here).
 * MXF and ASF are left out on purpose: rare in uploads, large parsers, MXF knows external essence.
 */
export const ALLOWED_DEMUXERS = ['mov', 'matroska', 'avi', 'mpegts', 'flv', 'ogg'] as const
export type Demuxer = (typeof ALLOWED_DEMUXERS)[number]

export type Sniffed = { ok: true; demuxer: Demuxer } | { ok: false; reason: RejectReason; message: string }

/** Bytes `sniffContainer` wants to see. */
export const SNIFF_BYTES = 4096

const MP4_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'uuid'])

const TEXT_REFERENCES: [RegExp, string][] = [
  [/^#EXTM3U/, 'an HLS playlist'],
  [/^ffconcat/i, 'a concat list'],
  [/^\s*<\?xml|^\s*<MPD|^\s*<smil/i, 'an XML manifest'],
  [/^\[playlist\]/i, 'a playlist'],
  [/^v=0\r?\n/, 'an SDP description'],
  [/^(file|https?|ftp|rtmp|rtsp|tcp|udp|concat|subfile|data):/i, 'a URL'],
]

const OTHER_MEDIA: [(b: Buffer) => boolean, string][] = [
  [(b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WAVE', 'WAV audio'],
  [(b) => b.subarray(0, 3).toString('latin1') === 'ID3' || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0), 'MP3 audio'],
  [(b) => b.subarray(0, 4).toString('latin1') === 'fLaC', 'FLAC audio'],
  [(b) => b.readUInt32BE(0) === 0x3026b275, 'ASF/WMV'],
  [(b) => b.readUInt32BE(0) === 0x000001ba, 'MPEG program stream'],
  [(b) => b.readUInt32BE(0) === 0x060e2b34, 'MXF'],
  [(b) => b.readUInt32BE(0) === 0x89504e47, 'a PNG image'],
  [(b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff, 'a JPEG image'],
  [(b) => b.subarray(0, 3).toString('latin1') === 'GIF', 'a GIF image'],
]

function isMpegTs(b: Buffer): boolean {
  // Sync byte 0x47 every 188 bytes; 192-byte M2TS packets carry a 4-byte timestamp first. Two or three hits.
  return [188, 192].some((stride) => {
    const first = stride === 192 ? 4 : 0
    const offsets = [first, first + stride, first + 2 * stride].filter((o) => o < b.length)
    return offsets.length >= 2 && offsets.every((o) => b[o] === 0x47)
  })
}

/** Decides the demuxer from the first bytes alone, so FFmpeg never guesses (its guess may be hls or concat). */
export function sniffContainer(head: Buffer): Sniffed {
  if (head.length === 0) return { ok: false, reason: 'empty', message: 'The file is empty.' }
  if (head.length < 12) return { ok: false, reason: 'not_media', message: 'The file is too short to be a video.' }

  const text = head
    .subarray(0, 512)
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
  for (const [re, what] of TEXT_REFERENCES) {
    if (re.test(text))
      return { ok: false, reason: 'references_other_files', message: `The file is ${what}, which names other files or URLs; upload the video itself.` }
  }

  const box = head.subarray(4, 8).toString('latin1')
  if (MP4_BOXES.has(box)) return { ok: true, demuxer: 'mov' }
  if (head.readUInt32BE(0) === 0x1a45dfa3) return { ok: true, demuxer: 'matroska' }
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 11).toString('latin1') === 'AVI') return { ok: true, demuxer: 'avi' }
  if (head.subarray(0, 3).toString('latin1') === 'FLV' && head[3] === 1) return { ok: true, demuxer: 'flv' }
  if (head.subarray(0, 4).toString('latin1') === 'OggS') return { ok: true, demuxer: 'ogg' }
  if (isMpegTs(head)) return { ok: true, demuxer: 'mpegts' }

  for (const [test, what] of OTHER_MEDIA) {
    if (test(head))
      return {
        ok: false,
        reason: 'container_not_allowed',
        message: `The file is ${what}; accepted: MP4/MOV, Matroska/WebM, AVI, MPEG-TS, FLV, Ogg.`,
      }
  }
  return { ok: false, reason: 'not_media', message: 'The file is not a recognised video container.' }
}
