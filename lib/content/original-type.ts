import { open } from 'node:fs/promises'
import { type Demuxer, SNIFF_BYTES, sniffContainer } from '@/lib/content/sniff'

// The type an original is served with is ours, never the uploader's: what the upload claims
// (multipart part type, tus `filetype`) could be text/html or image/svg+xml and run script on our
// origin. Only video types of the containers the pipeline accepts are ever served inline.

/** Served for anything not recognised as an accepted video container (always as an attachment). */
export const UNRECOGNISED_TYPE = 'application/octet-stream'

const TYPE_BY_DEMUXER: Record<Demuxer, string> = {
  mov: 'video/mp4',
  matroska: 'video/x-matroska',
  avi: 'video/x-msvideo',
  mpegts: 'video/mp2t',
  flv: 'video/x-flv',
  ogg: 'video/ogg',
}

/** Every type an original may be served with inline; anything else is served as an attachment. */
export const ORIGINAL_VIDEO_TYPES: ReadonlySet<string> = new Set([...Object.values(TYPE_BY_DEMUXER), 'video/quicktime', 'video/webm'])

/** Extension offered in the download name of an original of this type. */
export const ORIGINAL_EXTENSIONS: Record<string, string> = {
  'video/mp4': '.mp4',
  'video/quicktime': '.mov',
  'video/webm': '.webm',
  'video/x-matroska': '.mkv',
  'video/x-msvideo': '.avi',
  'video/mp2t': '.ts',
  'video/x-flv': '.flv',
  'video/ogg': '.ogv',
  [UNRECOGNISED_TYPE]: '.bin',
}

// ISO BMFF: the `ftyp` major brand tells QuickTime from MP4; a file starting with another box
// (moov, mdat, wide) is classic QuickTime.
function isoType(head: Buffer): string {
  if (head.subarray(4, 8).toString('latin1') !== 'ftyp') return 'video/quicktime'
  return head.subarray(8, 12).toString('latin1') === 'qt  ' ? 'video/quicktime' : 'video/mp4'
}

// EBML header: the DocType element (ID 0x4282) says "webm" or "matroska".
function ebmlType(head: Buffer): string {
  const at = head.subarray(0, 64).indexOf(Buffer.from([0x42, 0x82]))
  if (at === -1) return TYPE_BY_DEMUXER.matroska
  const size = head[at + 2] & 0x7f
  return head.subarray(at + 3, at + 3 + size).toString('latin1') === 'webm' ? 'video/webm' : TYPE_BY_DEMUXER.matroska
}

/**
 * The type of an original from its first bytes, with the same sniff the worker's probe starts with
 * (the probe then decides the demuxer the same way): a video type for an accepted container, else
 * `UNRECOGNISED_TYPE`.
 */
export function originalTypeOf(head: Buffer): string {
  const sniffed = sniffContainer(head)
  if (!sniffed.ok) return UNRECOGNISED_TYPE
  if (sniffed.demuxer === 'mov') return isoType(head)
  if (sniffed.demuxer === 'matroska') return ebmlType(head)
  return TYPE_BY_DEMUXER[sniffed.demuxer]
}

/** `originalTypeOf` for a file on disk: reads only its first few KiB. */
export async function sniffOriginalType(file: string): Promise<string> {
  const fh = await open(file, 'r')
  try {
    const head = Buffer.alloc(SNIFF_BYTES)
    const { bytesRead } = await fh.read(head, 0, SNIFF_BYTES, 0)
    return originalTypeOf(head.subarray(0, bytesRead))
  } finally {
    await fh.close()
  }
}

/** The type to serve for a recorded one: only our own video types pass; the rest is `UNRECOGNISED_TYPE`. */
export function servableOriginalType(recorded: string | undefined): string {
  return recorded !== undefined && ORIGINAL_VIDEO_TYPES.has(recorded) ? recorded : UNRECOGNISED_TYPE
}
