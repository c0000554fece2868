import path from 'node:path'
import { servableOriginalType } from '@/lib/content/original-type'

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream'

const TYPES_BY_EXTENSION: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.m4s': 'video/iso.segment',
  '.ts': 'video/mp2t',
  '.aac': 'audio/aac',
  '.mpd': 'application/dash+xml',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.vtt': 'text/vtt',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.png': 'image/png',
  '.json': 'application/json',
}

/** MIME by file kind; the extension-less `original` takes the video type we recognised at ingest, if any. */
export function contentTypeFor(relPath: string, originalType?: string): string {
  if (relPath === 'original') return servableOriginalType(originalType)
  return TYPES_BY_EXTENSION[path.posix.extname(relPath).toLowerCase()] ?? DEFAULT_CONTENT_TYPE
}

/** Bytes of a type we do not know are downloaded, never displayed: no browser turns them into a page. */
export const dispositionFor = (contentType: string): 'inline' | 'attachment' => (contentType === DEFAULT_CONTENT_TYPE ? 'attachment' : 'inline')

// RFC 5987 attr-char: everything else is percent-encoded as UTF-8.
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we strip
const UNSAFE_NAME_CHARS_RE = /[\u0000-\u001f\u007f/\\]/g
// encodeURIComponent throws on a lone surrogate.
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** `inline` (or `attachment`) with an ASCII-safe `filename` for old clients and the exact UTF-8 name in `filename*`. */
export function contentDisposition(filename: string, kind: 'inline' | 'attachment' = 'inline'): string {
  const cleaned = Array.from(filename.replace(UNSAFE_NAME_CHARS_RE, '_').replace(LONE_SURROGATE_RE, '_')).slice(0, 200).join('').trim() || 'file'
  const ascii = cleaned.replace(/[^\x20-\x7e]|["%;]/g, '_')
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(cleaned)}`
}
