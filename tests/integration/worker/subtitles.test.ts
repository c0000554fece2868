import type { ChildProcess } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { tempDir, writeHashed } from '@/lib/content/store'
import { db, disconnectDb } from '@/lib/db'
import { runChild, stopChild } from '@/lib/launcher/children'
import { extractTextTracks } from '@/lib/pipeline/subtitles'
import { ingestUpload } from '@/lib/videos/ingest'

// Uploads carrying subtitle streams, made by FFmpeg: their text becomes captions of every video
// of that content, with the streams' language tags.

const SRT_FR = '1\n00:00:00,100 --> 00:00:01,000\nBonjour <b>à tous</b>\n\n2\n00:00:01,200 --> 00:00:01,900\nFin\n'
const ASS_EN = `[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:00.20,0:00:01.50,Default,,0,0,0,,{\\i1}Hello{\\i0} there
`

let dir: string
const ffmpeg = (args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args])

/** A 2 s clip with the two subtitle files muxed in as streams (French untitled, English titled where the container keeps titles). */
function clipWithSubtitles(name: string, subtitleCodec: string[]): string {
  const out = path.join(dir, name)
  ffmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=2'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=500:duration=2'],
    ...['-i', path.join(dir, 'fr.srt'), '-i', path.join(dir, 'en.ass')],
    ...['-map', '0:v', '-map', '1:a', '-map', '2:s', '-map', '3:s'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', ...subtitleCodec],
    ...['-metadata:s:s:0', 'language=fre', '-metadata:s:s:1', 'language=eng', '-metadata:s:s:1', 'title=English (SDH)'],
    out,
  ])
  return out
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rh-subs-'))
  await writeFile(path.join(dir, 'fr.srt'), SRT_FR)
  await writeFile(path.join(dir, 'en.ass'), ASS_EN)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
  await disconnectDb()
})

describe('subtitle streams of an upload', () => {
  it('are read from Matroska (SubRip and ASS) as sanitized WebVTT with their languages', async () => {
    const mkv = clipWithSubtitles('subs.mkv', ['-c:s:0', 'srt', '-c:s:1', 'ass'])
    const tracks = await extractTextTracks(mkv, 'matroska')
    expect(tracks.map((t) => [t.stream, t.language, t.label])).toEqual([
      [0, 'fr', 'Français'],
      [1, 'en', 'English (SDH)'],
    ])
    expect(tracks[0].vtt).toMatch(/^WEBVTT\n/)
    // The Matroska muxer delayed the streams by the video's first frame (0.023 s): the file's own timeline.
    expect(tracks[0].vtt).toMatch(/\n00:00:00\.1\d\d --> 00:00:01\.0\d\d\nBonjour <b>à tous<\/b>\n/)
    // ASS override tags become WebVTT's own markup, never braces.
    expect(tracks[1].vtt).toContain('<i>Hello</i> there')
    expect(tracks[1].vtt).not.toContain('{')
  })

  it('become captions of every video of that content (MP4 mov_text), also of a later duplicate upload', async () => {
    const mp4 = clipWithSubtitles('subs.mp4', ['-c:s', 'mov_text'])
    const owner = await createUser({ email: `subs-${Date.now()}@worker.test`, password: 'password-123' })
    const ingest = async () => {
      const temp = path.join(tempDir(), `upload-subs-${Date.now()}-${Math.random()}`)
      const { hash, size } = await writeHashed(createReadStream(mp4), temp)
      return ingestUpload({ ownerId: owner.id, tempPath: temp, hash, size, metadata: { title: 'with subtitles', visibility: 'PRIVATE' } })
    }
    const first = await ingest()
    let worker: ChildProcess | undefined
    try {
      worker = runChild('worker', 'workers/transcoder.ts', { ...process.env, LOG_LEVEL: 'warn' })
      const deadline = Date.now() + 280_000
      while ((await db.content.findUniqueOrThrow({ where: { hash: first.contentHash } })).state !== 'STORED') {
        if (Date.now() > deadline) throw new Error('the upload was not stored in time')
        await new Promise((r) => setTimeout(r, 500))
      }
    } finally {
      if (worker) await stopChild(worker)
    }
    const captionsOf = (videoId: string) => db.caption.findMany({ where: { videoId }, orderBy: { sourceStream: 'asc' } })
    const stored = await captionsOf(first.videoId)
    // MP4 keeps no per-track title: the label is the language's own name.
    expect(stored.map((c) => [c.language, c.label, c.sourceStream])).toEqual([
      ['fr', 'Français', 0],
      ['en', 'English', 1],
    ])
    expect(stored[0].vtt).toContain('00:00:00.100 --> 00:00:01.000\nBonjour <b>à tous</b>')

    const second = await ingest()
    expect(second.deduplicated).toBe(true)
    expect((await captionsOf(second.videoId)).map((c) => c.language)).toEqual(['fr', 'en'])
  }, 300_000)
})
