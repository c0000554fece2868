import { z } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { db, Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { plainText } from '@/lib/validation/text'
import { findEditableVideo } from '@/lib/videos/access'
import { vttTimestamp } from './webvtt'

// Chapters of a video: set by its owner, or else read from its description the way YouTube does
// (lines starting with a timestamp, the first at 0:00). Served as a WebVTT chapters track.

export interface Chapter {
  startMs: number
  title: string
}

export const MAX_CHAPTERS = 200

export const chaptersInput = z.object({
  chapters: z
    .array(z.object({ startMs: z.int().min(0), title: plainText({ min: 1, max: 100 }) }).strict())
    .max(MAX_CHAPTERS)
    .superRefine((list, ctx) => {
      list.forEach((c, i) => {
        if (i > 0 && c.startMs <= list[i - 1].startMs) ctx.addIssue({ code: 'custom', path: [i, 'startMs'], message: 'must be after the previous chapter' })
      })
    }),
})

/** The issues of chapters that do not fit in a video of `durationMs`. */
function outsideDuration(chapters: Chapter[], durationMs: number): z.ZodError | null {
  const issues = chapters.flatMap((c, i) =>
    c.startMs >= durationMs
      ? [{ code: 'custom' as const, path: ['chapters', i, 'startMs'], message: `must be before the end of the video (${durationMs} ms)`, input: c.startMs }]
      : [],
  )
  return issues.length ? new z.ZodError(issues) : null
}

/** Replaces the video's chapters (owner or admin); an empty list falls back to the description's. */
export async function setChapters(actor: Actor, videoId: string, input: z.infer<typeof chaptersInput>): Promise<Chapter[]> {
  const video = await findEditableVideo(actor, videoId)
  const content = await db.content.findUniqueOrThrow({ where: { hash: video.contentHash }, select: { durationMs: true } })
  if (content.durationMs === null) throw new AppError('CONFLICT', 'The video is not analysed yet: its duration is unknown.')
  const problem = outsideDuration(input.chapters, content.durationMs)
  if (problem) throw problem
  const chapters = input.chapters.length ? (input.chapters as unknown as Prisma.InputJsonValue) : Prisma.DbNull
  await db.video.update({ where: { id: videoId }, data: { chapters } })
  return input.chapters
}

const TIMESTAMP_LINE = /^\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\s*[-–—:|]?\s+(\S.*)$/

/**
 * YouTube's convention: lines of the description that start with a timestamp (`0:00 Intro`,
 * `1:02:03 - Outro`), at least two, the first at 0:00, each later than the one before. Anything
 * else means the description has no chapters.
 */
export function chaptersFromDescription(description: string, durationMs: number | null): Chapter[] {
  const found: Chapter[] = []
  for (const line of description.split(/\r?\n/)) {
    const m = TIMESTAMP_LINE.exec(line)
    if (!m || Number(m[3]) > 59 || (m[1] !== undefined && Number(m[2]) > 59)) continue
    const startMs = ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000
    found.push({ startMs, title: m[4].trim().slice(0, 100) })
  }
  const ordered = found.every((c, i) => i === 0 || c.startMs > found[i - 1].startMs)
  const inside = durationMs === null || found.every((c) => c.startMs < durationMs)
  return found.length >= 2 && found[0].startMs === 0 && ordered && inside ? found : []
}

/** The chapters a video shows: its own, else its description's. */
export function chaptersOf(video: { chapters: unknown; description: string }, durationMs: number | null): Chapter[] {
  const own = storedChapters(video.chapters)
  return own.length ? own : chaptersFromDescription(video.description, durationMs)
}

function storedChapters(json: unknown): Chapter[] {
  if (!Array.isArray(json)) return []
  return json.filter((c): c is Chapter => !!c && typeof c === 'object' && Number.isInteger(c.startMs) && typeof c.title === 'string')
}

const cueText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A WebVTT chapters track: each chapter runs until the next one starts, the last until the end. */
export function chaptersVtt(chapters: Chapter[], durationMs: number | null): string {
  let out = 'WEBVTT\n\n'
  chapters.forEach((c, i) => {
    const endMs = chapters[i + 1]?.startMs ?? Math.max(durationMs ?? 0, c.startMs + 1000)
    out += `chapter-${i + 1}\n${vttTimestamp(c.startMs / 1000)} --> ${vttTimestamp(endMs / 1000)}\n${cueText(c.title)}\n\n`
  })
  return out
}
