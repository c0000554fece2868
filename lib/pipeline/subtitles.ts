import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import type { EmbeddedTextTrack } from '@/lib/captions/embedded'
import { languageName } from '@/lib/captions/language'
import { sanitizeCaptions } from '@/lib/captions/webvtt'
import type { Demuxer } from '@/lib/content/sniff'
import { PipelineError } from './errors'
import { safeInputArgs } from './ffmpeg-args'
import { runTool, TOOLS } from './process'

// Text subtitle streams of an upload (MP4 mov_text, SubRip, WebVTT, ASS/SSA) become WebVTT
// captions. Bitmap subtitles (PGS, DVB, VobSub) would need OCR and are skipped.

/** Codecs FFmpeg's WebVTT encoder takes (ASS styling is reduced to WebVTT's own b/i/u). */
export const TEXT_SUBTITLE_CODECS = new Set(['mov_text', 'subrip', 'srt', 'webvtt', 'ass', 'ssa', 'text'])

export interface SubtitleStream {
  /** Ordinal among the file's subtitle streams: `-map 0:s:N`. */
  ordinal: number
  codec: string
  language: string
  label: string
}

const probeSchema = z.object({
  streams: z.array(z.object({ codec_name: z.string().optional(), tags: z.record(z.string(), z.string()).optional() }).loose()).default([]),
})

/** BCP 47 from a container's language tag (ISO 639-2 `fre` → `fr`); `und` when missing or unusable. */
export function languageOfTag(tag: string | undefined): string {
  if (!tag) return 'und'
  try {
    return Intl.getCanonicalLocales(tag.trim())[0] ?? 'und'
  } catch {
    return 'und'
  }
}

/** Pure: the text subtitle streams in ffprobe's JSON for `-select_streams s`, in stream order. */
export function textSubtitleStreams(ffprobeJson: unknown): SubtitleStream[] {
  const parsed = probeSchema.safeParse(ffprobeJson)
  if (!parsed.success) return []
  return parsed.data.streams.flatMap((s, ordinal) => {
    const codec = s.codec_name ?? ''
    if (!TEXT_SUBTITLE_CODECS.has(codec)) return []
    const language = languageOfTag(s.tags?.language)
    const title = s.tags?.title?.trim()
    return [{ ordinal, codec, language, label: title || (language === 'und' ? `Track ${ordinal + 1}` : languageName(language)) }]
  })
}

/** Pure: one FFmpeg run writing each stream as WebVTT into `outDir` (`<ordinal>.vtt`). */
export function buildSubtitleExtractArgs(inputPath: string, demuxer: Demuxer, streams: SubtitleStream[], outDir: string): string[] {
  const outputs = streams.flatMap((s) => ['-map', `0:s:${s.ordinal}`, '-c:s', 'webvtt', '-f', 'webvtt', path.join(outDir, `${s.ordinal}.vtt`)])
  return ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...safeInputArgs(inputPath, demuxer), ...outputs]
}

/** At most this many tracks are taken from one file (the probe already caps streams). */
export const MAX_EMBEDDED_TRACKS = 16

/**
 * The upload's text subtitle streams as sanitized WebVTT. A stream FFmpeg cannot convert, or whose
 * cues do not survive sanitizing, is left out: captions are a bonus, never a reason to fail an encode.
 */
export async function extractTextTracks(inputPath: string, demuxer: Demuxer, opts: { signal?: AbortSignal } = {}): Promise<EmbeddedTextTrack[]> {
  const probe = await runTool(
    TOOLS.ffprobe,
    ['-hide_banner', '-v', 'error', ...safeInputArgs(inputPath, demuxer), '-select_streams', 's', '-show_streams', '-of', 'json'],
    {
      signal: opts.signal,
      timeoutMs: 30_000,
      captureStdout: true,
      maxStdoutBytes: 2 * 1024 * 1024,
    },
  )
  if (probe.killedBy === 'abort') throw new PipelineError('cancelled', 'subtitle probe cancelled')
  if (probe.code !== 0) return []
  const streams = textSubtitleStreams(JSON.parse(probe.stdout || '{}')).slice(0, MAX_EMBEDDED_TRACKS)
  if (!streams.length) return []
  const dir = await mkdtemp(path.join(os.tmpdir(), 'reelhouse-subs-'))
  try {
    const run = await runTool(TOOLS.ffmpeg, buildSubtitleExtractArgs(inputPath, demuxer, streams, dir), { signal: opts.signal, timeoutMs: 120_000 })
    if (run.killedBy === 'abort') throw new PipelineError('cancelled', 'subtitle extraction cancelled')
    const tracks: EmbeddedTextTrack[] = []
    for (const s of streams) {
      const text = await readFile(path.join(dir, `${s.ordinal}.vtt`), 'utf8').catch(() => null)
      if (text === null) continue
      try {
        tracks.push({ stream: s.ordinal, language: s.language, label: s.label, vtt: sanitizeCaptions(text).vtt })
      } catch {
        // An empty or broken stream: nothing worth showing.
      }
    }
    return tracks
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
