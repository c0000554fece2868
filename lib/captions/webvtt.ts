import webvtt, { type WebVTTCue, type WebVTTNode, type WebVTTParseError } from 'webvtt-parser'
import entities from 'webvtt-parser/html-entities.json'
import { AppError } from '@/lib/errors'

// Caption files from uploaders become WebVTT we can serve as is: parsed by the W3C validator's
// parser (line-numbered errors), then written back from its cue-text tree, so only WebVTT's own
// tags (b, i, u, c, v, lang, ruby, rt, timestamps) survive and everything else is escaped text.

export type CaptionFormat = 'vtt' | 'srt'

export interface SanitizedCaptions {
  format: CaptionFormat
  vtt: string
  cues: number
}

// Problems the parser reports that lose nothing we keep: unknown cue settings or markup (dropped
// on output), header lines after the signature (YouTube's `Kind:`/`Language:`). Everything else
// is a timing or structure error and the file is refused with its line.
const HARMLESS = [
  /^No blank line after the signature/,
  /setting/i,
  /^Line position|^Line alignment|^Text position|^Position alignment|^Size|^Alignment|^Writing direction/,
  /tag|annotation|nested/i,
  /^Timestamp must be (between|greater than any previous)/,
  /^(Cannot have timestamp in a|Style blocks)/,
]

const parser = new webvtt.WebVTTParser(entities as Record<string, string>)

const SRT_TIMING = /^\s*(\d{1,3}:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->\s*(\d{1,3}:)?\d{1,2}:\d{2}[,.]\d{1,3}/

/** The file as text: UTF-8 (with or without BOM), else Windows-1252, which old SRT files use. */
export function decodeCaptionBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    return new TextDecoder('windows-1252').decode(bytes)
  }
}

function invalid(line: number, message: string): AppError {
  return new AppError('INVALID_INPUT', `Line ${line}: ${message}`, { line, errors: [{ path: 'file', message: `line ${line}: ${message}` }] })
}

/**
 * SubRip to WebVTT text: the signature, then `.` for `,` in the timing lines. SRT's numeric
 * counters become cue identifiers. Lines keep their numbers after the two added ones.
 */
function srtToVttText(text: string): string {
  const lines = text.split(/\r\n|\r|\n/).map((l) => (SRT_TIMING.test(l) ? l.replace(/(\d),(\d)/g, '$1.$2') : l))
  return `WEBVTT\n\n${lines.join('\n')}`
}

function detect(text: string): CaptionFormat | null {
  if (/^WEBVTT($|[ \t\r\n])/.test(text)) return 'vtt'
  const first = text.split(/\r\n|\r|\n/).find((l) => l.trim() !== '')
  if (first === undefined) return null
  return /^\s*\d+\s*$/.test(first) || SRT_TIMING.test(first) ? 'srt' : null
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** `hh:mm:ss.ttt` from seconds, rounded to the millisecond. */
export function vttTimestamp(seconds: number): string {
  const ms = Math.round(seconds * 1000)
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor(ms / 60_000) % 60
  const s = Math.floor(ms / 1000) % 60
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
// Class names and annotations come from the file too: keep only what cannot close the tag.
const safeClass = (c: string) => /^[A-Za-z0-9_-]+$/.test(c)
const safeAnnotation = (v: string) => escapeText(v.replace(/[\r\n]/g, ' '))

function serializeTree(nodes: WebVTTNode[]): string {
  let out = ''
  for (const node of nodes) {
    if (node.type === 'text') out += escapeText(String(node.value ?? ''))
    else if (node.type === 'timestamp') out += `<${vttTimestamp(Number(node.value))}>`
    else if (node.name) {
      const classes = (node.classes ?? []).filter(safeClass).map((c) => `.${c}`)
      const annotation = node.value ? ` ${safeAnnotation(String(node.value))}` : ''
      out += `<${node.name}${classes.join('')}${annotation}>${serializeTree(node.children ?? [])}</${node.name}>`
    }
  }
  return out
}

// The settings the parser understood, written back in WebVTT syntax when not the default.
function serializeSettings(cue: WebVTTCue): string {
  const out: string[] = []
  if (cue.direction !== 'horizontal') out.push(`vertical:${cue.direction}`)
  if (cue.alignment !== 'center') out.push(`align:${cue.alignment}`)
  if (cue.size !== 100) out.push(`size:${cue.size}%`)
  if (cue.linePosition !== 'auto') out.push(`line:${cue.linePosition}${cue.snapToLines ? '' : '%'}${cue.lineAlign !== 'start' ? `,${cue.lineAlign}` : ''}`)
  if (cue.textPosition !== 'auto') out.push(`position:${cue.textPosition}%${cue.positionAlign !== 'auto' ? `,${cue.positionAlign}` : ''}`)
  return out.length ? ` ${out.join(' ')}` : ''
}

/** Cues back to a WebVTT file (no STYLE blocks: uploaders' CSS is not ours to serve). */
export function serializeCues(cues: WebVTTCue[]): string {
  let out = 'WEBVTT\n\n'
  for (const cue of cues) {
    // An identifier is never shown; one that could be mistaken for a timing line is dropped.
    const id = cue.id && !cue.id.includes('-->') ? `${cue.id}\n` : ''
    out += `${id}${vttTimestamp(cue.startTime)} --> ${vttTimestamp(cue.endTime)}${serializeSettings(cue)}\n${serializeTree(cue.tree.children)}\n\n`
  }
  return out
}

function firstFatal(errors: WebVTTParseError[]): WebVTTParseError | undefined {
  return errors.find((e) => !HARMLESS.some((re) => re.test(e.message)))
}

/**
 * A WebVTT or SRT file as sanitized WebVTT; AppError INVALID_INPUT (422) naming the line when it
 * is neither, or has broken timing.
 */
export function sanitizeCaptions(text: string): SanitizedCaptions {
  const format = detect(text)
  if (!format) throw invalid(1, 'not a WebVTT file (it must start with "WEBVTT") nor SubRip (SRT).')
  const source = format === 'srt' ? srtToVttText(text) : text
  const offset = format === 'srt' ? 2 : 0
  const { cues, errors } = parser.parse(source, 'subtitles')
  const fatal = firstFatal(errors)
  if (fatal) throw invalid(Math.max(1, fatal.line - offset), fatal.message)
  if (cues.length === 0) throw invalid(1, 'no cues found.')
  return { format, vtt: serializeCues(cues), cues: cues.length }
}
